import { quote } from '../redact.ts';
import { parseQuantity } from '../validation.ts';
import type { KubeObject } from '../types.ts';
import {
  conditionOf,
  containerArgs,
  eventEvidence,
  eventsFor,
  isStillStarting,
  isWorkloadKind,
} from './helpers.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding } from './types.ts';
import { objectOf } from './types.ts';

function workloads(s: Snapshot): KubeObject[] {
  return [...s.deployments, ...s.statefulSets, ...s.daemonSets, ...s.jobs];
}

export const daemonSetAnalyzer: Analyzer = {
  name: 'daemonset',
  codes: ['DAEMONSET_UNAVAILABLE', 'DAEMONSET_MISSCHEDULED'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const ds of s.daemonSets) {
      const st = ds.status ?? {};
      if ((st.numberMisscheduled ?? 0) > 0) {
        findings.push({
          code: 'DAEMONSET_MISSCHEDULED',
          severity: 'warning',
          object: objectOf(ds, 'DaemonSet'),
          evidence: [`numberMisscheduled: ${st.numberMisscheduled}`],
          explanation: `DaemonSet ${ds.metadata.name} runs pods on nodes it should not (node labels or taints changed).`,
          remediations: [],
          humanAction: 'Check the DaemonSet nodeSelector/tolerations against the nodes it runs on.',
        });
      }
      const desired = st.desiredNumberScheduled ?? 0;
      const ready = st.numberReady ?? 0;
      if (ready < desired) {
        // Pods that are only starting (no restart, no Warning) are not a fault yet.
        const starting = isStillStarting(s, ds, 'DaemonSet');
        findings.push({
          code: 'DAEMONSET_UNAVAILABLE',
          severity: starting ? 'info' : 'warning',
          object: objectOf(ds, 'DaemonSet'),
          evidence: [
            `desired ${desired}, ready ${ready}, unavailable ${st.numberUnavailable ?? desired - ready}`,
          ],
          explanation: starting
            ? `DaemonSet ${ds.metadata.name} is still starting its pods (no restart, no warning yet).`
            : `DaemonSet ${ds.metadata.name} is not ready on every node it should run on.`,
          remediations: [],
        });
      }
    }
    return findings;
  },
};

export const serviceAccountAnalyzer: Analyzer = {
  name: 'service-account',
  codes: ['SERVICEACCOUNT_MISSING'],
  analyze(s) {
    const names = new Set(s.serviceAccounts.map((a) => a.metadata.name));
    // Without read access to ServiceAccounts the list is empty: say nothing rather than guess.
    if (names.size === 0) return [];
    const findings: Finding[] = [];
    for (const w of workloads(s)) {
      const sa =
        w.spec?.template?.spec?.serviceAccountName ?? w.spec?.template?.spec?.serviceAccount;
      if (!sa || names.has(sa)) continue;
      const failed = s.replicaSets
        .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === w.metadata.uid))
        .flatMap((rs) => eventsFor(s, 'ReplicaSet', rs))
        .find((e) => e.reason === 'FailedCreate');
      findings.push({
        code: 'SERVICEACCOUNT_MISSING',
        severity: 'critical',
        object: objectOf(w),
        evidence: [
          `serviceAccountName: ${quote(String(sa))}; ServiceAccounts in ${s.namespace}: ${[...names].slice(0, 8).join(', ')}`,
          ...(failed ? [eventEvidence(failed)] : []),
        ],
        explanation: `The pods run as ServiceAccount ${sa}, which does not exist, so the API server refuses to create them.`,
        remediations: [],
        humanAction: `Create ServiceAccount ${sa} (with the permissions the workload needs) or point the workload at an existing one.`,
      });
    }
    return findings;
  },
};

type Limits = { type?: string; max?: Record<string, string>; min?: Record<string, string> };
type Sized = { requests?: Record<string, string>; limits?: Record<string, string> };

/**
 * The container's cpu/memory moved just inside the ranges: a limit or request above a max
 * becomes the max (the most the namespace allows, so the release keeps as much room as it
 * may), one below a min becomes the min, and a request never ends above its limit.
 * Undefined when nothing changes or the ranges contradict each other.
 */
function withinRanges(resources: Sized | undefined, ranges: Limits[]): Sized | undefined {
  const out: { requests: Record<string, string>; limits: Record<string, string> } = {
    requests: {},
    limits: {},
  };
  for (const resource of ['cpu', 'memory']) {
    const maxes = ranges.map((l) => l.max?.[resource]).filter((v): v is string => !!v);
    const mins = ranges.map((l) => l.min?.[resource]).filter((v): v is string => !!v);
    const max = maxes.sort((a, b) => parseQuantity(a) - parseQuantity(b))[0];
    const min = mins.sort((a, b) => parseQuantity(b) - parseQuantity(a))[0];
    if (max && min && parseQuantity(min) > parseQuantity(max)) return undefined;
    const fit = (v: string | undefined) => {
      if (v === undefined) return undefined;
      if (max && parseQuantity(v) > parseQuantity(max)) return max;
      if (min && parseQuantity(v) < parseQuantity(min)) return min;
      return v;
    };
    const limit = fit(resources?.limits?.[resource]);
    let request = fit(resources?.requests?.[resource]);
    if (request && limit && parseQuantity(request) > parseQuantity(limit)) request = limit;
    if (limit !== resources?.limits?.[resource]) out.limits[resource] = limit!;
    if (request !== resources?.requests?.[resource]) out.requests[resource] = request!;
  }
  const changed: Sized = {};
  if (Object.keys(out.requests).length) changed.requests = out.requests;
  if (Object.keys(out.limits).length) changed.limits = out.limits;
  return Object.keys(changed).length ? changed : undefined;
}

export const limitRangeAnalyzer: Analyzer = {
  name: 'limit-range',
  codes: ['LIMITRANGE_VIOLATION'],
  analyze(s) {
    const findings: Finding[] = [];
    const rules = s.limitRanges.flatMap((lr) =>
      ((lr.spec?.limits ?? []) as Limits[])
        .filter((l) => l.type === 'Container')
        .map((l) => ({ lr, l })),
    );
    if (!rules.length) return findings;
    for (const w of workloads(s)) {
      for (const c of (w.spec?.template?.spec?.containers ?? []) as {
        name: string;
        resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
      }[]) {
        const problems: string[] = [];
        for (const { lr, l } of rules) {
          for (const [resource, max] of Object.entries(l.max ?? {})) {
            const asked = c.resources?.limits?.[resource] ?? c.resources?.requests?.[resource];
            if (asked !== undefined && parseQuantity(asked) > parseQuantity(max))
              problems.push(`${resource} ${asked} above LimitRange ${lr.metadata.name} max ${max}`);
          }
          for (const [resource, min] of Object.entries(l.min ?? {})) {
            const asked = c.resources?.requests?.[resource];
            if (asked !== undefined && parseQuantity(asked) < parseQuantity(min))
              problems.push(`${resource} ${asked} below LimitRange ${lr.metadata.name} min ${min}`);
          }
        }
        if (!problems.length) continue;
        // A Job's template cannot change; the other workloads take the resized container.
        const sized = isWorkloadKind(w.kind)
          ? withinRanges(
              c.resources,
              rules.map((r) => r.l),
            )
          : undefined;
        findings.push({
          code: 'LIMITRANGE_VIOLATION',
          severity: 'critical',
          object: objectOf(w),
          evidence: problems.map((p) => `container ${c.name}: ${p}`),
          explanation: `Container ${c.name} asks for resources outside the namespace's LimitRange, so its pods are refused at admission.`,
          remediations: sized
            ? [
                {
                  action: 'SetContainerResources',
                  args: { ...containerArgs(w, c.name), ...sized },
                  // Above a rollback: the LimitRange is the namespace's policy and the
                  // release (image, config) is kept; only the size it asked for changes.
                  confidence: 0.85,
                  reasoning: `bring container ${c.name} within the LimitRange (${problems.join('; ')}): ${JSON.stringify(sized)}, the nearest values it admits; the image and the rest of the release stay, the LimitRange is not touched`,
                },
              ]
            : [],
          ...(sized
            ? {}
            : {
                humanAction:
                  'Size the container within the LimitRange or ask its owners to change the range.',
              }),
        });
      }
    }
    return findings;
  },
};

export const hpaLimitAnalyzer: Analyzer = {
  name: 'hpa-at-max',
  codes: ['HPA_AT_MAX_REPLICAS'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const hpa of s.hpas) {
      const max = hpa.spec?.maxReplicas;
      const st = hpa.status ?? {};
      const limited = conditionOf(hpa, 'ScalingLimited');
      if (
        typeof max === 'number' &&
        st.currentReplicas >= max &&
        (st.desiredReplicas > max ||
          (limited?.status === 'True' && limited.reason === 'TooManyReplicas'))
      ) {
        findings.push({
          code: 'HPA_AT_MAX_REPLICAS',
          severity: 'info',
          object: objectOf(hpa, 'HorizontalPodAutoscaler'),
          evidence: [
            `currentReplicas ${st.currentReplicas}, desiredReplicas ${st.desiredReplicas}, maxReplicas ${max}`,
          ],
          explanation:
            'The autoscaler wants more replicas than its maximum allows; the workload may be under-provisioned.',
          remediations: [],
          humanAction:
            'Decide whether to raise maxReplicas (capacity and cost) or make the workload cheaper per request.',
        });
      }
    }
    return findings;
  },
};
