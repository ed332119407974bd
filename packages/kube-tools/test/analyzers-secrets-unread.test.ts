import { describe, expect, it } from 'vitest';
import { analyzeSnapshot, emptySnapshot } from '../src/mod.ts';
import type { KubeObject, Snapshot } from '../src/mod.ts';

/**
 * With an identity that may not read Secrets (the deployed planner and gateway), the
 * snapshot has no Secrets: a Secret reference is judged by what the kubelet reports, and a
 * finding never claims that a Secret does not exist.
 */
const keyRef = {
  name: 'STRIPE_API_KEY',
  valueFrom: { secretKeyRef: { name: 'gateway-secrets', key: 'stripe-api-key' } },
};
function pod(name: string, message: string | null): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'pay', labels: { app: name } },
    spec: { containers: [{ name: 'app', image: 'gw:1', env: [keyRef] }] },
    status: {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 0,
          state: {
            waiting: message
              ? { reason: 'CreateContainerConfigError', message }
              : { reason: 'ContainerCreating' },
          },
        },
      ],
    },
  };
}
const unread = (pods: KubeObject[]): Snapshot => ({
  ...emptySnapshot('pay'),
  takenAt: '2026-01-01T00:10:00Z',
  pods,
  unreadable: [{ resource: 'secrets', reason: 'forbidden' }],
});

describe('Secret references when Secrets cannot be read', () => {
  it("names the missing key from the kubelet's report, without claiming anything it did not read", () => {
    const s = unread([pod('gw', "couldn't find key stripe-api-key in Secret pay/gateway-secrets")]);
    const findings = analyzeSnapshot(s).filter((f) => f.code.startsWith('SECRET_'));
    expect(findings.map((f) => f.code)).toEqual(['SECRET_KEY_MISSING']);
    const [f] = findings;
    expect(f!.explanation).toBe(
      'The pod cannot start because key "stripe-api-key" of Secret gateway-secrets does not exist.',
    );
    expect(f!.evidence.join('\n')).not.toMatch(/no Secret named/);
    expect(f!.evidence[0]).toBe('pod gw refers to key "stripe-api-key" of Secret gateway-secrets');
    expect(f!.evidence.join('\n')).toMatch(/Secrets are not read/);
    expect(f!.humanAction).toMatch(/Create key "stripe-api-key" of Secret gateway-secrets/);
  });

  it('a Secret the kubelet reports not found is SECRET_MISSING', () => {
    const s = unread([pod('gw', 'secret "gateway-secrets" not found')]);
    const codes = analyzeSnapshot(s).map((f) => f.code);
    expect(codes).toContain('SECRET_MISSING');
  });

  it('a pod that is only starting, with nothing reported, is not a Secret finding', () => {
    const codes = analyzeSnapshot(unread([pod('gw', null)])).map((f) => f.code);
    expect(codes.filter((c) => c.startsWith('SECRET_'))).toEqual([]);
  });
});
