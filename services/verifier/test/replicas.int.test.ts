import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsEvent } from '@opsloop/contracts';
import type { ServiceProcess } from '@opsloop/testkit';
import { executorWrites, startWorld, type World } from '../../executor/test/helpers/world.ts';

const OPS = 50;
let world: World;
let executors: ServiceProcess[];
let verifiers: ServiceProcess[];

/** 50 small Deployments of their own, so every operation has a target nobody else plans on. */
function bulkYaml(namespace: string): string {
  const docs = Array.from(
    { length: OPS },
    (_, i) => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: bulk-${i}, namespace: ${namespace} }
spec:
  replicas: 1
  selector: { matchLabels: { app: bulk-${i} } }
  template:
    metadata: { labels: { app: bulk-${i} } }
    spec:
      containers: [{ name: web, image: 'nginx:1.27.3-alpine' }]`,
  );
  return docs.join('\n');
}

beforeAll(async () => {
  world = await startWorld('healthy-shop');
  world.run.sim.loadYaml(bulkYaml(world.run.namespace), 'bulk.yaml');
  executors = [await world.executor(), await world.executor()];
  verifiers = [await world.verifier(), await world.verifier()];
}, 120_000);
afterAll(() => world?.stop());

const count = (events: OpsEvent[], type: string) => events.filter((e) => e.type === type).length;

describe('two executors and two verifiers share the work', () => {
  it(`${OPS} approved operations → each executed once and verified once`, async () => {
    const ns = world.run.namespace;
    for (let i = 0; i < OPS; i++) {
      const live = await world.admin.get('Deployment', ns, `bulk-${i}`);
      if (live?.status?.availableReplicas !== 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        i--;
      }
    }
    const ops = await Promise.all(
      Array.from({ length: OPS }, (_, i) =>
        world.approved([
          {
            action: 'ScaleWorkload',
            args: { namespace: ns, kind: 'Deployment', name: `bulk-${i}`, replicas: 2 },
          },
        ]),
      ),
    );
    for (const { opId } of ops) await world.waitFor(opId, 'OperationClosed', 240_000);
    for (const [i, { opId }] of ops.entries()) {
      const events = await world.events(opId);
      expect(count(events, 'ExecutionStarted'), opId).toBe(1);
      expect(count(events, 'StepSucceeded'), opId).toBe(1);
      expect(count(events, 'ExecutionCompleted'), opId).toBe(1);
      expect(count(events, 'VerificationStarted'), opId).toBe(1);
      expect(count(events, 'VerificationPassed'), opId).toBe(1);
      expect(count(events, 'OperationClosed'), opId).toBe(1);
      expect(executorWrites(world, `bulk-${i}`)).toHaveLength(1);
      await world.log.verifyChain(opId);
    }
    // Both replicas of each service took part.
    const started = (p: ServiceProcess, msg: string) => p.logs.filter((l) => l.msg === msg).length;
    for (const e of executors) expect(started(e, 'execution started')).toBeGreaterThan(0);
    for (const v of verifiers) expect(started(v, 'verification started')).toBeGreaterThan(0);
    expect(executors.reduce((n, e) => n + started(e, 'execution started'), 0)).toBe(OPS);
    expect(verifiers.reduce((n, v) => n + started(v, 'verification started'), 0)).toBe(OPS);
  }, 300_000);
});
