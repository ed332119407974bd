import { quote } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import type { Snapshot } from './snapshot.ts';
import type { Remediation } from './types.ts';

export interface Owner {
  object: KubeObject;
  kind: string;
}

/** The top controller of a pod: Deployment (through its ReplicaSet), StatefulSet, DaemonSet, Job/CronJob, or the pod. */
export function topOwner(s: Snapshot, obj: KubeObject): KubeObject {
  let current = obj;
  for (let depth = 0; depth < 4; depth += 1) {
    const ref = current.metadata.ownerReferences?.find((o) => o.controller);
    if (!ref) return current;
    const pool = poolOf(s, ref.kind);
    const next = pool.find((o) => o.metadata.uid === ref.uid || o.metadata.name === ref.name);
    if (!next) return current;
    current = {
      ...next,
      kind: next.kind ?? ref.kind,
      apiVersion: next.apiVersion ?? ref.apiVersion,
    };
  }
  return current;
}

function poolOf(s: Snapshot, kind: string): KubeObject[] {
  switch (kind) {
    case 'ReplicaSet':
      return s.replicaSets;
    case 'Deployment':
      return s.deployments;
    case 'StatefulSet':
      return s.statefulSets;
    case 'DaemonSet':
      return s.daemonSets;
    case 'Job':
      return s.jobs;
    case 'CronJob':
      return s.cronJobs;
    default:
      return [];
  }
}

export function isWorkloadKind(
  kind: string | undefined,
): kind is 'Deployment' | 'StatefulSet' | 'DaemonSet' {
  return kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet';
}

/** `a=b,c=d`: equality labels as a label selector string ('' for none). */
export function selectorString(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: Record<string, string> | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** matchLabels + matchExpressions (In, NotIn, Exists, DoesNotExist). An empty selector matches everything. */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: { key: string; operator: string; values?: string[] }[];
      }
    | undefined,
): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => l[k] === v);
  const byExpr = (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(l, e.key);
    switch (e.operator) {
      case 'In':
        return has && (e.values ?? []).includes(l[e.key]!);
      case 'NotIn':
        return !has || !(e.values ?? []).includes(l[e.key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
  return byLabels && byExpr;
}

/**
 * Events about `obj` (of `kind`), newest first. Matched by uid whenever the event and the
 * object both carry one: a pod recreated under the same name (a StatefulSet's `web-0`, a
 * re-applied bare pod) must not inherit the deleted pod's events as evidence.
 */
export function eventsFor(s: Snapshot, kind: string, obj: KubeObject): KubeObject[] {
  const uid = obj.metadata.uid;
  return s.events
    .filter(
      (e) =>
        e.involvedObject?.kind === kind &&
        e.involvedObject?.name === obj.metadata.name &&
        (!uid || !e.involvedObject?.uid || e.involvedObject.uid === uid),
    )
    .sort((a, b) => eventTime(b) - eventTime(a));
}

export function eventTime(e: KubeObject): number {
  return (
    Date.parse(
      String(
        e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? 0,
      ),
    ) || 0
  );
}

export function eventEvidence(e: KubeObject): string {
  const count = Number(e.count ?? e.series?.count ?? 1);
  return `event ${String(e.type)} ${String(e.reason)}${count > 1 ? ` (x${count})` : ''}: ${quote(String(e.message ?? ''))}`;
}

export function conditionOf(
  obj: KubeObject | null | undefined,
  type: string,
): { status?: string; reason?: string; message?: string; lastTransitionTime?: string } | undefined {
  return (obj?.status?.conditions ?? []).find((c: { type: string }) => c.type === type);
}

export function isPodReady(pod: KubeObject): boolean {
  return conditionOf(pod, 'Ready')?.status === 'True';
}

/** Waiting reasons of a pod's containers (ContainerCreating, CrashLoopBackOff, …). */
export function waitingReasons(pod: KubeObject): string[] {
  return (pod.status?.containerStatuses ?? [])
    .map((c: { state?: { waiting?: { reason?: string } } }) => c.state?.waiting?.reason)
    .filter(Boolean);
}

export interface ContainerState {
  pod: KubeObject;
  name: string;
  init: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: any;
}

export function containerStates(pod: KubeObject): ContainerState[] {
  const out: ContainerState[] = [];
  for (const [statusKey, specKey, init] of [
    ['initContainerStatuses', 'initContainers', true],
    ['containerStatuses', 'containers', false],
  ] as const) {
    for (const status of pod.status?.[statusKey] ?? []) {
      const spec =
        (pod.spec?.[specKey] ?? []).find((c: { name: string }) => c.name === status.name) ?? {};
      out.push({ pod, name: status.name, init, status, spec });
    }
  }
  return out;
}

export function logEvidence(s: Snapshot, pod: string, container: string): string[] {
  const text = s.logs[`${pod}/${container}`];
  if (!text) return [];
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-5);
  return lines.length
    ? [
        `log tail of ${pod}/${container} (untrusted, quoted): ${lines.map((l) => quote(l, 200)).join(' | ')}`,
      ]
    : [];
}

/** Group items by the workload that owns them (one finding per workload, not per replica). */
export function groupByOwner<T extends { pod: KubeObject }>(
  s: Snapshot,
  items: T[],
): Map<KubeObject, T[]> {
  const byKey = new Map<string, { owner: KubeObject; items: T[] }>();
  for (const item of items) {
    const owner = topOwner(s, item.pod);
    const key = `${owner.kind}/${owner.metadata.name}`;
    const entry = byKey.get(key) ?? { owner, items: [] };
    entry.items.push(item);
    byKey.set(key, entry);
  }
  return new Map([...byKey.values()].map((e) => [e.owner, e.items]));
}

const REVISION = 'deployment.kubernetes.io/revision';

/** A Deployment's ReplicaSets newest first, with their revision numbers. */
export function revisions(
  s: Snapshot,
  deployment: KubeObject,
): { rs: KubeObject; revision: number }[] {
  return s.replicaSets
    .filter((rs) =>
      rs.metadata.ownerReferences?.some(
        (o) =>
          o.uid === deployment.metadata.uid ||
          (o.kind === 'Deployment' && o.name === deployment.metadata.name),
      ),
    )
    .map((rs) => ({ rs, revision: Number(rs.metadata.annotations?.[REVISION] ?? 0) }))
    .sort((a, b) => b.revision - a.revision);
}

/** The revision before the current one, if the Deployment has one to go back to. */
export function previousRevision(
  s: Snapshot,
  deployment: KubeObject,
): { rs: KubeObject; revision: number } | undefined {
  const current = Number(deployment.metadata.annotations?.[REVISION] ?? 0);
  return revisions(s, deployment).find(
    (r) => r.revision !== current && r.revision < (current || Infinity),
  );
}

/** RolloutUndo of a Deployment back to `revision`. */
export function rollbackRemediation(
  deployment: KubeObject,
  revision: number,
  confidence: number,
  reasoning: string,
): Remediation {
  return {
    action: 'RolloutUndo',
    args: {
      namespace: deployment.metadata.namespace,
      kind: 'Deployment',
      name: deployment.metadata.name,
      toRevision: revision,
    },
    confidence,
    reasoning,
  };
}

/** "container web" or "init container migrate", as evidence names a container. */
export function containerLabel(c: ContainerState): string {
  return `${c.init ? 'init container' : 'container'} ${c.name}`;
}

export function containerArgs(owner: KubeObject, container: string) {
  return {
    namespace: owner.metadata.namespace!,
    kind: owner.kind!,
    name: owner.metadata.name,
    container,
  };
}

/** Damerau-free Levenshtein distance, for "did you mean" between names in the snapshot. */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...new Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j += 1) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      dp[i]![j] = Math.min(
        dp[i - 1]![j]! + 1,
        dp[i]![j - 1]! + 1,
        dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return dp[a.length]![b.length]!;
}

const STARTING_REASONS = new Set(['ContainerCreating', 'PodInitializing']);

/**
 * Whether a workload that has fewer ready pods than desired is simply still starting: none
 * of its pods shows a sign of failure (unschedulable, restarted, waiting for any reason
 * but creation, a Warning event) and neither it nor its ReplicaSets has a Warning event
 * (FailedCreate). A workload in that state is reported at info, not as a problem; if it
 * stays that way the other analyzers (probes, scheduling, crashes, rollout deadline) catch
 * the real cause as soon as it shows.
 */
export function isStillStarting(s: Snapshot, workload: KubeObject, kind: string): boolean {
  const uid = workload.metadata.uid;
  const name = workload.metadata.name;
  const owned = (o: KubeObject) => {
    const top = topOwner(s, o);
    return top.metadata.uid === uid || (top.kind === kind && top.metadata.name === name);
  };
  const warned = (k: string, o: KubeObject) => eventsFor(s, k, o).some((e) => e.type === 'Warning');
  if (warned(kind, workload)) return false;
  if (s.replicaSets.some((rs) => owned(rs) && warned('ReplicaSet', rs))) {
    return false;
  }
  return s.pods.filter(owned).every((pod) => isPodReady(pod) || isPodStarting(s, pod));
}

/**
 * A pod not ready yet that shows no sign of failure: not unschedulable, no Warning event,
 * no restart, no container waiting for any reason but its creation. (A pod just created
 * has no status at all yet, and is starting too.)
 */
export function isPodStarting(s: Snapshot, pod: KubeObject): boolean {
  if (isPodReady(pod)) return false;
  if (conditionOf(pod, 'PodScheduled')?.status === 'False') return false;
  if (eventsFor(s, 'Pod', pod).some((e) => e.type === 'Warning')) return false;
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ] as {
    restartCount?: number;
    state?: { waiting?: { reason?: string }; terminated?: object };
  }[];
  return statuses.every(
    (c) =>
      (c.restartCount ?? 0) === 0 &&
      (c.state?.waiting === undefined || STARTING_REASONS.has(c.state.waiting.reason ?? '')),
  );
}
