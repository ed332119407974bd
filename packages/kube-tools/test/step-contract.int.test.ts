import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_LIMITS, Step } from '@opsloop/contracts';
import { planStep } from '../src/mod.ts';
import type { PlannedStep } from '../src/mod.ts';
import { NS, seedShop } from './helpers/seed.ts';
import { startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

/**
 * The largest args the schemas allow still give a step that contracts' Step accepts: the
 * summaries never splice the caller's JSON unbounded (the full value is in the diff).
 */
let env: SimEnv;
beforeAll(async () => {
  env = await startSimEnv();
  await seedShop(env.cluster);
});
afterAll(async () => env?.stop());

const D = { namespace: NS, kind: 'Deployment', name: 'web' };
const long = (i: number) => `${'k'.repeat(50)}${i}`;
const labels = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`example.com/${long(i)}`, long(i)]));

const CASES: [string, Record<string, unknown>][] = [
  [
    'AddNetworkPolicyRule',
    {
      namespace: NS,
      name: 'web-policy',
      direction: 'ingress',
      peers: Array.from({ length: 10 }, () => ({
        podSelector: labels(4),
        namespaceSelector: labels(4),
      })),
      ports: Array.from({ length: 10 }, (_, i) => ({ port: 8000 + i })),
    },
  ],
  ['SetNodeSelector', { ...D, nodeSelector: labels(32) }],
  [
    'SetTolerations',
    {
      ...D,
      tolerations: Array.from({ length: 20 }, (_, i) => ({
        key: `example.com/${long(i)}`,
        operator: 'Equal',
        value: long(i),
        effect: 'NoExecute',
        tolerationSeconds: 3600,
      })),
    },
  ],
  [
    'UpdateResourceQuota',
    {
      namespace: NS,
      name: 'compute',
      hard: Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [`count/${'x'.repeat(40)}${i}.example.com`, '999']),
      ),
    },
  ],
];

describe('planned steps fit contracts Step at the schemas\u2019 limits', () => {
  it.each(CASES)('%s with the most and longest values its schema allows', async (action, args) => {
    const step: PlannedStep = await planStep(action, args, env.cluster);
    expect(step.summary.length).toBeLessThanOrEqual(STEP_LIMITS.summary);
    expect(step.summary).toContain(action === 'UpdateResourceQuota' ? 'quota' : NS);
    expect(Step.safeParse({ id: 's1', ...step }).error).toBeUndefined();
  });
});
