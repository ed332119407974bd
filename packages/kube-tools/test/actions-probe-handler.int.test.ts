import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, applyStep, inverseOf, isApplied, planStep } from '../src/mod.ts';
import type { KubeObject } from '../src/mod.ts';
import { NS, seedShop } from './helpers/seed.ts';
import { startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

/**
 * SetProbe with `handler`: an exec probe whose program the image lacks becomes an HTTP GET
 * (or a TCP connect), the kubelet's own check, which needs nothing inside the image.
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

async function withExecReadiness(): Promise<void> {
  const containers = [
    {
      ...(await app()),
      readinessProbe: {
        exec: { command: ['curl', '-fsS', 'http://localhost:8080/health'] },
        periodSeconds: 5,
      },
    },
  ];
  await env.cluster.patch('Deployment', NS, 'web', {
    type: 'merge',
    body: { spec: { template: { spec: { containers } } } },
  });
}

describe('SetProbe handler', () => {
  it('replaces an exec check with an HTTP GET, keeps the timings, and undoes by rollback', async () => {
    await withExecReadiness();
    const args = { ...D, probe: 'readiness', handler: 'httpGet', path: '/health', port: 8080 };
    const step = await planStep('SetProbe', args, env.cluster);
    expect(await isApplied(step, env.cluster)).toBe(false);
    await applyStep(step, env.cluster);
    expect(await isApplied(step, env.cluster)).toBe(true);
    const fixed = (await app()).readinessProbe;
    expect(fixed).toMatchObject({ httpGet: { path: '/health', port: 8080 }, periodSeconds: 5 });
    expect(fixed.exec).toBeUndefined();
    // An exec command cannot be written back through SetProbe: the previous revision can.
    expect(inverseOf(step)).toEqual({
      action: 'RolloutUndo',
      args: { namespace: NS, kind: 'Deployment', name: 'web' },
    });
  });

  it('switches an HTTP probe to a TCP connect and back', async () => {
    const step = await planStep(
      'SetProbe',
      { ...D, probe: 'liveness', handler: 'tcpSocket', port: 8080 },
      env.cluster,
    );
    await applyStep(step, env.cluster);
    const live = (await app()).livenessProbe;
    expect(live.tcpSocket).toEqual({ port: 8080 });
    expect(live.httpGet).toBeUndefined();
    const undo = inverseOf(step)!;
    expect(undo.args).toMatchObject({
      probe: 'liveness',
      handler: 'httpGet',
      path: '/healthz',
      port: 8080,
    });
    await applyStep(await planStep(undo.action, undo.args, env.cluster), env.cluster);
    const back = (await app()).livenessProbe;
    expect(back).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 });
    expect(back.tcpSocket).toBeUndefined();
  });

  it('needs a port, and a path for HTTP only', () => {
    const ok = (a: Record<string, unknown>) =>
      ACTIONS.SetProbe!.schema.safeParse({ ...D, probe: 'readiness', ...a }).success;
    expect(ok({ handler: 'httpGet', path: '/', port: 80 })).toBe(true);
    expect(ok({ handler: 'httpGet', port: 80 })).toBe(false);
    expect(ok({ handler: 'httpGet', path: '/' })).toBe(false);
    expect(ok({ handler: 'tcpSocket', port: 'http' })).toBe(true);
    expect(ok({ handler: 'tcpSocket', path: '/', port: 80 })).toBe(false);
    expect(ok({ handler: 'exec', port: 80 })).toBe(false);
  });
});
