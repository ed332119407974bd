// The `--scenario` start hook against a real kube-sim: objects and image behaviours loaded,
// later revisions applied in the background, unknown names reported as a load error.
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  parseSimArgs,
  SIM_START_HOOKS,
  SimLoadError,
  startKubeSim,
  type KubeSim,
} from '../../src/mod.ts';
import { imageBehaviorsFor } from '../../src/sim/cli.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
let sim: KubeSim;

beforeAll(async () => {
  sim = await startKubeSim({ port: 0, speed: 50 });
});
afterAll(async () => {
  await sim.stop();
});

async function runHooks(argv: string[]): Promise<void> {
  const options = parseSimArgs(argv);
  const log = console.log;
  console.log = () => undefined;
  try {
    for (const hook of SIM_START_HOOKS) await hook(sim, options);
  } finally {
    console.log = log;
  }
}

describe('opsloop sim --scenario', () => {
  it('loads the scenario objects, nodes and image behaviours into the sim', async () => {
    await runHooks(['--scenario', 'stuck-rollout-rollback']);
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    const core = kc.makeApiClient(CoreV1Api);
    const nodes = (await core.listNode()).items.map((n) => n.metadata?.name);
    expect(nodes).toEqual(['node-1', 'node-2', 'node-3']);
    const deployment = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'order-service', namespace: 'checkout' });
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe(
      'registry.example.com/checkout/order-service:1.4.2',
    );
    expect(imageBehaviorsFor(sim).map((b) => b.spec.image)).toEqual([
      'registry.example.com/checkout/order-service:1.4.2',
      'registry.example.com/checkout/order-service:1.5.0',
    ]);
  });

  it('reports an unknown scenario as a load error naming the built-in ones', async () => {
    await expect(runHooks(['--scenario', 'no-such-scenario'])).rejects.toThrow(SimLoadError);
    await expect(runHooks(['--scenario', 'no-such-scenario'])).rejects.toThrow(
      /built-in scenarios: .*healthy-shop/,
    );
  });
});
