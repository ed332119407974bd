import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/opsloop.js', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('opsloop command', () => {
  it('lists its commands on --help and exits 0', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: opsloop <command>/);
    expect(result.stdout).toMatch(/\n {2}sim {2,}/);
    expect(result.stdout).toMatch(/\n {2}diagnose {2,}/);
  });

  it('refuses an unknown command with exit 2 and the usage', () => {
    const result = run('destroy-everything');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "destroy-everything"');
    expect(result.stderr).toContain('usage: opsloop');
  });

  it('finds the command with parseArgs: only --help before it, the rest passed on untouched', () => {
    const bogus = run('--bogus', 'sim');
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toContain('unknown option "--bogus" before the command');
    expect(run('--help', 'diagnose').status).toBe(0);
    const help = run('diagnose', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: opsloop diagnose/);
    const unknown = run('diagnose', '--frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("opsloop diagnose: Unknown option '--frobnicate'");
  });
});
