import { describe, expect, it } from 'vitest';
import type { Plan } from '@opsloop/contracts';
import { DEFAULT_LIMITS, checkLimits, checkTargets, matchesScope } from '../src/mod.ts';

const target = (namespace: string | null, name = 'web') => ({
  kind: 'Deployment',
  namespace,
  name,
});

describe('policy', () => {
  it('scope entries are names or globs', () => {
    expect(matchesScope('shop', ['shop'])).toBe(true);
    expect(matchesScope('shop-eu', ['shop-*'])).toBe(true);
    expect(matchesScope('shopping', ['shop-*'])).toBe(false);
    expect(matchesScope('team1', ['team?'])).toBe(true);
    expect(matchesScope('payments', [])).toBe(false);
  });
  it('names every breach: outside scope, protected, cluster-scoped, no scope at all', () => {
    const v = checkTargets(
      [target('shop'), target('billing'), target('kube-system'), target(null)],
      ['shop', 'kube-*'],
      DEFAULT_LIMITS,
    );
    expect(v.map((x) => [x.rule, x.stepIndex])).toEqual([
      ['namespace-in-scope', 1],
      ['protected-namespace', 2],
      ['cluster-scoped-target', 3],
    ]);
    expect(v[0]!.message).toContain('billing');
    expect(checkTargets([target('shop')], null, DEFAULT_LIMITS)[0]).toMatchObject({
      rule: 'namespace-in-scope',
    });
    expect(checkTargets([target('shop')], ['shop'], DEFAULT_LIMITS)).toEqual([]);
  });
  it('limits on steps, objects and risk', () => {
    const step = (i: number, risk: 'low' | 'high' | 'destructive') => ({
      id: `s${i}`,
      action: 'ScaleWorkload',
      args: {},
      target: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: `w${i}`,
        resourceVersion: '1',
      },
      diff: [],
      risk,
      checks: [],
      summary: `step ${i}`,
    });
    const plan = {
      schemaVersion: 1,
      clusterId: 'c',
      rationale: 'r',
      steps: [step(1, 'low'), step(2, 'destructive'), step(3, 'high')],
    } as Plan;
    const v = checkLimits(plan, { maxSteps: 2, maxObjects: 2, maxRisk: 'high' });
    expect(v.map((x) => x.rule)).toEqual(['max-steps', 'max-objects', 'max-risk']);
    expect(v[2]).toMatchObject({ stepIndex: 1 });
    expect(checkLimits(plan, { maxSteps: 5, maxObjects: 5, maxRisk: 'destructive' })).toEqual([]);
  });
});
