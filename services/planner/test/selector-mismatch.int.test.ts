import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyStep } from '@opsloop/kube-tools';
import { ask, only, outcomeOf, startNats, startScenarioPlanner, type Nats } from './helpers/env.ts';
import { waitForFault } from './helpers/scenarios.ts';

let nats: Nats;
beforeAll(async () => {
  nats = await startNats();
}, 30_000);
afterAll(() => nats?.stop());

describe('the seed case end to end', () => {
  it('"payment-api is unreachable since the deploy, fix it" → ContextGathered, DiagnosisRecorded, PlanProposed patching the selector; applied, the Service answers', async () => {
    const env = await startScenarioPlanner(nats, 'payment-api-selector-mismatch');
    try {
      await waitForFault(env, { kind: 'Service', name: 'payment-api' });
      const opId = await ask(
        nats.log,
        env.clusterId,
        'payment-api is unreachable since the deploy, fix it',
        {
          scope: ['payments'],
        },
      );
      const events = await outcomeOf(nats.log, opId);
      expect(events.map((e) => e.type)).toEqual([
        'OperationRequested',
        'ContextGathered',
        'DiagnosisRecorded',
        'PlanProposed',
      ]);
      const context = only(events, 'ContextGathered');
      expect(context.payload.summary).toContain('namespace: payments');
      expect(context.payload.toolCalls).toBeGreaterThan(0);
      const diagnosis = only(events, 'DiagnosisRecorded');
      expect(
        diagnosis.payload.findings.map((f) => `${f.code} ${f.object.kind}/${f.object.name}`),
      ).toContain('SERVICE_SELECTOR_NO_MATCH Service/payment-api');
      const { plan } = only(events, 'PlanProposed').payload;
      expect(plan.clusterId).toBe(env.clusterId);
      expect(plan.steps).toHaveLength(1);
      const step = plan.steps[0]!;
      expect(step.action).toBe('PatchServiceSelector');
      expect(step.target).toMatchObject({
        kind: 'Service',
        namespace: 'payments',
        name: 'payment-api',
      });
      expect(step.diff.length).toBeGreaterThan(0);
      expect(step.checks.length).toBeGreaterThan(0);
      for (const e of events.slice(1)) {
        expect(e.actor).toEqual({ kind: 'service', id: 'planner' });
        expect(e.causationId).toBe(events[0]!.id);
      }
      await applyStep(step, env.executor);
      const verdict = await env.run.waitSolved(60_000);
      expect(verdict.ok, verdict.report).toBe(true);
    } finally {
      await env.stop();
    }
  }, 150_000);
});
