import { describe, expect, it } from 'vitest';
import { analyzeSnapshot, emptySnapshot } from '../src/mod.ts';
import type { KubeObject, Snapshot } from '../src/mod.ts';

const snapshot = (parts: Partial<Snapshot>): Snapshot => ({
  ...emptySnapshot('shop'),
  takenAt: '2026-01-01T00:00:00Z',
  ...parts,
});

const service = (selector: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'cache', namespace: 'shop' },
  spec: { selector, ports: [{ port: 6379, targetPort: 6379 }] },
});

const statefulSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'cache', namespace: 'shop', uid: 'sts-1' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'cache' } },
    template: { metadata: { labels: { app: 'cache', tier: 'cache' } }, spec: { containers: [] } },
  },
};

const pod = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'cache-0',
    namespace: 'shop',
    uid: 'pod-1',
    labels: { app: 'cache', tier: 'cache' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'cache', uid: 'sts-1', controller: true },
    ],
  },
  spec: { containers: [{ name: 'redis', image: 'redis:7', ports: [{ containerPort: 6379 }] }] },
  status,
});

const serviceFindings = (s: Snapshot) =>
  analyzeSnapshot(s)
    .filter((f) => f.object.kind === 'Service')
    .map((f) => `${f.severity} ${f.code}`);

describe('a Service whose pods are not ready yet', () => {
  it('before its workload has created any pod: info, not a selector fault', () => {
    const s = snapshot({ services: [service({ app: 'cache' })], statefulSets: [statefulSet] });
    expect(serviceFindings(s)).toEqual(['info SERVICE_NO_READY_ENDPOINTS']);
  });

  it('while its pods are starting (no restart, no warning): info', () => {
    const creating = pod({
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'redis',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    });
    const s = snapshot({
      services: [service({ app: 'cache' })],
      statefulSets: [statefulSet],
      pods: [creating],
    });
    expect(serviceFindings(s)).toEqual(['info SERVICE_NO_READY_ENDPOINTS']);
  });

  it('when its pods fail (restarted, or a Warning event): a warning', () => {
    const restarted = pod({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'redis', ready: false, restartCount: 3, state: { running: {} } }],
    });
    expect(
      serviceFindings(
        snapshot({
          services: [service({ app: 'cache' })],
          statefulSets: [statefulSet],
          pods: [restarted],
        }),
      ),
    ).toEqual(['warning SERVICE_NO_READY_ENDPOINTS']);
    const unhealthy: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1', namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'cache-0', uid: 'pod-1' },
      type: 'Warning',
      reason: 'Unhealthy',
      message: 'Readiness probe failed: connection refused',
    };
    const running = pod({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'redis', ready: false, restartCount: 0, state: { running: {} } }],
    });
    expect(
      serviceFindings(
        snapshot({
          services: [service({ app: 'cache' })],
          statefulSets: [statefulSet],
          pods: [running],
          events: [unhealthy],
        }),
      ),
    ).toEqual(['warning SERVICE_NO_READY_ENDPOINTS']);
  });

  it('a selector that matches no pod and no pod template is still a selector fault', () => {
    const s = snapshot({
      services: [service({ 'k8s-app': 'cache' })],
      statefulSets: [statefulSet],
    });
    const f = analyzeSnapshot(s).find((x) => x.code === 'SERVICE_SELECTOR_NO_MATCH');
    expect(f?.severity).toBe('critical');
    expect(f?.remediations[0]).toMatchObject({
      action: 'PatchServiceSelector',
      args: { selector: { app: 'cache' } },
    });
  });
});
