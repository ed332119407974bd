// The `opsloop sim` entry as packages/cli runs it, without going through the cli package.
import { runSimCommand } from '../../src/mod.ts';

process.exitCode = await runSimCommand(process.argv.slice(2));
