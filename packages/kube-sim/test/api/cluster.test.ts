// The in-process ClusterApi: the same pipeline HTTP requests go through, without HTTP.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/api/cluster.ts';
import { ApiError } from '../../src/api/errors.ts';
import type { KObject, WatchEvent } from '../../src/api/types.ts';
import { bootstrapCluster } from '../../src/bootstrap.ts';
import { findResource } from '../../src/resources.ts';

const user = { username: 'admin', groups: ['system:masters'] };
const r = (group: string, version: string, plural: string) => findResource(group, version, plural)!;
const deployments = r('apps', 'v1', 'deployments');
const configmaps = r('', 'v1', 'configmaps');
const coreEvents = r('', 'v1', 'events');
const newEvents = r('events.k8s.io', 'v1', 'events');
const hpaV1 = r('autoscaling', 'v1', 'horizontalpodautoscalers');
const hpaV2 = r('autoscaling', 'v2', 'horizontalpodautoscalers');

function cluster(): Cluster {
  const c = new Cluster();
  bootstrapCluster(c);
  return c;
}

const deployment = (): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'web:1' }] },
    },
  },
});

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('ClusterApi', () => {
  it('bumps resourceVersion on every change and generation only on spec changes', () => {
    const c = cluster();
    const created = c.create(deployments, deployment(), { user });
    expect(created.metadata.generation).toBe(1);
    const labelled = c.patch(
      deployments,
      'default',
      'web',
      'merge',
      { metadata: { labels: { a: 'b' } } },
      { user },
    );
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    expect(labelled.metadata.generation).toBe(1);
    const scaled = c.patch(
      deployments,
      'default',
      'web',
      'merge',
      { spec: { replicas: 3 } },
      { user },
    );
    expect(scaled.metadata.generation).toBe(2);
    const same = c.patch(
      deployments,
      'default',
      'web',
      'merge',
      { spec: { replicas: 3 } },
      { user },
    );
    expect(same.metadata.resourceVersion).toBe(scaled.metadata.resourceVersion);
  });

  it('ignores status on main writes and spec on status writes', () => {
    const c = cluster();
    c.create(deployments, deployment(), { user });
    const withStatus = c.patch(
      deployments,
      'default',
      'web',
      'merge',
      { spec: { replicas: 2 }, status: { replicas: 9 } },
      { user },
    );
    expect(withStatus['status']).toBeUndefined();
    const status = c.patch(
      deployments,
      'default',
      'web',
      'merge',
      { spec: { replicas: 7 }, status: { replicas: 2 } },
      { user, subresource: 'status' },
    );
    expect(status['status']).toEqual({ replicas: 2 });
    expect((status['spec'] as { replicas: number }).replicas).toBe(2);
  });

  it('refuses a stale update with 409 and an unknown namespace with 404', () => {
    const c = cluster();
    const first = c.create(deployments, deployment(), { user });
    c.patch(deployments, 'default', 'web', 'merge', { spec: { replicas: 2 } }, { user });
    const stale = apiError(() => c.update(deployments, first, { user }));
    expect(stale.code).toBe(409);
    const missing = apiError(() =>
      c.create(
        configmaps,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'nope' } },
        { user },
      ),
    );
    expect([missing.code, missing.message]).toEqual([404, 'namespaces "nope" not found']);
  });

  it('generates names and never stores dry-run writes', () => {
    const c = cluster();
    const events: WatchEvent[] = [];
    c.onChange((e) => events.push(e));
    const made = c.create(
      configmaps,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { generateName: 'cfg-', namespace: 'default' },
      },
      { user },
    );
    expect(made.metadata.name).toMatch(/^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const dry = c.create(
      configmaps,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: 'default' } },
      { user, dryRun: true },
    );
    expect(dry.metadata.uid).toBeDefined();
    expect(c.get(configmaps, 'default', 'dry')).toBeUndefined();
    c.delete(configmaps, 'default', made.metadata.name!, { user, dryRun: true });
    expect(c.get(configmaps, 'default', made.metadata.name!)).toBeDefined();
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
  });

  it('stores core and events.k8s.io events once and converts between the shapes', () => {
    const c = cluster();
    const pod: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    };
    c.recordEvent(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', {
      component: 'kubelet',
      host: 'node-1',
    });
    c.recordEvent(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', {
      component: 'kubelet',
      host: 'node-1',
    });
    const [core] = c.list(coreEvents, 'default');
    expect(core).toMatchObject({
      apiVersion: 'v1',
      reason: 'BackOff',
      count: 2,
      involvedObject: { name: 'p', kind: 'Pod' },
      source: { component: 'kubelet', host: 'node-1' },
    });
    const [modern] = c.list(newEvents, 'default');
    expect(modern).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      note: 'Back-off restarting failed container',
      deprecatedCount: 2,
      regarding: { name: 'p' },
    });
    expect(c.list(newEvents, 'default', { fieldSelector: 'regarding.name=p' })).toHaveLength(1);
  });

  it('serves autoscaling v1 and v2 HPAs from one storage', () => {
    const c = cluster();
    c.create(
      hpaV1,
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          minReplicas: 1,
          maxReplicas: 5,
          targetCPUUtilizationPercentage: 70,
        },
      },
      { user },
    );
    const v2 = c.get(hpaV2, 'default', 'web')!;
    expect(v2['spec']).toMatchObject({
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    });
    expect(c.get(hpaV1, 'default', 'web')!['spec']).toMatchObject({
      targetCPUUtilizationPercentage: 70,
    });
  });

  it('runs admission plugins and answers their rejection', () => {
    const c = cluster();
    c.addAdmission(({ operation, resource }) => {
      if (operation === 'CREATE' && resource.kind === 'ConfigMap')
        throw new ApiError(403, 'Forbidden', 'configmaps "x" is forbidden: exceeded quota: q');
    });
    expect(
      apiError(() =>
        c.create(
          configmaps,
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } },
          { user },
        ),
      ).message,
    ).toContain('exceeded quota');
  });

  it('lets the kubelet finish pod deletion when termination is graceful', () => {
    const c = cluster();
    const pods = r('', 'v1', 'pods');
    c.create(
      pods,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'default' },
        spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'c:1' }] },
      },
      { user },
    );
    c.setPodTermination('graceful');
    const terminating = c.delete(pods, 'default', 'p', { user })!;
    expect(terminating.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(c.get(pods, 'default', 'p')?.metadata.deletionTimestamp).toBeDefined();
    c.delete(pods, 'default', 'p', { user, gracePeriodSeconds: 0 });
    expect(c.get(pods, 'default', 'p')).toBeUndefined();
  });
});
