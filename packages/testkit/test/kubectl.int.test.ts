import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Kubectl } from '../src/mod.ts';

const kubeconfig = (server: string) => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "${server}", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: test-token}
contexts:
- name: ctx
  context: {cluster: c, user: u, namespace: shop}
current-context: ctx
`;

describe('Kubectl', () => {
  it('runs the real kubectl with its own HOME and kubeconfig, never the user\u2019s', async () => {
    const kubectl = new Kubectl(kubeconfig('https://127.0.0.1:1'));
    try {
      expect(readFileSync(kubectl.kubeconfig, 'utf8')).toContain('test-token');
      const view = await kubectl.run([
        'config',
        'view',
        '--minify',
        '-o',
        'jsonpath={.contexts[0].context.namespace}',
      ]);
      expect(view).toEqual({ code: 0, stdout: 'shop', stderr: '' });
      await expect(kubectl.ok(['config', 'current-context'])).resolves.toBe('ctx\n');
    } finally {
      kubectl.cleanup();
    }
    expect(existsSync(kubectl.home)).toBe(false);
  });

  it('returns a non-zero code and stderr when the server cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const kubectl = new Kubectl(kubeconfig(`https://127.0.0.1:${port}`));
    try {
      const result = await kubectl.run(['get', 'pods', '--request-timeout=5s']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/refused|connect|unable/i);
      await expect(kubectl.ok(['get', 'pods', '--request-timeout=5s'])).rejects.toThrow(
        /kubectl get pods --request-timeout=5s failed/,
      );
    } finally {
      kubectl.cleanup();
    }
  }, 60_000);
});
