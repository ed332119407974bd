import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/api/types.ts';
import { R } from '../../../src/controllers/workloads/kinds.ts';
import { ADMIN, at, node, podTemplate, startHarness, waitFor, type Harness } from './harness.ts';

let h: Harness;
afterEach(() => h?.stop());

const condition = (o: KObject | undefined, type: string) =>
  (
    at(o, 'status', 'conditions') as
      { type: string; status: string; reason: string; message: string }[] | undefined
  )?.find((c) => c.type === type);
const names = (objects: KObject[]) => objects.map((o) => o.metadata.name).sort();

describe('workload controllers', { timeout: 20_000 }, () => {
  it('ReplicaSet replaces a deleted pod and removes extras on scale down', async () => {
    h = startHarness();
    h.apply(node('node-1'), {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: podTemplate() },
    });
    await waitFor(() => at(h.get('ReplicaSet', 'web'), 'status', 'readyReplicas') === 3);
    const victim = h.list('Pod')[0]!;
    h.api.delete(R.pods, 'default', victim.metadata.name!, { user: ADMIN });
    await waitFor(() => h.list('Pod').length === 3 && !h.get('Pod', victim.metadata.name!));
    const rs = h.get('ReplicaSet', 'web')!;
    h.api.patch(
      R.replicaSets,
      'default',
      'web',
      'merge',
      { spec: { replicas: 1 } },
      { user: ADMIN, subresource: 'scale' },
    );
    await waitFor(
      () =>
        h.list('Pod').length === 1 && at(h.get('ReplicaSet', 'web'), 'status', 'replicas') === 1,
    );
    expect(at(h.get('ReplicaSet', 'web'), 'status')).toMatchObject({
      replicas: 1,
      fullyLabeledReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
    });
    expect(rs.metadata.uid).toBe(h.get('ReplicaSet', 'web')!.metadata.uid);
  });

  it('StatefulSet creates ordinals one at a time with their claims', async () => {
    h = startHarness();
    const order: string[] = [];
    h.api.onChange((e, r) => {
      if (r.kind === 'Pod' && e.type === 'ADDED') order.push(e.object.metadata.name!);
    });
    h.apply(
      node('node-1'),
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {
          name: 'standard',
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        provisioner: 'kube-sim.io/hostpath',
      },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace: 'default' },
        spec: {
          replicas: 3,
          serviceName: 'db',
          selector: { matchLabels: { app: 'web' } },
          template: podTemplate('db:1'),
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
            },
          ],
        },
      },
    );
    await waitFor(() => at(h.get('StatefulSet', 'db'), 'status', 'readyReplicas') === 3);
    expect(order).toEqual(['db-0', 'db-1', 'db-2']);
    expect(names(h.list('PersistentVolumeClaim'))).toEqual(['data-db-0', 'data-db-1', 'data-db-2']);
    const pod = h.get('Pod', 'db-1')!;
    expect(at(pod, 'spec', 'hostname')).toBe('db-1');
    expect(at(pod, 'spec', 'volumes')).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } },
    ]);
    await waitFor(() =>
      names(h.list('PersistentVolumeClaim')).every(
        (n) => at(h.get('PersistentVolumeClaim', n!), 'status', 'phase') === 'Bound',
      ),
    );
    h.api.patch(
      R.statefulSets,
      'default',
      'db',
      'merge',
      { spec: { replicas: 1 } },
      { user: ADMIN },
    );
    await waitFor(() => names(h.list('Pod')).join() === 'db-0');
    // Claims outlive scale down, as in Kubernetes (retention policy Retain).
    expect(h.list('PersistentVolumeClaim')).toHaveLength(3);
  });

  it('DaemonSet runs one pod per eligible node and skips untolerated taints', async () => {
    h = startHarness();
    h.apply(
      node('node-1'),
      node('node-2'),
      node('gpu-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'default' },
        spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate('agent:1') },
      },
    );
    await waitFor(() => at(h.get('DaemonSet', 'agent'), 'status', 'numberReady') === 2);
    expect(
      h
        .list('Pod')
        .map((p) => at(p, 'spec', 'nodeName'))
        .sort(),
    ).toEqual(['node-1', 'node-2']);
    expect(at(h.get('DaemonSet', 'agent'), 'status')).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
    });
    h.apply(node('node-3'));
    await waitFor(() => at(h.get('DaemonSet', 'agent'), 'status', 'numberReady') === 3);
  });

  it('Job completes after `completions` successes', async () => {
    h = startHarness();
    h.apply(node('node-1'), {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'default' },
      spec: {
        completions: 2,
        parallelism: 1,
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'tool:exit-0' }] },
        },
      },
    });
    const job = await waitFor(() => {
      const j = h.get('Job', 'migrate');
      return condition(j, 'Complete')?.status === 'True' && j;
    });
    expect(at(job, 'status', 'succeeded')).toBe(2);
    expect(at(job, 'status', 'completionTime')).toBeTypeOf('string');
    expect(at(job, 'status', 'startTime')).toBeTypeOf('string');
    expect(h.list('Pod').every((p) => p.metadata.labels?.['job-name'] === 'migrate')).toBe(true);
  });

  it('Job fails with BackoffLimitExceeded after backoffLimit failures', async () => {
    h = startHarness(200);
    h.apply(node('node-1'), {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'broken', namespace: 'default' },
      spec: {
        backoffLimit: 1,
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'tool:exit-1' }] },
        },
      },
    });
    const job = await waitFor(() => {
      const j = h.get('Job', 'broken');
      return condition(j, 'Failed')?.status === 'True' && j;
    }, 10_000);
    expect(condition(job, 'Failed')).toMatchObject({
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(at(job, 'status', 'failed')).toBe(2);
    expect(
      h
        .list('Event')
        .some((e) => at(e, 'reason') === 'BackoffLimitExceeded' && at(e, 'type') === 'Warning'),
    ).toBe(true);
  });

  it('CronJob creates Jobs on the sim clock and keeps the history limit', async () => {
    h = startHarness(600);
    h.apply(node('node-1'), {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: 'default' },
      spec: {
        schedule: '* * * * *',
        successfulJobsHistoryLimit: 2,
        jobTemplate: {
          spec: {
            template: {
              spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'tool:exit-0' }] },
            },
          },
        },
      },
    });
    // At 600× a minute lasts 100 ms: several runs within a second or two.
    await waitFor(
      () => h.list('Event').filter((e) => at(e, 'reason') === 'SawCompletedJob').length >= 3,
      10_000,
    );
    await waitFor(() => h.list('Job').filter((j) => condition(j, 'Complete')).length <= 2);
    const cj = h.get('CronJob', 'tick')!;
    expect(at(cj, 'status', 'lastScheduleTime')).toMatch(/:00Z$/);
    expect(at(cj, 'status', 'lastSuccessfulTime')).toBeTypeOf('string');
    for (const job of h.list('Job')) {
      expect(job.metadata.name).toMatch(/^tick-\d+$/);
      expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick' });
    }
  });

  it('a suspended CronJob creates nothing', async () => {
    h = startHarness(600);
    h.apply({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'off', namespace: 'default' },
      spec: {
        schedule: '* * * * *',
        suspend: true,
        jobTemplate: {
          spec: {
            template: {
              spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'x' }] },
            },
          },
        },
      },
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(h.list('Job')).toHaveLength(0);
  });
});
