/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2 Resource metrics): reads per-pod
 * usage from the simulation's metrics source, compares it with the pods' requests, and sets
 * the target's replicas through its scale subresource, with a 10 % tolerance and the default
 * 300 s scale-down stabilisation window. Conditions and events use the real reasons and
 * messages (AbleToScale, ScalingActive, ScalingLimited).
 */
import type { ClusterApi, KObject } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { qualifiedName } from '../../api/errors.ts';
import { findKind } from '../../resources.ts';
import { COMPONENT, controllerUser, R } from './kinds.ts';
import {
  at,
  errorMessage,
  isPodActive,
  keyOf,
  selectorMatches,
  splitKey,
  withCondition,
  writeStatus,
} from './objects.ts';
import { milliOf } from '../../quantity.ts';
import type { Reconciler } from './runtime.ts';

const USER = controllerUser('horizontal-pod-autoscaler');
const TOLERANCE = 0.1;

/** Current usage of one pod (what metrics-server would report), or undefined when unknown. */
export type PodMetricsSource = (
  namespace: string,
  pod: string,
) => { cpuMilli: number; memoryBytes: number } | undefined;

interface MetricSpec {
  type: string;
  resource?: {
    name: string;
    target: { type: string; averageUtilization?: number; averageValue?: string };
  };
}

/** Desired replicas from a utilisation ratio (usage / target), inside the tolerance band. */
export function replicasForRatio(current: number, ratio: number): number {
  if (Math.abs(ratio - 1) <= TOLERANCE) return current;
  return Math.ceil(ratio * current);
}

export function hpaController(
  api: ClusterApi,
  clock: SimClock,
  metrics: PodMetricsSource | undefined,
): Reconciler {
  const recommendations = new Map<string, { at: number; replicas: number }[]>();
  const event = (hpa: KObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    api.recordEvent(hpa, type, reason, message, { component: COMPONENT.hpa });

  function reconcile(key: string): number | void {
    const [ns, name] = splitKey(key);
    const hpa = api.get(R.hpas, ns, name);
    if (!hpa || hpa.metadata.deletionTimestamp) return;
    const nowIso = clock.nowIso();
    const ref = at<{ apiVersion?: string; kind: string; name: string }>(
      hpa,
      'spec',
      'scaleTargetRef',
    )!;
    const targetType = findKind(ref.apiVersion ?? 'apps/v1', ref.kind);
    const target = targetType ? api.get(targetType, ns, ref.name) : undefined;
    let conditions = (at<Parameters<typeof withCondition>[0]>(hpa, 'status', 'conditions') ??
      []) as NonNullable<Parameters<typeof withCondition>[0]>;
    const set = (type: string, status: string, reason: string, message: string) => {
      conditions = withCondition(conditions, {
        type,
        status,
        reason,
        message,
        lastTransitionTime: nowIso,
      });
    };
    const status: Record<string, unknown> = { ...(hpa.status ?? {}) };
    const finish = () => {
      const order = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];
      status.conditions = [...conditions].sort(
        (a, b) => order.indexOf(a.type) - order.indexOf(b.type),
      );
      status.observedGeneration = hpa.metadata.generation ?? 1;
      writeStatus(api, R.hpas, hpa, status, USER);
      return 15_000;
    };

    if (!target || !targetType) {
      const resource = targetType ? qualifiedName(targetType) : `${ref.kind.toLowerCase()}s`;
      const message = `the HPA controller was unable to get the target's current scale: ${resource} "${ref.name}" not found`;
      set('AbleToScale', 'False', 'FailedGetScale', message);
      event(hpa, 'Warning', 'FailedGetScale', `${resource} "${ref.name}" not found`);
      return finish();
    }
    const current = at<number>(target, 'spec', 'replicas') ?? 1;
    const currentReady = at<number>(target, 'status', 'replicas') ?? current;
    status.currentReplicas = currentReady;
    const min = at<number>(hpa, 'spec', 'minReplicas') ?? 1;
    const max = at<number>(hpa, 'spec', 'maxReplicas') ?? current;
    const pods = api
      .list(R.pods, ns)
      .filter(
        (p) => isPodActive(p) && selectorMatches(at(target, 'spec', 'selector'), p.metadata.labels),
      );

    let proposal = 0;
    let metricName = '';
    const currentMetrics: unknown[] = [];
    try {
      for (const metric of at<MetricSpec[]>(hpa, 'spec', 'metrics') ?? [defaultCpuMetric()]) {
        if (metric.type !== 'Resource' || !metric.resource) continue;
        const res = metric.resource.name;
        let usage: number[];
        try {
          usage = pods.map((p) => usageOf(p, res, metrics));
          if (metric.resource.target.type === 'Utilization')
            for (const p of pods) requestOf(p, res);
        } catch (error) {
          throw new Error(`failed to get ${res} utilization: ${errorMessage(error)}`, {
            cause: error,
          });
        }
        const sumUsage = usage.reduce((s, u) => s + u, 0);
        if (metric.resource.target.type === 'Utilization') {
          const requests = pods.map((p) => requestOf(p, res)).reduce((s, r) => s + r, 0);
          const utilization = requests > 0 ? Math.round((sumUsage * 100) / requests) : 0;
          const wanted = metric.resource.target.averageUtilization ?? 80;
          proposal = Math.max(
            proposal,
            replicasForRatio(pods.length || current, utilization / wanted),
          );
          metricName = `${res} resource utilization (percentage of request)`;
          currentMetrics.push({
            type: 'Resource',
            resource: {
              name: res,
              current: {
                averageUtilization: utilization,
                averageValue: formatUsage(res, sumUsage / Math.max(1, pods.length)),
              },
            },
          });
        } else {
          const targetValue = milliOf(metric.resource.target.averageValue);
          const average = sumUsage / Math.max(1, pods.length);
          proposal = Math.max(
            proposal,
            replicasForRatio(pods.length || current, targetValue > 0 ? average / targetValue : 1),
          );
          metricName = `${res} resource`;
          currentMetrics.push({
            type: 'Resource',
            resource: { name: res, current: { averageValue: formatUsage(res, average) } },
          });
        }
      }
    } catch (error) {
      const message = errorMessage(error);
      set(
        'AbleToScale',
        'True',
        'SucceededGetScale',
        "the HPA controller was able to get the target's current scale",
      );
      set(
        'ScalingActive',
        'False',
        'FailedGetResourceMetric',
        `the HPA was unable to compute the replica count: ${message}`,
      );
      event(hpa, 'Warning', 'FailedGetResourceMetric', message);
      event(
        hpa,
        'Warning',
        'FailedComputeMetricsReplicas',
        `invalid metrics (1 invalid out of 1), first error is: failed to get ${message.replace(/^failed to get (\S+) utilization: .*/, '$1')} resource metric value: ${message}`,
      );
      status.desiredReplicas = current;
      return finish();
    }
    status.currentMetrics = currentMetrics;

    // Scale-down stabilisation: use the highest recommendation of the window.
    const window =
      (at<number>(hpa, 'spec', 'behavior', 'scaleDown', 'stabilizationWindowSeconds') ?? 300) *
      1000;
    const history = (recommendations.get(key) ?? []).filter((r) => r.at > clock.now() - window);
    history.push({ at: clock.now(), replicas: proposal });
    recommendations.set(key, history);
    const stabilized =
      proposal < current
        ? Math.min(current, Math.max(...history.map((r) => r.replicas)))
        : proposal;
    let desired = stabilized;
    if (desired > max) {
      desired = max;
      set(
        'ScalingLimited',
        'True',
        'TooManyReplicas',
        'the desired replica count is more than the maximum replica count',
      );
    } else if (desired < min) {
      desired = min;
      set(
        'ScalingLimited',
        'True',
        'TooFewReplicas',
        'the desired replica count is less than the minimum replica count',
      );
    } else
      set(
        'ScalingLimited',
        'False',
        'DesiredWithinRange',
        'the desired count is within the acceptable range',
      );
    set(
      'ScalingActive',
      'True',
      'ValidMetricFound',
      `the HPA was able to successfully calculate a replica count from ${metricName}`,
    );
    status.desiredReplicas = desired;

    if (desired !== current) {
      try {
        api.patch(
          targetType,
          ns,
          ref.name,
          'merge',
          { spec: { replicas: desired } },
          { user: USER, subresource: 'scale' },
        );
        set(
          'AbleToScale',
          'True',
          'SucceededRescale',
          `the HPA controller was able to update the target scale to ${desired}`,
        );
        status.lastScaleTime = nowIso;
        const direction = desired > current ? 'above' : 'below';
        event(
          hpa,
          'Normal',
          'SuccessfulRescale',
          `New size: ${desired}; reason: ${metricName} ${direction} target`,
        );
      } catch (error) {
        set(
          'AbleToScale',
          'False',
          'FailedUpdateScale',
          `the HPA controller was unable to update the target scale: ${errorMessage(error)}`,
        );
        event(
          hpa,
          'Warning',
          'FailedRescale',
          `New size: ${desired}; error: ${errorMessage(error)}`,
        );
      }
    } else {
      set('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    }
    return finish();
  }

  return {
    name: 'horizontal-pod-autoscaler',
    resyncMs: 15_000,
    allKeys: () => api.list(R.hpas, undefined).map(keyOf),
    triggers: [
      { resource: R.hpas, keys: (hpa, ev) => (ev.type === 'DELETED' ? [] : [keyOf(hpa)]) },
    ],
    reconcile,
  };
}

function defaultCpuMetric(): MetricSpec {
  return {
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
  };
}

function requestOf(pod: KObject, resource: string): number {
  let sum = 0;
  for (const c of at<{ name: string; resources?: { requests?: Record<string, string> } }[]>(
    pod,
    'spec',
    'containers',
  ) ?? []) {
    const request = c.resources?.requests?.[resource];
    if (request === undefined)
      throw new Error(
        `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`,
      );
    sum += resource === 'cpu' ? milliOf(request) : milliOf(request) / 1000;
  }
  return sum;
}

function usageOf(pod: KObject, resource: string, metrics: PodMetricsSource | undefined): number {
  const sample = metrics?.(pod.metadata.namespace!, pod.metadata.name!);
  if (!sample) {
    throw new Error(
      `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`,
    );
  }
  return resource === 'cpu' ? sample.cpuMilli : sample.memoryBytes;
}

function formatUsage(resource: string, value: number): string {
  return resource === 'cpu' ? `${Math.round(value)}m` : String(Math.round(value));
}
