import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnService } from '../src/mod.ts';

const dir = mkdtempSync(join(tmpdir(), 'testkit-proc-'));

describe('spawnService', () => {
  it('waits for the ready line, reads later lines, and stops with SIGTERM', async () => {
    const entry = join(dir, 'svc.ts');
    writeFileSync(
      entry,
      `const n: number = 1;
console.log(JSON.stringify({ msg: 'ready', n }));
setTimeout(() => console.log(JSON.stringify({ msg: 'later' })), 50);
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);
`,
    );
    const svc = await spawnService({ name: 'svc', entry });
    expect(svc.logs[0]).toMatchObject({ msg: 'ready', n: 1 });
    await svc.waitForLog((l) => l.msg === 'later', 5000);
    expect(await svc.stop()).toBe(0);
  });

  it('rejects with the output when the process exits before it is ready', async () => {
    const entry = join(dir, 'bad.ts');
    writeFileSync(entry, `console.error('boom: missing config'); process.exit(2);\n`);
    await expect(spawnService({ name: 'bad', entry })).rejects.toThrow(/exited with 2[\s\S]*boom/);
  });
});
