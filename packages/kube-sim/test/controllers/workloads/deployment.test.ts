import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/api/types.ts';
import { R } from '../../../src/controllers/workloads/kinds.ts';
import {
  ADMIN,
  at,
  deployment,
  node,
  podTemplate,
  startHarness,
  waitFor,
  type Harness,
} from './harness.ts';

let h: Harness;
afterEach(() => h?.stop());

const ownedPods = (h: Harness) => h.list('Pod').filter((p) => p.metadata.labels?.app === 'web');
/** The controller has seen the latest spec and the rollout is done. */
const settled = (h: Harness, replicas: number) => {
  const d = h.get('Deployment', 'web');
  return (
    at(d, 'status', 'observedGeneration') === d?.metadata.generation &&
    at(d, 'status', 'updatedReplicas') === replicas &&
    at(d, 'status', 'availableReplicas') === replicas &&
    at(d, 'status', 'replicas') === replicas
  );
};
const condition = (o: KObject | undefined, type: string) =>
  (
    at(o, 'status', 'conditions') as
      { type: string; status: string; reason: string; message: string }[] | undefined
  )?.find((c) => c.type === type);

describe('Deployment controller', { timeout: 20_000 }, () => {
  it('creates a ReplicaSet <name>-<hash> with revision 1 and becomes Available', async () => {
    h = startHarness();
    h.apply(node('node-1'), deployment('web', 3));
    const d = await waitFor(() => {
      const d = h.get('Deployment', 'web');
      return (
        at(d, 'status', 'availableReplicas') === 3 &&
        condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' &&
        d
      );
    });
    const [rs] = h.list('ReplicaSet');
    expect(rs!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs!.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(rs!.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(condition(d, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    expect(condition(d, 'Progressing')?.message).toBe(
      `ReplicaSet "${rs!.metadata.name}" has successfully progressed.`,
    );
    expect(at(d, 'status', 'observedGeneration')).toBe(d.metadata.generation);
    const pods = ownedPods(h);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^${rs!.metadata.name}-[a-z0-9]{5}$`));
      expect(p.metadata.labels?.['pod-template-hash']).toBe(
        rs!.metadata.labels?.['pod-template-hash'],
      );
    }
    const events = h.list('Event').filter((e) => at(e, 'reason') === 'ScalingReplicaSet');
    expect(events.map((e) => at(e, 'message'))).toContain(
      `Scaled up replica set ${rs!.metadata.name} to 3`,
    );
  });

  it('rolls within maxSurge / maxUnavailable and records revision 2', async () => {
    h = startHarness(40);
    h.apply(
      node('node-1'),
      deployment('web', 4, {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      }),
    );
    await waitFor(() => at(h.get('Deployment', 'web'), 'status', 'availableReplicas') === 4);
    let maxTotal = 0;
    let minReady = 4;
    const off = h.api.onChange((_e, r) => {
      if (r.kind !== 'Pod') return;
      const pods = ownedPods(h).filter((p) => !p.metadata.deletionTimestamp);
      maxTotal = Math.max(maxTotal, pods.length);
      minReady = Math.min(
        minReady,
        pods.filter((p) => condition(p, 'Ready')?.status === 'True').length,
      );
    });
    const d = h.get('Deployment', 'web')!;
    h.api.update(
      R.deployments,
      { ...d, spec: { ...(d.spec as object), template: podTemplate('web:2') } },
      { user: ADMIN },
    );
    await waitFor(() => settled(h, 4) && h.list('ReplicaSet').length === 2, 10_000);
    off();
    expect(maxTotal).toBe(5);
    expect(minReady).toBeGreaterThanOrEqual(4);
    const revisions = h
      .list('ReplicaSet')
      .map((rs) => [
        rs.metadata.annotations?.['deployment.kubernetes.io/revision'],
        at(rs, 'spec', 'replicas'),
      ]);
    expect(revisions.sort()).toEqual([
      ['1', 0],
      ['2', 4],
    ]);
    expect(
      h.get('Deployment', 'web')!.metadata.annotations?.['deployment.kubernetes.io/revision'],
    ).toBe('2');
  });

  it('Recreate scales the old ReplicaSet to zero before the new one starts', async () => {
    h = startHarness(40);
    h.apply(node('node-1'), deployment('web', 2, { strategy: { type: 'Recreate' } }));
    await waitFor(() => at(h.get('Deployment', 'web'), 'status', 'availableReplicas') === 2);
    let mixed = false;
    const off = h.api.onChange((_e, r) => {
      if (r.kind !== 'Pod') return;
      const images = new Set(
        ownedPods(h).map((p) => (at(p, 'spec', 'containers') as { image: string }[])[0]!.image),
      );
      if (images.size > 1) mixed = true;
    });
    const d = h.get('Deployment', 'web')!;
    h.api.update(
      R.deployments,
      { ...d, spec: { ...(d.spec as object), template: podTemplate('web:2') } },
      { user: ADMIN },
    );
    await waitFor(() => settled(h, 2) && h.list('ReplicaSet').length === 2, 10_000);
    off();
    expect(mixed).toBe(false);
  });

  it('does not roll while paused', async () => {
    h = startHarness(40);
    h.apply(node('node-1'), deployment('web', 2));
    await waitFor(() => at(h.get('Deployment', 'web'), 'status', 'availableReplicas') === 2);
    const d = h.get('Deployment', 'web')!;
    h.api.update(
      R.deployments,
      { ...d, spec: { ...(d.spec as object), paused: true, template: podTemplate('web:2') } },
      { user: ADMIN },
    );
    await waitFor(
      () => condition(h.get('Deployment', 'web'), 'Progressing')?.reason === 'DeploymentPaused',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(h.list('ReplicaSet')).toHaveLength(1);
    const p = h.get('Deployment', 'web')!;
    h.api.update(
      R.deployments,
      { ...p, spec: { ...(p.spec as object), paused: false } },
      { user: ADMIN },
    );
    await waitFor(
      () =>
        h.list('ReplicaSet').length === 2 &&
        at(h.get('Deployment', 'web'), 'status', 'updatedReplicas') === 2,
    );
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    h = startHarness(100);
    h.apply(
      node('node-1'),
      deployment('web', 2, {
        progressDeadlineSeconds: 5,
        template: podTemplate('web:never-ready'),
      }),
    );
    const d = await waitFor(() => {
      const d = h.get('Deployment', 'web');
      return condition(d, 'Progressing')?.reason === 'ProgressDeadlineExceeded' && d;
    }, 8_000);
    const rs = h.list('ReplicaSet')[0]!;
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'False',
      message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.`,
    });
    expect(condition(d, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
  });

  it('surfaces quota refusals as FailedCreate and ReplicaFailure', async () => {
    h = startHarness(40);
    h.apply(
      node('node-1'),
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'pods-quota', namespace: 'default' },
        spec: { hard: { pods: '2' } },
      },
      deployment('web', 3),
    );
    const d = await waitFor(() => {
      const d = h.get('Deployment', 'web');
      return condition(d, 'ReplicaFailure')?.status === 'True' && d;
    });
    expect(condition(d, 'ReplicaFailure')?.reason).toBe('FailedCreate');
    expect(condition(d, 'ReplicaFailure')?.message).toMatch(
      /^pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=2, limited: pods=2$/,
    );
    const failed = h.list('Event').find((e) => at(e, 'reason') === 'FailedCreate');
    expect(at(failed, 'message')).toMatch(
      /^Error creating: pods ".*" is forbidden: exceeded quota: pods-quota/,
    );
    expect(at(failed, 'type')).toBe('Warning');
    expect(ownedPods(h)).toHaveLength(2);
  });

  it('prunes old ReplicaSets beyond revisionHistoryLimit', async () => {
    h = startHarness(60);
    h.apply(node('node-1'), deployment('web', 1, { revisionHistoryLimit: 1 }));
    for (const image of ['web:2', 'web:3', 'web:4']) {
      await waitFor(
        () =>
          settled(h, 1) &&
          condition(h.get('Deployment', 'web'), 'Progressing')?.reason === 'NewReplicaSetAvailable',
        10_000,
      );
      const d = h.get('Deployment', 'web')!;
      h.api.update(
        R.deployments,
        { ...d, spec: { ...(d.spec as object), template: podTemplate(image) } },
        { user: ADMIN },
      );
    }
    await waitFor(
      () =>
        h.list('ReplicaSet').length === 2 &&
        h.get('Deployment', 'web')!.metadata.annotations?.['deployment.kubernetes.io/revision'] ===
          '4',
      10_000,
    );
    const revisions = h
      .list('ReplicaSet')
      .map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'])
      .sort();
    expect(revisions).toEqual(['3', '4']);
  });

  it('leaves ReplicaSets and pods to the garbage collector when the Deployment is deleted', async () => {
    h = startHarness();
    h.apply(node('node-1'), deployment('web', 2));
    await waitFor(() => settled(h, 2));
    h.api.delete(R.deployments, 'default', 'web', { user: ADMIN });
    await waitFor(() => h.list('ReplicaSet').length === 0 && ownedPods(h).length === 0);
  });
});
