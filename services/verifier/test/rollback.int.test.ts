import { describe, expect, it } from 'vitest';
import { executorWrites, startWorld } from '../../executor/test/helpers/world.ts';

describe('a plan that does not fix the problem', () => {
  it('→ VerificationFailed with observed values and a RollbackProposed; approving the rollback restores the prior state', async () => {
    const world = await startWorld('healthy-shop');
    try {
      await world.executor();
      // A failed rollout fails RolloutComplete at its progress deadline (12 s here); pods are
      // given less time than the default so the test does not wait five minutes for them.
      await world.verifier(['--check-timeouts', 'PodsHealthy=15000']);
      const ns = world.run.namespace;
      const prior = await world.admin.get('Deployment', ns, 'static-assets');
      const priorImage = prior?.spec?.template?.spec?.containers?.[0]?.image;
      expect(priorImage).toBe('nginx:1.27.3-alpine');
      const { opId } = await world.approved([
        {
          action: 'SetImage',
          args: {
            namespace: ns,
            kind: 'Deployment',
            name: 'static-assets',
            container: 'static-assets',
            image: 'nginx:1.27.9',
          },
        },
      ]);
      const failed = await world.waitFor(opId, 'VerificationFailed', 120_000);
      const events = await world.events(opId);
      const checkFailed = events.filter((e) => e.type === 'CheckFailed');
      expect(checkFailed.length).toBeGreaterThan(0);
      for (const e of checkFailed)
        expect(e.type === 'CheckFailed' && e.payload.observed).toBeTruthy();
      const rollout = checkFailed.find(
        (e) => e.type === 'CheckFailed' && e.payload.check.name === 'RolloutComplete',
      );
      expect(rollout?.type === 'CheckFailed' && rollout.payload.observed).toMatchObject({
        desired: 2,
      });
      if (failed.type !== 'VerificationFailed') throw new Error('unreachable');
      expect(failed.payload.reason).toMatch(/RolloutComplete failed.*observed/);
      // The analyzers say what is still wrong on the target.
      expect(failed.payload.reason).toMatch(/still wrong: .*static-assets/);

      const proposed = await world.waitFor(opId, 'RollbackProposed');
      if (proposed.type !== 'RollbackProposed') throw new Error('unreachable');
      expect(proposed.payload.plan.steps.map((s) => [s.action, s.args.image])).toEqual([
        ['SetImage', priorImage],
      ]);
      // The rollback needs an approval like any plan: nothing is applied until then.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await world.events(opId)).at(-1)?.type).toBe('RollbackProposed');
      expect(executorWrites(world, 'static-assets')).toHaveLength(1);

      await world.grant(opId, 'bob');
      const closed = await world.waitFor(opId, 'OperationClosed', 120_000);
      expect(closed.type === 'OperationClosed' && closed.payload.outcome).toBe('rolled_back');
      expect(executorWrites(world, 'static-assets')).toHaveLength(2);
      const after = await world.admin.get('Deployment', ns, 'static-assets');
      expect(after?.spec?.template?.spec?.containers?.[0]?.image).toBe(priorImage);
      expect(after?.status?.availableReplicas).toBe(2);
    } finally {
      await world.stop();
    }
  }, 240_000);
});
