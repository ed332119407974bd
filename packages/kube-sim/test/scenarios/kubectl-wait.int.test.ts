// `kubectl wait` on workloads the simulated cluster runs by itself (scheduler, kubelet,
// controllers): nothing in this test sets a condition by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import { Kubectl } from '../helpers/kubectl.ts';

let sim: KubeSim;
let k: Kubectl;

beforeAll(async () => {
  sim = await startKubeSim({ port: 0, speed: 20, nodes: 0 });
  k = new Kubectl(sim);
  await k.ok(
    ['create', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    }),
  );
  await k.ok(['create', 'namespace', 'waits']);
});
afterAll(() => sim?.stop());

describe('kubectl wait on simulated workloads', () => {
  it('--for=condition=Ready returns once the kubelet reports the pods ready', async () => {
    await k.ok([
      'create',
      'deployment',
      'web',
      '--image=nginx:1.27',
      '--replicas=2',
      '-n',
      'waits',
    ]);
    const out = await k.ok([
      'wait',
      '--for=condition=Ready',
      'pod',
      '-l',
      'app=web',
      '-n',
      'waits',
      '--timeout=25s',
    ]);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(out).toMatch(/pod\/web-[a-z0-9]+-[a-z0-9]{5} condition met/);
  });

  it('--for=condition=Available=False holds for a Deployment whose image cannot be pulled', async () => {
    await k.ok(['create', 'deployment', 'broken', '--image=nginx:invalid-tag', '-n', 'waits']);
    const out = await k.ok([
      'wait',
      '--for=condition=Available=False',
      'deployment/broken',
      '-n',
      'waits',
      '--timeout=25s',
    ]);
    expect(out).toContain('deployment.apps/broken condition met');
    const ready = await k.run([
      'wait',
      '--for=condition=Available',
      'deployment/broken',
      '-n',
      'waits',
      '--timeout=2s',
    ]);
    expect(ready.code).not.toBe(0);
    expect(ready.stderr).toContain('timed out waiting for the condition');
  });
});
