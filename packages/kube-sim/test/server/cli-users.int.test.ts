// `opsloop sim --users FILE --kubeconfig-dir DIR --nodes N` as a launcher runs it: token users
// with groups, one kubeconfig per user that the real kubectl uses, RBAC applied to each,
// and a fresh cluster with kind's nodes.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { until, type KubectlResult } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 90_000 });
const entry = fileURLToPath(new URL('../helpers/sim-main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kube-sim-users-'));

function kubectl(kubeconfig: string, args: string[]): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { env: { ...process.env, HOME: dir }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

function runSim(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, output: () => out, exited };
}

describe('opsloop sim --users --kubeconfig-dir', () => {
  it('writes one kubeconfig per user; each acts as itself, with its groups, under RBAC', async () => {
    const users = join(dir, 'users.yaml');
    writeFileSync(
      users,
      'users:\n  - {username: alice, groups: [team-shop], token: alice-token-0123456789}\n  - {username: bob}\n',
    );
    const rbac = join(dir, 'rbac.yaml');
    writeFileSync(
      rbac,
      `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: team-shop-view, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: team-shop}]
`,
    );
    const kcDir = join(dir, 'kubeconfigs');
    const sim = runSim([
      '--port',
      '0',
      '--nodes',
      '3',
      '--users',
      users,
      '--kubeconfig-dir',
      kcDir,
      '--kubeconfig-out',
      join(dir, 'admin'),
      rbac,
    ]);
    try {
      await until(() => sim.output().includes('Ctrl-C'), 30_000, 'the start banner');
      expect(sim.output()).toContain(`user kubeconfigs: ${kcDir}/<user>.kubeconfig`);
      expect(readFileSync(join(kcDir, 'alice.kubeconfig'), 'utf8')).toContain(
        'alice-token-0123456789',
      );
      const alice = join(kcDir, 'alice.kubeconfig');
      const bob = join(kcDir, 'bob.kubeconfig');
      expect((await kubectl(alice, ['get', 'pods', '-n', 'shop'])).stderr).toContain(
        'No resources found',
      );
      const denied = await kubectl(bob, ['get', 'pods', '-n', 'shop']);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain('User "bob" cannot list resource "pods"');
      const nodes = await kubectl(join(kcDir, 'admin.kubeconfig'), [
        'get',
        'nodes',
        '--no-headers',
      ]);
      expect(
        nodes.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(/\s+/).slice(0, 2)),
      ).toEqual([
        ['kind-control-plane', 'Ready'],
        ['kind-worker', 'Ready'],
        ['kind-worker2', 'Ready'],
      ]);
    } finally {
      sim.child.kill('SIGTERM');
    }
    expect(await sim.exited).toBe(0);
  });

  it('refuses a bad users file with one line and exit code 2', async () => {
    const users = join(dir, 'bad-users.yaml');
    writeFileSync(users, '- {username: "a b"}\n');
    const sim = runSim(['--port', '0', '--users', users]);
    expect(await sim.exited).toBe(2);
    expect(sim.output().trim()).toBe(
      `opsloop sim: ${users}: 0.username: a username has no spaces or slashes (it names a kubeconfig file)`,
    );
  });
});
