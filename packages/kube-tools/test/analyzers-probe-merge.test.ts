import { describe, expect, it } from 'vitest';
import { withOtherProbes } from '../src/analyzers/pod-probes.ts';
import { ACTIONS } from '../src/mod.ts';
import type { Finding, Remediation } from '../src/mod.ts';

const fix = (probe: string, path: string, confidence: number, container = 'web'): Remediation => ({
  action: 'SetProbe',
  args: { namespace: 'shop', kind: 'Deployment', name: 'site', container, probe, path },
  confidence,
  reasoning: `${probe} on ${path}`,
});

const finding = (...remediations: Remediation[]): Finding => ({
  code: 'PROBE_WRONG_PATH',
  severity: 'critical',
  object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'site' },
  evidence: [],
  explanation: 'probe path answers 404',
  remediations,
});

describe('two failing probes of one container: one SetProbe step fixes both', () => {
  it("each probe's fixes carry the other probe's best fix; confidence is the lower", () => {
    const [liveness, readiness] = withOtherProbes([
      finding(fix('liveness', '/', 0.4)),
      finding(fix('readiness', '/status', 0.65), fix('readiness', '/', 0.4)),
    ]);
    expect(liveness!.remediations[0]!.args).toMatchObject({
      probe: 'liveness',
      path: '/',
      also: [{ probe: 'readiness', path: '/status' }],
    });
    expect(liveness!.remediations[0]!.confidence).toBe(0.4);
    expect(readiness!.remediations.map((r) => r.args.also)).toEqual([
      [{ probe: 'liveness', path: '/' }],
      [{ probe: 'liveness', path: '/' }],
    ]);
    expect(readiness!.remediations[0]!.reasoning).toBe(
      'readiness on /status; liveness probe: liveness on /',
    );
    for (const r of [...liveness!.remediations, ...readiness!.remediations])
      expect(ACTIONS.SetProbe!.schema.safeParse(r.args).success).toBe(true);
  });

  it('probes of different containers stay separate steps', () => {
    const [a, b] = withOtherProbes([
      finding(fix('liveness', '/', 0.4, 'web')),
      finding(fix('readiness', '/', 0.4, 'sidecar')),
    ]);
    expect(a!.remediations[0]!.args.also).toBeUndefined();
    expect(b!.remediations[0]!.args.also).toBeUndefined();
  });
});
