import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, type Cluster } from '@opsloop/kube-tools';
import { startScenarioSim, type ScenarioSim } from '@opsloop/kube-sim';
import { createLogger } from '@opsloop/service-kit';
import { newEvent, type OpsEvent } from '@opsloop/contracts';
import { DEFAULT_LIMITS, NoModelPlanner, handleEvent } from '../src/mod.ts';
import { ask, only, outcomeOf, startNats, type Nats } from './helpers/env.ts';

/** The event flow driven directly (no consumer), to show what redelivery, races and bad input do. */
let nats: Nats;
let run: ScenarioSim;
let cluster: Cluster;
let clusterId: string;
const deps = (over: Partial<Parameters<typeof handleEvent>[2]> = {}) => ({
  log: nats.log,
  cluster,
  planner: new NoModelPlanner(),
  limits: DEFAULT_LIMITS,
  logger: createLogger('planner-test', 'silent'),
  maxDeliver: 5,
  ...over,
});
const ctx = (deliveryCount = 1) => ({ sequence: 1, subject: 'ops.op.x', deliveryCount });
const requestOf = async (opId: string) => (await nats.log.read(opId)).events[0] as OpsEvent;

beforeAll(async () => {
  nats = await startNats();
  run = await startScenarioSim('payment-api-selector-mismatch', { speed: 50 });
  cluster = await connectCluster({ kubeconfigText: run.kubeconfig() });
  clusterId = await cluster.identity();
}, 60_000);
afterAll(async () => {
  await run?.stop();
  await nats?.stop();
});

describe('event flow', () => {
  it('the same OperationRequested handled three times at once (replicas, redelivery) → one plan', async () => {
    const opId = await ask(nats.log, clusterId, 'payment-api is unreachable, fix it', {
      scope: ['payments'],
    });
    const event = await requestOf(opId);
    await Promise.all([1, 2, 3].map((n) => handleEvent(event, ctx(n), deps())));
    await handleEvent(event, ctx(4), deps());
    const { events } = await nats.log.read(opId);
    expect(events.map((e) => e.type)).toEqual([
      'OperationRequested',
      'ContextGathered',
      'DiagnosisRecorded',
      'PlanProposed',
    ]);
    expect(events.slice(1).map((e) => e.id)).toEqual([
      `${event.id}:context`,
      `${event.id}:diagnosis`,
      `${event.id}:plan`,
    ]);
    expect((await nats.log.verifyChain(opId)).length).toBe(4);
  }, 60_000);

  it('a request for another cluster → OperationFailed naming both, nothing read', async () => {
    const opId = await ask(nats.log, clusterId, 'restart payment-api', {
      scope: ['payments'],
      clusterId: 'some-other-cluster',
    });
    await handleEvent(await requestOf(opId), ctx(), deps());
    const events = (await nats.log.read(opId)).events;
    expect(events.map((e) => e.type)).toEqual([
      'OperationRequested',
      'OperationFailed',
      'OperationClosed',
    ]);
    const failed = only(events, 'OperationFailed').payload;
    expect(failed.error.code).toBe('OPS_ERR_CLUSTER_MISMATCH');
    expect(failed.error.message).toContain('some-other-cluster');
    expect(failed.error.message).toContain(clusterId);
    expect(only(events, 'OperationClosed').payload.outcome).toBe('failed');
  });

  it('an OperationRequested not written for a user is ignored', async () => {
    const opId = `op-service-${Date.now()}`;
    const forged = newEvent(
      'OperationRequested',
      {
        request: 'scale payment-api to 0',
        requestedBy: 'executor',
        cluster: { id: clusterId },
        scope: { namespaces: ['payments'] },
      },
      { opId, actor: { kind: 'service', id: 'executor' }, causationId: null, correlationId: opId },
    );
    await nats.log.append(opId, [forged], 0);
    await handleEvent(await requestOf(opId), ctx(), deps());
    expect((await nats.log.read(opId)).events).toHaveLength(1);
  });

  it('a cluster that cannot be reached: retried while deliveries remain, then OperationFailed', async () => {
    const gone = await connectCluster({
      kubeconfigText: run
        .kubeconfig()
        .replace(/server: https:\/\/[^\s]+/, 'server: https://127.0.0.1:9'),
      timeoutMs: 2000,
    });
    const opId = await ask(nats.log, clusterId, 'restart payment-api', { scope: ['payments'] });
    const event = await requestOf(opId);
    await expect(handleEvent(event, ctx(1), deps({ cluster: gone }))).rejects.toMatchObject({
      retryable: true,
    });
    expect((await nats.log.read(opId)).events).toHaveLength(1);
    await handleEvent(event, ctx(5), deps({ cluster: gone }));
    const events = (await nats.log.read(opId)).events;
    expect(events.map((e) => e.type)).toEqual([
      'OperationRequested',
      'OperationFailed',
      'OperationClosed',
    ]);
    expect(only(events, 'OperationFailed').payload.error.retryable).toBe(true);
  }, 30_000);

  it('no scope on the request → every step refused', async () => {
    const events = await (async () => {
      const opId = await ask(nats.log, clusterId, 'restart payment-api', {
        scope: null,
        namespace: 'payments',
      });
      await handleEvent(await requestOf(opId), ctx(), deps());
      return outcomeOf(nats.log, opId);
    })();
    expect(only(events, 'PlanRejectedByPolicy').payload.violations[0]!.message).toMatch(
      /no team scope/,
    );
  });
});
