import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyStep } from '@opsloop/kube-tools';
import { ask, only, outcomeOf, startNats, startScenarioPlanner, type Nats } from './helpers/env.ts';
import { waitForFault } from './helpers/scenarios.ts';

/**
 * A private image pulled without the pull secret that exists, asked of a planner with the
 * rights deploy/ gives it: it cannot read Secrets, so it cannot know the secret's name. It
 * answers what a person must give, and the name a person then gives becomes a plan that,
 * applied, makes the pods pull.
 */
let nats: Nats;
beforeAll(async () => {
  nats = await startNats();
}, 30_000);
afterAll(() => nats?.stop());

describe('a pull secret the deployed planner cannot see', () => {
  it('answers what a person must name, then plans the name given', async () => {
    const env = await startScenarioPlanner(
      nats,
      'private-image-without-pull-secret',
      {},
      { asDeployed: true },
    );
    try {
      await waitForFault(env, { kind: 'Deployment', name: 'checkout-api' });
      const scope = { scope: [env.run.namespace] };
      const first = await outcomeOf(
        nats.log,
        await ask(nats.log, env.clusterId, env.run.scenario.spec.request, scope),
      );
      const answer = only(first, 'OperationAnswered').payload.answer;
      expect(answer).toMatch(/IMAGE_PULL_UNAUTHORIZED on Deployment checkout-api/);
      expect(answer).toMatch(/cannot read Secrets in checkout/);
      expect(answer).toMatch(/set pull secret <name> on checkout-api/);
      const second = await outcomeOf(
        nats.log,
        await ask(
          nats.log,
          env.clusterId,
          'set pull secret registry-credentials on checkout-api',
          scope,
        ),
      );
      const { plan } = only(second, 'PlanProposed').payload;
      expect(plan.steps.map((s) => s.action)).toEqual(['SetImagePullSecrets']);
      expect(plan.steps[0]!.summary).toMatch(/registry-credentials exists was not checked/);
      for (const step of plan.steps) await applyStep(step, env.executor);
      const verdict = await env.run.waitSolved(60_000);
      expect(verdict.ok, verdict.report).toBe(true);
    } finally {
      await env.stop();
    }
  }, 180_000);
});
