import { audit, replay } from './audit.ts';
import { runCommand, type CommandSpec } from './command.ts';
import { approve, ask, login, ops, reject, watch } from './operations.ts';
import { up } from './up.ts';

/** The commands of `opsloop` that talk to a running Opsloop (gateway or stream). */
export const CLIENT_COMMANDS: CommandSpec[] = [
  up,
  login,
  ask,
  approve,
  reject,
  watch,
  ops,
  replay,
  audit,
];

export function runClientCommand(name: string, argv: string[]): Promise<number> {
  const spec = CLIENT_COMMANDS.find((c) => c.name === name);
  if (!spec) throw new Error(`unknown command ${name}`);
  return runCommand(spec, argv);
}
