import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, only, outcomeOf, startNats, startScenarioPlanner, type Nats } from './helpers/env.ts';
import { waitForFault } from './helpers/scenarios.ts';

let nats: Nats;
beforeAll(async () => {
  nats = await startNats();
}, 30_000);
afterAll(() => nats?.stop());

describe('"Check logs for the ledger service errors."', () => {
  it('answers with the pods, the error lines quoted, counts and first/last seen; nothing planned', async () => {
    const env = await startScenarioPlanner(nats, 'missing-required-env');
    try {
      await waitForFault(env, {
        kind: 'Deployment',
        name: 'ledger-service',
        code: 'CONTAINER_MISSING_ENV',
      });
      const opId = await ask(nats.log, env.clusterId, 'Check logs for the ledger service errors.', {
        scope: ['payments'],
      });
      const events = await outcomeOf(nats.log, opId);
      expect(events.map((e) => e.type)).not.toContain('PlanProposed');
      const answer = only(events, 'OperationAnswered').payload.answer;
      const pods = (await env.executor.list('Pod', 'payments'))
        .map((p) => p.metadata.name)
        .filter((n) => n.startsWith('ledger-service-'));
      expect(pods.length).toBeGreaterThan(0);
      for (const pod of pods) expect(answer).toContain(pod);
      expect(answer).toMatch(/\d+× "fatal: LEDGER_DB_URL is not set"/);
      expect(answer).toMatch(
        /first seen \d{4}-\d\d-\d\dT[\d:.]+Z, last seen \d{4}-\d\d-\d\dT[\d:.]+Z/,
      );
      expect(only(events, 'OperationClosed').payload.outcome).toBe('answered');
    } finally {
      await env.stop();
    }
  }, 120_000);
});
