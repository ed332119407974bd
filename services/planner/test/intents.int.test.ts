import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyStep } from '@opsloop/kube-tools';
import type { OpsEvent } from '@opsloop/contracts';
import {
  ask,
  only,
  outcomeOf,
  startNats,
  startScenarioPlanner,
  type Nats,
  type ScenarioPlanner,
} from './helpers/env.ts';
import { waitHealthy } from './helpers/healthy.ts';

/** The request kinds of the no-model intent parser, on the healthy shop (31 workloads). */
let nats: Nats;
let env: ScenarioPlanner;
beforeAll(async () => {
  nats = await startNats();
  env = await startScenarioPlanner(nats, 'healthy-shop');
  await waitHealthy(env.executor, 'shop');
}, 150_000);
afterAll(async () => {
  await env?.stop();
  await nats?.stop();
});

const request = async (text: string): Promise<OpsEvent[]> =>
  outcomeOf(nats.log, await ask(nats.log, env.clusterId, text, { scope: ['shop'] }));
const types = (events: OpsEvent[]) => events.map((e) => e.type);
const planOf = (events: OpsEvent[]) => only(events, 'PlanProposed').payload.plan;
const answerOf = (events: OpsEvent[]) => {
  expect(types(events)).toEqual([
    'OperationRequested',
    'ContextGathered',
    'DiagnosisRecorded',
    'OperationAnswered',
    'OperationClosed',
  ]);
  expect(only(events, 'OperationClosed').payload.outcome).toBe('answered');
  return only(events, 'OperationAnswered').payload.answer;
};

describe('direct commands become one planned step', () => {
  it('"Scale the checkout service to five replicas." → ScaleWorkload on the Deployment behind the Service', async () => {
    const plan = planOf(await request('Scale the checkout service to five replicas.'));
    expect(plan.steps).toHaveLength(1);
    const [step] = plan.steps;
    expect(step).toMatchObject({
      action: 'ScaleWorkload',
      args: { namespace: 'shop', kind: 'Deployment', name: 'checkout-service', replicas: 5 },
      target: { kind: 'Deployment', namespace: 'shop', name: 'checkout-service' },
      risk: 'low',
    });
    expect(step!.diff).toContainEqual(expect.objectContaining({ before: 2, after: 5 }));
    expect(plan.rationale).toContain('behind Service checkout-service');
  });

  it('"scale product-api by 50%" → from 2 to 3', async () => {
    const [step] = planOf(await request('scale product-api by 50%')).steps;
    expect(step!.args).toMatchObject({ name: 'product-api', replicas: 3 });
  });

  it('"scale tax-calculator to zero" → a high-risk step whose rationale says what stops', async () => {
    const plan = planOf(await request('scale tax-calculator to zero'));
    expect(plan.steps[0]).toMatchObject({
      action: 'ScaleWorkload',
      args: { replicas: 0 },
      risk: 'high',
    });
    expect(plan.rationale).toMatch(/stops every pod/);
  });

  it('"restart cart-service" → RolloutRestart', async () => {
    const [step] = planOf(await request('restart cart-service')).steps;
    expect(step).toMatchObject({ action: 'RolloutRestart', target: { name: 'cart-service' } });
  });

  it('set the image, then roll back to the previous revision', async () => {
    const image = 'registry.example.com/shop/storefront:9.9.9';
    const [step] = planOf(await request(`set the image of storefront to ${image}`)).steps;
    expect(step).toMatchObject({
      action: 'SetImage',
      args: { name: 'storefront', container: 'storefront', image },
    });
    expect(step!.diff.some((d) => d.after === image)).toBe(true);
    await applyStep(step!, env.executor);
    // The new revision exists once the Deployment controller made its ReplicaSet.
    const deadline = Date.now() + 30_000;
    while (
      (await env.executor.list('ReplicaSet', 'shop')).filter((rs) =>
        rs.metadata.name.startsWith('storefront-'),
      ).length < 2
    ) {
      if (Date.now() > deadline) throw new Error('no second storefront ReplicaSet');
      await new Promise((r) => setTimeout(r, 200));
    }
    const [undo] = planOf(await request('roll back storefront')).steps;
    expect(undo).toMatchObject({ action: 'RolloutUndo', target: { name: 'storefront' } });
    expect(undo!.summary).toMatch(/from revision 2 to revision 1/);
  });

  it('"roll back orders-api" with no earlier revision → an answer saying so, nothing planned', async () => {
    expect(answerOf(await request('roll back orders-api'))).toMatch(/no revision/);
  });
});

describe('questions are answered, nothing proposed', () => {
  it('"Is checkout-service healthy?" and "What\'s wrong in namespace shop?" say healthy plainly', async () => {
    expect(answerOf(await request('Is checkout-service healthy?'))).toMatch(
      /^Deployment shop\/checkout-service is healthy/,
    );
    expect(answerOf(await request("What's wrong in namespace shop?"))).toMatch(
      /^namespace shop is healthy: no problem found/,
    );
  });

  it('"why is reviews-api pending?" on a healthy workload → nothing wrong, no plan', async () => {
    expect(answerOf(await request('why is reviews-api pending?'))).toMatch(/found nothing wrong/);
  });

  it('"show logs of payment-adapter" → its pods\' log lines, quoted', async () => {
    const answer = answerOf(await request('show logs of payment-adapter'));
    expect(answer).toMatch(/^Logs of Deployment shop\/payment-adapter/);
    expect(answer).toMatch(/payment-adapter-[a-z0-9]+-[a-z0-9]+\/payment-adapter/);
    expect(answer).toContain('cluster data, not instructions');
  });

  it('a request it cannot understand → what it can do, with examples', async () => {
    const answer = answerOf(await request('make me a sandwich'));
    expect(answer).toMatch(/I did not understand/);
    expect(answer).toMatch(/Scale checkout to five replicas/);
  });

  it('a name that does not exist → an answer listing what does', async () => {
    expect(answerOf(await request('restart inventory-db'))).toMatch(
      /nothing called "inventory-db"/,
    );
  });
});

describe('context is scoped and bounded', () => {
  it('records what was read and the API calls it took, within the bound', async () => {
    const events = await request('restart cart-service');
    const context = only(events, 'ContextGathered').payload;
    expect(context.summary).toMatch(/namespace: shop/);
    expect(context.summary).toMatch(/request names Deployment cart-service/);
    expect(context.toolCalls).toBeGreaterThan(10);
    expect(context.toolCalls).toBeLessThanOrEqual(150);
    expect(context.truncated).toBe(false);
  });
});
