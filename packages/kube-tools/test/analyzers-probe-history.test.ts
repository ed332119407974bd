import { describe, expect, it } from 'vitest';
import { analyzeSnapshot, emptySnapshot } from '../src/mod.ts';
import type { KubeObject, Snapshot } from '../src/mod.ts';

const READY_AT = '2026-01-01T00:01:00Z';

/** StatefulSet db's one pod, Ready since READY_AT, and one readiness failure at `failedAt`. */
function db(failedAt: string, restartCount = 0): Snapshot {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'db-0',
      namespace: 'shop',
      uid: 'pod-1',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'sts-1', controller: true },
      ],
    },
    spec: {
      containers: [
        {
          name: 'postgres',
          image: 'postgres:16',
          ports: [{ name: 'postgres', containerPort: 5432 }],
          readinessProbe: { tcpSocket: { port: 'postgres' } },
        },
      ],
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: READY_AT }],
      containerStatuses: [{ name: 'postgres', ready: true, restartCount, state: { running: {} } }],
    },
  };
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'db-0.1', namespace: 'shop' },
    involvedObject: {
      kind: 'Pod',
      name: 'db-0',
      uid: 'pod-1',
      fieldPath: 'spec.containers{postgres}',
    },
    type: 'Warning',
    reason: 'Unhealthy',
    message: 'Readiness probe failed: dial tcp 10.0.0.5:5432: connect: connection refused',
    lastTimestamp: failedAt,
  };
  return {
    ...emptySnapshot('shop'),
    takenAt: '2026-01-01T00:05:00Z',
    statefulSets: [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace: 'shop', uid: 'sts-1' },
        spec: { replicas: 1, template: { spec: pod.spec } },
      },
    ],
    pods: [pod],
    events: [event],
  };
}

const probeCodes = (s: Snapshot) =>
  analyzeSnapshot(s)
    .filter((f) => f.code.startsWith('PROBE_'))
    .map((f) => `${f.severity} ${f.code}`);

describe('probe failures and the time the pod became Ready', () => {
  it('a failure before the pod became Ready (while it started) is history: no finding', () => {
    expect(probeCodes(db('2026-01-01T00:00:40Z'))).toEqual([]);
  });

  it('a failure after it became Ready is current', () => {
    expect(probeCodes(db('2026-01-01T00:02:00Z'))).toEqual(['warning PROBE_FAILING']);
  });

  it('a container that restarted may have been killed by a probe: its failures still count', () => {
    expect(probeCodes(db('2026-01-01T00:00:40Z', 2))).toEqual(['warning PROBE_FAILING']);
  });
});
