import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executorWrites, startWorld, type World } from './helpers/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld('healthy-shop');
  await world.executor();
}, 120_000);
afterAll(() => world?.stop());

describe('executor: an approved plan is applied step by step', () => {
  it('scales two deployments: one write per step with the field manager, then ExecutionCompleted', async () => {
    const ns = world.run.namespace;
    const steps = [await world.scaleUp('storefront'), await world.scaleUp('product-api')];
    const { opId } = await world.approved(steps);
    await world.waitFor(opId, 'ExecutionCompleted');
    const types = (await world.events(opId)).map((e) => e.type);
    expect(types).toEqual([
      'OperationRequested',
      'PlanProposed',
      'ApprovalGranted',
      'ExecutionStarted',
      'StepStarted',
      'StepSucceeded',
      'StepStarted',
      'StepSucceeded',
      'ExecutionCompleted',
    ]);
    expect(executorWrites(world, 'storefront')).toHaveLength(1);
    expect(executorWrites(world, 'product-api')).toHaveLength(1);
    const storefront = await world.admin.get('Deployment', ns, 'storefront');
    expect(storefront?.spec?.replicas).toBe(steps[0]!.args.replicas);
    expect(storefront?.metadata.annotations?.['opsloop.dev/operation']).toBe(opId);
  }, 90_000);
});
