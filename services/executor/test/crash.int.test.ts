import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executorWrites, startWorld, type World } from './helpers/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld('healthy-shop');
}, 120_000);
afterAll(() => world?.stop());

describe('executor crash safety', () => {
  it('kill -9 between a write and its StepSucceeded → after restart no second write, the operation completes', async () => {
    const paused = await world.executor(['--test-pause-after-write-ms', '600000']);
    const first = await world.scaleUp('storefront');
    const second = await world.scaleUp('api-gateway');
    const { opId } = await world.approved([first, second]);
    await paused.waitForLog((l) => l.msg === 'test hook: paused after write' && l.opId === opId);
    await paused.kill();
    expect(executorWrites(world, 'storefront')).toHaveLength(1);
    const before = (await world.events(opId)).map((e) => e.type);
    expect(before.at(-1)).toBe('StepStarted');

    const restarted = await world.executor();
    await world.waitFor(opId, 'ExecutionCompleted', 60_000);
    await restarted.waitForLog(
      (l) => l.msg === 'step found applied after a restart' && l.opId === opId,
    );
    expect(executorWrites(world, 'storefront')).toHaveLength(1);
    expect(executorWrites(world, 'api-gateway')).toHaveLength(1);
    const types = (await world.events(opId)).map((e) => e.type);
    expect(types.filter((t) => t === 'StepSucceeded')).toHaveLength(2);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    const live = await world.admin.get('Deployment', world.run.namespace, 'storefront');
    expect(live?.spec?.replicas).toBe(first.args.replicas);
  }, 120_000);
});
