import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreconditionError, applyStep, inverseOf, isApplied, planStep } from '../src/mod.ts';
import { runScenario, type ScenarioEnv } from './helpers/scenario.ts';

let env: ScenarioEnv;
beforeAll(async () => {
  env = await runScenario('init-container-typo');
}, 60_000);
afterAll(async () => env?.stop());

const base = {
  namespace: 'shop',
  kind: 'Deployment',
  name: 'orders-api',
  container: 'wait-for-cache',
};

const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'shop' },
  spec: { ports: [{ port: 80 }] },
});

describe('ReplaceServiceHost', () => {
  it('corrects only to a Service that exists, only a typo, never the program', async () => {
    const refused = (from: string, to: string) =>
      planStep('ReplaceServiceHost', { ...base, from, to }, env.cluster);
    // No Service named like that.
    await expect(refused('orders-cahce', 'orders-cachee')).rejects.toBeInstanceOf(
      PreconditionError,
    );
    // Another service, not a typo.
    await expect(refused('orders-cahce', 'orders-api')).rejects.toThrow(/more than 2 edits/);
    // The command's program (`sh`) is never rewritten, even to an existing Service's name.
    await env.cluster.create('Service', 'shop', service('shh'));
    await expect(refused('sh', 'shh')).rejects.toThrow(/do not name "sh"/);
    // A host that is itself a Service is not a typo.
    await env.cluster.create('Service', 'shop', service('orders-cahce'));
    await expect(refused('orders-cahce', 'orders-cache')).rejects.toThrow(/not a typo/);
    await env.cluster.remove('Service', 'shop', 'orders-cahce');
  });

  it('plans the corrected command, applies it once, and undoes by rollback', async () => {
    const step = await planStep(
      'ReplaceServiceHost',
      { ...base, from: 'orders-cahce', to: 'orders-cache' },
      env.cluster,
    );
    expect(step.diff.map((d) => JSON.stringify(d.after))).toContainEqual(
      expect.stringContaining('nslookup orders-cache.shop.svc.cluster.local'),
    );
    expect(await isApplied(step, env.cluster)).toBe(false);
    await applyStep(step, env.cluster);
    expect(await isApplied(step, env.cluster)).toBe(true);
    const live = await env.cluster.get('Deployment', 'shop', 'orders-api');
    const init = live!.spec.template.spec.initContainers[0];
    expect(init.command[0]).toBe('sh');
    expect(init.command[2]).toMatch(/until nslookup orders-cache\.shop\.svc\.cluster\.local;/);
    expect(inverseOf(step)).toEqual({
      action: 'RolloutUndo',
      args: { namespace: 'shop', kind: 'Deployment', name: 'orders-api' },
    });
    const verdict = await env.waitSolved(60_000);
    expect(verdict.ok, verdict.report).toBe(true);
  }, 90_000);
});
