import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, applyStep, inverseOf, isApplied, planStep } from '../src/mod.ts';
import type { KubeObject } from '../src/mod.ts';
import { NS, seedShop } from './helpers/seed.ts';
import { startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

/**
 * SetProbe with `also`: two probes of one container in one guarded patch, because a plan
 * takes one step per object (a second step on the object the first changed could not
 * apply) and a container whose liveness and readiness probes both miss must get both fixed.
 */
let env: SimEnv;
beforeAll(async () => {
  env = await startSimEnv();
  await seedShop(env.cluster);
});
afterAll(async () => env?.stop());

const D = { namespace: NS, kind: 'Deployment', name: 'web', container: 'app' };
const app = async () =>
  ((await env.cluster.get('Deployment', NS, 'web')) as KubeObject).spec.template.spec.containers[0];

describe('SetProbe also', () => {
  it('fixes both probes in one step, and its inverse restores both', async () => {
    const args = {
      ...D,
      probe: 'liveness',
      path: '/',
      also: [{ probe: 'readiness', path: '/', periodSeconds: 7 }],
    };
    const step = await planStep('SetProbe', args, env.cluster);
    expect(step.summary).toMatch(/livenessProbe and readinessProbe/);
    expect(step.diff.map((d) => d.path.split('.').pop())).toEqual([
      'livenessProbe',
      'readinessProbe',
    ]);
    await applyStep(step, env.cluster);
    expect(await isApplied(step, env.cluster)).toBe(true);
    const fixed = await app();
    expect(fixed.livenessProbe).toMatchObject({ httpGet: { path: '/', port: 8080 } });
    expect(fixed.readinessProbe).toMatchObject({ httpGet: { path: '/' }, periodSeconds: 7 });

    const undo = inverseOf(step)!;
    expect(undo.args).toMatchObject({
      probe: 'liveness',
      path: '/healthz',
      also: [{ probe: 'readiness', path: '/health', periodSeconds: 5 }],
    });
    await applyStep(await planStep(undo.action, undo.args, env.cluster), env.cluster);
    const back = await app();
    expect(back.livenessProbe).toMatchObject({ httpGet: { path: '/healthz' }, periodSeconds: 10 });
    expect(back.readinessProbe).toMatchObject({ httpGet: { path: '/health' }, periodSeconds: 5 });
  });

  it('names each probe once, with something to change', () => {
    const ok = (also: unknown) =>
      ACTIONS.SetProbe!.schema.safeParse({ ...D, probe: 'liveness', path: '/', also }).success;
    expect(ok([{ probe: 'readiness', path: '/' }])).toBe(true);
    expect(ok([{ probe: 'liveness', path: '/x' }])).toBe(false);
    expect(ok([{ probe: 'readiness' }])).toBe(false);
    expect(ok([])).toBe(false);
    expect(
      ACTIONS.SetProbe!.schema.safeParse({
        ...D,
        probe: 'liveness',
        also: [{ probe: 'readiness', path: '/' }],
      }).success,
    ).toBe(false);
  });
});
