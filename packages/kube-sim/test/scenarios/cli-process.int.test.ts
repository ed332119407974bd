// `opsloop sim --scenario NAME` as a process, as `npm start` runs it: with no kubeconfig flag
// it writes .opsloop/kubeconfig in its working directory, prints a banner that fits 80
// columns, and the cluster reaches the scenario's broken state on its own; SIGTERM exits 0.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { until, type KubectlResult } from '../helpers/kubectl.ts';
import { execFile } from 'node:child_process';

vi.setConfig({ testTimeout: 90_000 });

const entry = fileURLToPath(new URL('../helpers/sim-main.ts', import.meta.url));
// The process runs in an empty directory, so tsx is named by its absolute location.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function kubectl(cwd: string, args: string[]): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', '.opsloop/kubeconfig', '--cache-dir', join(cwd, 'cache'), ...args],
      { cwd, env: { ...process.env, HOME: cwd }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

describe('opsloop sim --scenario (process)', () => {
  it('writes .opsloop/kubeconfig, prints the next steps, runs the scenario, exits 0 on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kube-sim-start-'));
    const child = spawn(
      process.execPath,
      ['--import', tsx, entry, '--scenario', 'bad-image-tag', '--port', '0', '--speed', '20'],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number>((resolve) =>
      child.on('exit', (code) => resolve(code ?? -1)),
    );
    try {
      await until(() => out.includes('Ctrl-C'), 30_000, 'the start banner');
      expect(existsSync(join(cwd, '.opsloop/kubeconfig'))).toBe(true);
      const lines = out.trimEnd().split('\n');
      expect(lines.every((l) => l.length <= 80)).toBe(true);
      expect(lines[0]).toMatch(/^kube-sim listening on https:\/\/127\.0\.0\.1:\d+$/);
      expect(out).toContain('kubeconfig: .opsloop/kubeconfig\n');
      expect(out).toMatch(/^scenario bad-image-tag: /m);
      expect(out).toContain('  kubectl --kubeconfig .opsloop/kubeconfig get pods -A\n');
      expect(out).toContain('  npx opsloop diagnose --kubeconfig .opsloop/kubeconfig -n web\n');
      // The controllers run in the process: the pods get scheduled and fail to pull on their own.
      await until(
        async () =>
          /ImagePullBackOff|ErrImagePull/.test((await kubectl(cwd, ['get', 'pods', '-A'])).stdout),
        40_000,
        'a pod failing to pull',
      );
      const nodes = await kubectl(cwd, ['get', 'nodes']);
      expect(nodes.stdout).toMatch(/node-1\s+Ready/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('exits 2 at once, with the list of scenarios, when the scenario does not exist', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'opsloop-sim-cli-'));
    const child = spawn(
      process.execPath,
      ['--import', tsx, entry, '--scenario', 'no-such-scenario', '--port', '0'],
      { cwd },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('scenario "no-such-scenario" not found');
    expect(err).toContain('payment-api-selector-mismatch');
  });
});
