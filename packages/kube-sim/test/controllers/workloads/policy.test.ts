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

const condition = (o: KObject | undefined, type: string) =>
  (
    at(o, 'status', 'conditions') as
      { type: string; status: string; reason: string; message: string }[] | undefined
  )?.find((c) => c.type === type);
const pod = (
  name: string,
  resources: Record<string, unknown> | undefined,
  labels = { app: 'web' },
): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'app', image: 'web:1', ...(resources ? { resources } : {}) }] },
});
const quota = (hard: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'compute-quota', namespace: 'default' },
  spec: { hard },
});

describe('quota, limits, autoscaling, disruption budgets', { timeout: 20_000 }, () => {
  it('ResourceQuota reports usage and refuses what would exceed it with the real message', async () => {
    h = startHarness();
    h.apply(quota({ 'requests.cpu': '2', 'requests.memory': '1Gi', pods: '10' }));
    h.apply(
      pod('a', { requests: { cpu: '1', memory: '256Mi' } }),
      pod('b', { requests: { cpu: '800m', memory: '256Mi' } }),
    );
    await waitFor(
      () =>
        at(h.get('ResourceQuota', 'compute-quota'), 'status', 'used', 'requests.cpu') === '1800m',
    );
    expect(at(h.get('ResourceQuota', 'compute-quota'), 'status')).toEqual({
      hard: { 'requests.cpu': '2', 'requests.memory': '1Gi', pods: '10' },
      used: { 'requests.cpu': '1800m', 'requests.memory': '512Mi', pods: '2' },
    });
    expect(() => h.apply(pod('c', { requests: { cpu: '500m', memory: '64Mi' } }))).toThrow(
      'pods "c" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=500m, used: requests.cpu=1800m, limited: requests.cpu=2',
    );
    expect(() => h.apply(pod('d', undefined))).toThrow(
      'pods "d" is forbidden: failed quota: compute-quota: must specify requests.cpu,requests.memory for: app',
    );
    let refusal: unknown;
    try {
      h.apply(pod('e', { requests: { cpu: '500m', memory: '64Mi' } }));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 403, reason: 'Forbidden' });
  });

  it('LimitRange injects defaults before quota admission and enforces max', async () => {
    h = startHarness();
    h.apply({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'limits', namespace: 'default' },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '500m', memory: '128Mi' },
            defaultRequest: { cpu: '100m', memory: '64Mi' },
            max: { cpu: '1' },
          },
        ],
      },
    });
    h.apply(quota({ 'limits.cpu': '4', 'limits.memory': '1Gi' }));
    h.apply(pod('a', undefined));
    const created = h.get('Pod', 'a')!;
    expect(at(created, 'spec', 'containers', '0', 'resources')).toEqual({
      requests: { cpu: '100m', memory: '64Mi' },
      limits: { cpu: '500m', memory: '128Mi' },
    });
    expect(created.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app',
    );
    expect(() => h.apply(pod('big', { limits: { cpu: '2' } }))).toThrow(
      'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
  });

  it('HPA reports FailedGetResourceMetric for a container without a cpu request', async () => {
    h = startHarness(50, { podMetrics: () => ({ cpuMilli: 100, memoryBytes: 1 }) });
    h.apply(node('node-1'), deployment('web', 1), {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          },
        ],
      },
    });
    const hpa = await waitFor(() => {
      const x = h.get('HorizontalPodAutoscaler', 'web');
      return condition(x, 'ScalingActive')?.status === 'False' && x;
    });
    const podName = h.list('Pod')[0]!.metadata.name;
    expect(condition(hpa, 'ScalingActive')).toMatchObject({
      reason: 'FailedGetResourceMetric',
      message: `the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod ${podName}`,
    });
  });

  it('HPA scales up from usage above target and reports the limit', async () => {
    // 400m used of a 100m request = 400 % against a 50 % target.
    h = startHarness(50, { podMetrics: () => ({ cpuMilli: 400, memoryBytes: 1 }) });
    h.apply(
      node('node-1'),
      deployment('web', 1, {
        template: podTemplate('web:1', { resources: { requests: { cpu: '100m' } } }),
      }),
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 1,
          maxReplicas: 3,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
            },
          ],
        },
      },
    );
    await waitFor(() => at(h.get('Deployment', 'web'), 'spec', 'replicas') === 3);
    const hpa = await waitFor(() => {
      const x = h.get('HorizontalPodAutoscaler', 'web');
      return condition(x, 'ScalingLimited')?.status === 'True' && x;
    });
    expect(condition(hpa, 'ScalingLimited')).toMatchObject({
      reason: 'TooManyReplicas',
      message: 'the desired replica count is more than the maximum replica count',
    });
    expect(condition(hpa, 'ScalingActive')?.reason).toBe('ValidMetricFound');
    expect(
      h
        .list('Event')
        .some(
          (e) =>
            at(e, 'reason') === 'SuccessfulRescale' &&
            /^New size: 3; reason: cpu resource utilization \(percentage of request\) above target$/.test(
              String(at(e, 'message')),
            ),
        ),
    ).toBe(true);
  });

  it('HPA says FailedGetScale when the target does not exist', async () => {
    h = startHarness();
    h.apply({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'ghost', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ghost' },
        maxReplicas: 3,
      },
    });
    const hpa = await waitFor(() => {
      const x = h.get('HorizontalPodAutoscaler', 'ghost');
      return condition(x, 'AbleToScale') && x;
    });
    expect(condition(hpa, 'AbleToScale')).toMatchObject({
      status: 'False',
      reason: 'FailedGetScale',
      message: `the HPA controller was unable to get the target's current scale: deployments.apps "ghost" not found`,
    });
  });

  it('PodDisruptionBudget status and the eviction refusal', async () => {
    h = startHarness();
    h.apply(node('node-1'), deployment('web', 2), {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web-pdb', namespace: 'default' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
    });
    const pdb = await waitFor(() => {
      const p = h.get('PodDisruptionBudget', 'web-pdb');
      return at(p, 'status', 'currentHealthy') === 2 && p;
    });
    expect(at(pdb, 'status')).toMatchObject({
      expectedPods: 2,
      currentHealthy: 2,
      desiredHealthy: 2,
      disruptionsAllowed: 0,
    });
    expect(condition(pdb, 'DisruptionAllowed')).toMatchObject({
      status: 'False',
      reason: 'InsufficientPods',
    });
    const target = h.list('Pod')[0]!;
    const evict = () =>
      h.api.runAdmission(
        'CREATE',
        R.pods,
        { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: target.metadata.name } },
        h.get('Pod', target.metadata.name!),
        {
          user: ADMIN,
          subresource: 'eviction',
        },
      );
    expect(evict).toThrow("Cannot evict pod as it would violate the pod's disruption budget.");
    h.api.patch(
      R.pdbs,
      'default',
      'web-pdb',
      'merge',
      { spec: { minAvailable: 1 } },
      { user: ADMIN },
    );
    await waitFor(
      () => at(h.get('PodDisruptionBudget', 'web-pdb'), 'status', 'disruptionsAllowed') === 1,
    );
    expect(evict).not.toThrow();
  });
});
