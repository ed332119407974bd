import { describe, expect, it } from 'vitest';
import { analyzeSnapshot, emptySnapshot } from '../src/mod.ts';
import type { KubeObject, Snapshot } from '../src/mod.ts';

const job = (owners: KubeObject['metadata']['ownerReferences'] = []): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'export', namespace: 'data', uid: 'j-1', ownerReferences: owners },
  spec: {
    template: { spec: { containers: [{ name: 'main', image: 'example.com/export:2' }] } },
  },
  status: {
    failed: 4,
    conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }],
  },
});

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'export-abc',
    namespace: 'data',
    uid: 'p-1',
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'export', uid: 'j-1' }],
  },
  spec: { containers: [{ name: 'main', image: 'example.com/export:2' }] },
  status: {
    phase: 'Failed',
    containerStatuses: [
      { name: 'main', restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } },
    ],
  },
};

function snapshot(j: KubeObject, configMaps: Snapshot['configMaps']): Snapshot {
  return {
    ...emptySnapshot('data'),
    jobs: [j],
    pods: [pod],
    configMaps,
    logs: { 'export-abc/main': 'fatal: TARGET_BUCKET is not set' },
  };
}

const jobFailed = (s: Snapshot) => analyzeSnapshot(s).find((f) => f.code === 'JOB_FAILED')!;

describe('a failed Job whose logs name a missing variable', () => {
  it('is re-run with the variable referenced from the one ConfigMap that has the key', () => {
    const f = jobFailed(snapshot(job(), [{ name: 'export-settings', keys: ['TARGET_BUCKET'] }]));
    expect(f.remediations[0]).toMatchObject({
      action: 'RecreateJob',
      args: {
        namespace: 'data',
        name: 'export',
        env: {
          container: 'main',
          set: [
            {
              name: 'TARGET_BUCKET',
              valueFrom: { configMapKeyRef: { name: 'export-settings', key: 'TARGET_BUCKET' } },
            },
          ],
        },
      },
    });
    expect(f.remediations[0]!.reasoning).toMatch(/cannot be changed, so it is re-run/);
    expect(f.humanAction).toBeUndefined();
  });

  it('asks a person when no key or two keys match, or a CronJob made the Job', () => {
    for (const s of [
      snapshot(job(), []),
      snapshot(job(), [
        { name: 'a', keys: ['TARGET_BUCKET'] },
        { name: 'b', keys: ['TARGET_BUCKET'] },
      ]),
      snapshot(job([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'c-1' }]), [
        { name: 'export-settings', keys: ['TARGET_BUCKET'] },
      ]),
    ]) {
      const f = jobFailed(s);
      expect(f.remediations).toEqual([]);
      expect(f.humanAction).toMatch(/re-run the Job/);
    }
  });
});
