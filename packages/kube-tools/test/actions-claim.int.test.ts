import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OPERATION_ANNOTATION,
  PreconditionError,
  applyStep,
  inverseOf,
  isApplied,
  planStep,
} from '../src/mod.ts';
import { runScenario, type ScenarioEnv } from './helpers/scenario.ts';

let env: ScenarioEnv;
beforeAll(async () => {
  env = await runScenario('pvc-missing-storageclass');
}, 60_000);
afterAll(async () => env?.stop());

const claim = { namespace: 'data', name: 'report-archive' };

function writes(mark: number) {
  return env.sim.audit
    .entries()
    .slice(mark)
    .filter((e) => ['create', 'delete'].includes(e.verb) && !e.dryRun && e.responseCode < 300);
}

describe('RecreateClaim', () => {
  it('refuses a class that does not exist', async () => {
    await expect(
      planStep('RecreateClaim', { ...claim, storageClassName: 'gold' }, env.cluster),
    ).rejects.toBeInstanceOf(PreconditionError);
  });

  it('recreates the never-bound claim with the class, once, and it binds', async () => {
    const old = (await env.cluster.get('PersistentVolumeClaim', 'data', 'report-archive'))!;
    const step = await planStep(
      'RecreateClaim',
      { ...claim, storageClassName: 'premium-rwo' },
      env.cluster,
    );
    expect(step.summary).toMatch(/never bound, no data.*premium-rwo instead of fast-ssd/);
    expect(inverseOf(step)).toBeNull();
    expect(await isApplied(step, env.cluster)).toBe(false);
    const mark = env.sim.audit.entries().length;
    await applyStep(step, env.cluster, { operationId: 'op-claim' });
    const fresh = (await env.cluster.get('PersistentVolumeClaim', 'data', 'report-archive'))!;
    expect(fresh.metadata.uid).not.toBe(old.metadata.uid);
    expect(fresh.spec.storageClassName).toBe('premium-rwo');
    expect(fresh.spec.resources).toEqual(old.spec.resources);
    expect(fresh.metadata.labels).toEqual(old.metadata.labels);
    expect(fresh.metadata.annotations?.[OPERATION_ANNOTATION]).toBe('op-claim');
    expect(await isApplied(step, env.cluster)).toBe(true);
    const count = writes(mark).length;
    expect(count).toBe(2); // one delete, one create
    await applyStep(step, env.cluster); // a crashed executor retrying
    expect(writes(mark).length).toBe(count);
    const verdict = await env.waitSolved(60_000);
    expect(verdict.ok, verdict.report).toBe(true);
  }, 90_000);

  it('never recreates a claim that is bound (it may hold data)', async () => {
    await expect(
      planStep('RecreateClaim', { ...claim, storageClassName: 'standard' }, env.cluster),
    ).rejects.toThrow(/never recreated/);
  });
});
