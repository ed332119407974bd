import { describe, expect, it } from 'vitest';
import { analyzeSnapshot, emptySnapshot } from '../src/mod.ts';
import type { Analyzer, Finding } from '../src/mod.ts';

/**
 * The documented protection: a remediation whose args its action's schema rejects (or
 * whose action is not in the catalog) never reaches a plan, whatever an analyzer proposed.
 */
const scale = (replicas: unknown, namespace = 'shop') => ({
  action: 'ScaleWorkload',
  args: { namespace, kind: 'Deployment', name: 'web', replicas },
  confidence: 0.5,
  reasoning: 'test',
});

const proposing: Analyzer = {
  name: 'proposing',
  codes: ['TEST_FINDING'],
  analyze: (): Finding[] => [
    {
      code: 'TEST_FINDING',
      severity: 'warning',
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
      evidence: ['replicas: 0'],
      explanation: 'a finding with good and bad proposals',
      remediations: [
        { ...scale(2), confidence: 0.4 },
        scale(-1),
        scale('3'),
        scale(2, 'shop; kubectl delete ns prod'),
        { ...scale(2), args: { ...scale(2).args, extra: 'slipped in' } },
        { ...scale(2), action: 'DeleteNamespace' },
        { ...scale(2), action: 'hasOwnProperty' },
        { ...scale(5), confidence: 0.9 },
      ],
    },
  ],
};

describe('analyzeSnapshot drops remediations the catalog would not plan', () => {
  it('keeps only schema-valid proposals of catalog actions, best first', () => {
    const [finding] = analyzeSnapshot(emptySnapshot('shop'), [proposing]);
    expect(finding!.remediations.map((r) => [r.action, r.args.replicas, r.confidence])).toEqual([
      ['ScaleWorkload', 5, 0.9],
      ['ScaleWorkload', 2, 0.4],
    ]);
  });
});
