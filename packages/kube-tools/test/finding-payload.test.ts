import { describe, expect, it } from 'vitest';
import { DiagnosisRecorded, FINDING_LIMITS } from '@opsloop/contracts';
import { toFindingPayload } from '../src/mod.ts';
import type { Finding } from '../src/mod.ts';

const base: Finding = {
  code: 'SERVICE_SELECTOR_NO_MATCH',
  severity: 'critical',
  object: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'api' },
  evidence: ['spec.selector = {"app":"api"}'],
  explanation: 'The Service selects no pod.',
  remediations: [
    { action: 'RolloutRestart', args: { namespace: 'shop' }, confidence: 0.5, reasoning: 'r' },
  ],
};

describe('toFindingPayload: the one conversion from an analyzer finding to DiagnosisRecorded', () => {
  it('keeps code, severity, object, evidence and explanation; drops apiVersion and remediations', () => {
    const payload = toFindingPayload(base);
    expect(payload).toEqual({
      code: base.code,
      severity: 'critical',
      object: { kind: 'Service', namespace: 'shop', name: 'api' },
      evidence: base.evidence,
      explanation: base.explanation,
    });
    expect(DiagnosisRecorded.schema.safeParse({ findings: [payload] }).success).toBe(true);
  });

  it('folds what a person must do into the explanation, the only place the event has for it', () => {
    const payload = toFindingPayload({ ...base, humanAction: 'Publish the image tag.' });
    expect(payload.explanation).toBe(
      'The Service selects no pod. Needs a person: Publish the image tag.',
    );
  });

  it('fits oversized cluster text to the event caps instead of producing a rejected event', () => {
    const huge: Finding = {
      ...base,
      explanation: 'x'.repeat(5000),
      evidence: ['', ...Array.from({ length: 30 }, (_, i) => `${i}:${'y'.repeat(3000)}`)],
    };
    const payload = toFindingPayload(huge);
    expect(payload.explanation.length).toBe(FINDING_LIMITS.explanation);
    expect(payload.evidence).toHaveLength(FINDING_LIMITS.evidenceItems);
    expect(payload.evidence[0]!.startsWith('0:')).toBe(true);
    expect(Math.max(...payload.evidence.map((e) => e.length))).toBe(FINDING_LIMITS.evidenceText);
    expect(DiagnosisRecorded.schema.safeParse({ findings: [payload] }).success).toBe(true);
  });

  it('contracts reject the severity the analyzers used to emit', () => {
    const payload = { ...toFindingPayload(base), severity: 'error' };
    expect(DiagnosisRecorded.schema.safeParse({ findings: [payload] }).success).toBe(false);
  });
});
