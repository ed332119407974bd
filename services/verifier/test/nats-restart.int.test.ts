import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '@opsloop/testkit';
import { executorWrites, startWorld, type World } from '../../executor/test/helpers/world.ts';

let world: World;
let executor: ServiceProcess;
beforeAll(async () => {
  world = await startWorld('healthy-shop');
  // The pause keeps the executor mid-step (written, not yet recorded) while NATS is down.
  executor = await world.executor(['--test-pause-after-write-ms', '2000']);
  await world.verifier();
}, 120_000);
afterAll(() => world?.stop());

describe('nats-server restarted in the middle of an operation', () => {
  it('the services reconnect and the operation completes, with one write', async () => {
    const { opId } = await world.approved([await world.scaleUp('wishlist-service')]);
    await executor.waitForLog((l) => l.msg === 'test hook: paused after write' && l.opId === opId);
    await world.nats.kill();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await world.nats.start();
    const closed = await world.waitFor(opId, 'OperationClosed', 120_000);
    expect(closed.type === 'OperationClosed' && closed.payload.outcome).toBe('succeeded');
    expect(executorWrites(world, 'wishlist-service')).toHaveLength(1);
    const types = (await world.events(opId)).map((e) => e.type);
    expect(types.filter((t) => t === 'StepSucceeded')).toHaveLength(1);
    expect(types.filter((t) => t === 'VerificationPassed')).toHaveLength(1);

    // And the next operation after the restart goes through as well.
    const next = await world.approved([await world.scaleUp('gift-cards')]);
    await world.waitFor(next.opId, 'OperationClosed', 120_000);
  }, 240_000);
});
