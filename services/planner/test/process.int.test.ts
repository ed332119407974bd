import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnService, type ServiceProcess } from '@opsloop/testkit';
import { ask, only, outcomeOf, type Nats } from './helpers/env.ts';
import { startProcessEnv, type ProcessEnv } from './helpers/process-env.ts';

/** The planner as its own process (src/main.ts) against a real nats-server and kube-sim. */
const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let nats: Nats;
let kubeconfig: string;
let clusterId: string;

const planner = (extra: string[] = []) =>
  spawnService({
    name: 'planner',
    entry,
    args: [
      '--nats',
      nats.server.url,
      '--kubeconfig',
      kubeconfig,
      '--max-risk',
      'medium',
      '--log-level',
      'info',
      ...extra,
    ],
  });

let env: ProcessEnv;
beforeAll(async () => {
  env = await startProcessEnv('payment-api-selector-mismatch');
  ({ nats, kubeconfig, clusterId } = env);
}, 60_000);
afterAll(() => env?.stop());

describe('planner process', () => {
  let proc: ServiceProcess;

  it('request in → plan out; the same request redelivered → still one plan; SIGTERM drains and exits 0', async () => {
    proc = await planner(['--health-port', '0']);
    const opId = await ask(
      nats.log,
      clusterId,
      'payment-api is unreachable since the last deploy, fix it',
      { scope: ['payments'] },
    );
    const first = await outcomeOf(nats.log, opId);
    expect(only(first, 'PlanProposed').payload.plan.steps[0]!.action).toBe('PatchServiceSelector');
    const port = (await proc.waitForLog((l) => l.msg === 'ready')).healthPort as number;
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/opsloop_planner_requests_total\{outcome="plan"\} 1/);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(await proc.stop()).toBe(0);
    expect(proc.logs.some((l) => l.msg === 'draining')).toBe(true);

    // Forget that the planner saw it: a new consumer delivers the whole stream again.
    const jsm = await jetstreamManager(nats.nc);
    await jsm.consumers.delete('OPS', 'planner');
    await (await new Kvm(nats.nc).open('ops_processed')).destroy();
    proc = await planner();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const info = await jsm.consumers.info('OPS', 'planner');
      if (
        info.delivered.stream_seq >= first.length &&
        info.num_ack_pending === 0 &&
        info.num_pending === 0
      )
        break;
      if (Date.now() > deadline)
        throw new Error(`redelivery not handled: ${JSON.stringify(info.delivered)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const again = (await nats.log.read(opId)).events;
    expect(again.map((e) => e.type)).toEqual(first.map((e) => e.type));
    expect(again.filter((e) => e.type === 'PlanProposed')).toHaveLength(1);
  }, 120_000);

  it('a policy breach → PlanRejectedByPolicy naming each violation, then OperationClosed (rejected)', async () => {
    // Outside the requester's namespaces: refused before anything is dry-run.
    const outside = await outcomeOf(
      nats.log,
      await ask(nats.log, clusterId, 'restart payment-api in namespace payments', {
        scope: ['shop-*'],
      }),
    );
    const refused = only(outside, 'PlanRejectedByPolicy').payload;
    expect(refused.plan).toBeUndefined();
    expect(refused.violations).toEqual([
      expect.objectContaining({
        rule: 'namespace-in-scope',
        stepIndex: 0,
        message: expect.stringContaining('payments'),
      }),
    ]);
    expect(only(outside, 'OperationClosed').payload.outcome).toBe('rejected');
    // Above the configured risk (--max-risk medium): the refused plan is in the event.
    const risky = await outcomeOf(
      nats.log,
      await ask(nats.log, clusterId, 'scale payment-api to 0', { scope: ['payments'] }),
    );
    const tooRisky = only(risky, 'PlanRejectedByPolicy').payload;
    expect(tooRisky.plan?.steps[0]).toMatchObject({ action: 'ScaleWorkload', risk: 'high' });
    expect(tooRisky.violations.map((v) => v.rule)).toEqual(['max-risk']);
    expect(risky.map((e) => e.type)).not.toContain('PlanProposed');
  }, 60_000);

  it('a malformed event is dead-lettered with its reason and the planner keeps planning', async () => {
    await nats.nc.request('ops.op.garbage', new TextEncoder().encode('{"not":"an event"'));
    const jsm = await jetstreamManager(nats.nc);
    const deadline = Date.now() + 20_000;
    let dead = null;
    while (dead === null && Date.now() < deadline) {
      dead = await jsm.streams
        .getMessage('OPS_DLQ', { last_by_subj: 'ops.dlq.planner' })
        .catch(() => null);
      if (dead === null) await new Promise((r) => setTimeout(r, 100));
    }
    expect(dead?.header.get('Opsloop-Dlq-Code')).toBe('OPS_ERR_INVALID_EVENT');
    const events = await outcomeOf(
      nats.log,
      await ask(nats.log, clusterId, 'restart payment-api', { scope: ['payments'] }),
    );
    expect(only(events, 'PlanProposed').payload.plan.steps[0]!.action).toBe('RolloutRestart');
    await proc.stop();
  }, 60_000);

  it('bad configuration → one line naming the setting, exit 2', async () => {
    const bad = await spawnService({
      name: 'planner-bad',
      entry,
      args: ['--nats', nats.server.url, '--max-risk', 'reckless'],
      ready: null,
    });
    expect(await bad.exited).toBe(2);
    expect(bad.output().trim()).toMatch(
      /^planner: invalid configuration: --max-risk \(OPSLOOP_MAX_RISK\): /,
    );
    expect(bad.output().trim().split('\n')).toHaveLength(1);
  }, 30_000);
});
