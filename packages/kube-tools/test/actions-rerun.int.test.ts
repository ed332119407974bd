import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidArgsError,
  PreconditionError,
  StepMismatchError,
  applyStep,
  isApplied,
  planStep,
} from '../src/mod.ts';
import type { KubeObject } from '../src/mod.ts';
import { NS, seedShop } from './helpers/seed.ts';
import { startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

let env: SimEnv;
beforeAll(async () => {
  env = await startSimEnv();
  await seedShop(env.cluster);
});
afterAll(async () => env?.stop());

const bucket = {
  name: 'EXPORT_BUCKET',
  valueFrom: { configMapKeyRef: { name: 'exporter-config', key: 'EXPORT_BUCKET' } },
};

describe('RecreateJob with an env change (a Job template cannot be patched)', () => {
  it('refuses a container the Job does not have, and values that could reach a shell', async () => {
    await expect(
      planStep(
        'RecreateJob',
        { namespace: NS, name: 'migrate', env: { container: 'nope', set: [bucket] } },
        env.cluster,
      ),
    ).rejects.toBeInstanceOf(PreconditionError);
    await expect(
      planStep(
        'RecreateJob',
        {
          namespace: NS,
          name: 'migrate',
          env: { container: 'migrate', set: [{ name: 'X', value: 'a; rm -rf /' }] },
        },
        env.cluster,
      ),
    ).rejects.toBeInstanceOf(InvalidArgsError);
  });

  it('shows the changed spec, re-creates the Job with it, and never from a forged diff', async () => {
    const args = { namespace: NS, name: 'migrate', env: { container: 'migrate', set: [bucket] } };
    const step = await planStep('RecreateJob', args, env.cluster);
    expect(step.summary).toMatch(/EXPORT_BUCKET set in container migrate/);
    const shown = step.diff[0]!.after as unknown as KubeObject;
    expect(shown.spec.template.spec.containers[0].env).toEqual([bucket]);
    // The same step with other args than it was planned with: the derived spec differs.
    const forged = { ...step, args: { namespace: NS, name: 'migrate' } };
    await expect(applyStep(forged, env.cluster)).rejects.toBeInstanceOf(StepMismatchError);
    const old = (await env.cluster.get('Job', NS, 'migrate'))!;
    await applyStep(step, env.cluster, { operationId: 'op-env-rerun' });
    const fresh = (await env.cluster.get('Job', NS, 'migrate'))!;
    expect(fresh.metadata.uid).not.toBe(old.metadata.uid);
    expect(fresh.spec.template.spec.containers[0].env).toEqual([bucket]);
    expect(await isApplied(step, env.cluster)).toBe(true);
  });
});
