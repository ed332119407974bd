/**
 * The scheduler's filter phase as a pure function: for one pod and a snapshot of the
 * cluster, which nodes fit, and for each node that does not, the reasons kube-scheduler
 * would record. Like the real framework, a node stops at the first failing plugin (in the
 * default plugin order), except NodeResourcesFit which reports every insufficient resource.
 */
import type { KObject } from '../../../api/types.ts';
import { labelSelectorMatches } from '../../../store/selectors.ts';
import type {
  NodeObject,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodObject,
} from '../pod-model.ts';
import { isTerminal, podSpec } from '../pod-model.ts';
import { toAmounts } from '../../../quantity.ts';
import { firstUntolerated, formatTaint, isTolerated, UNSCHEDULABLE_TAINT } from '../taints.ts';

/** Whether preemption could ever help with a reason (kube-scheduler's Unschedulable vs UnschedulableAndUnresolvable). */
export interface NodeFailure {
  reasons: string[];
  resolvable: boolean;
}

export interface ClusterSnapshot {
  nodes: NodeObject[];
  /** Every pod in the cluster (the scheduled ones are counted against their nodes). */
  pods: PodObject[];
}

export const REASON = {
  unschedulable: 'node(s) were unschedulable',
  affinity: "node(s) didn't match Pod's node affinity/selector",
  antiAffinity: "node(s) didn't match pod anti-affinity rules",
  existingAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules",
  tooManyPods: 'Too many pods',
} as const;

/** Requests of a pod as the scheduler counts them: max(sum of containers, any init container) + overhead. */
export function podRequests(pod: KObject): Record<string, number> {
  const spec = podSpec(pod);
  const total: Record<string, number> = {};
  for (const c of spec.containers ?? []) {
    for (const [k, v] of Object.entries(toAmounts(c.resources?.requests)))
      total[k] = (total[k] ?? 0) + v;
  }
  for (const c of spec.initContainers ?? []) {
    for (const [k, v] of Object.entries(toAmounts(c.resources?.requests)))
      total[k] = Math.max(total[k] ?? 0, v);
  }
  for (const [k, v] of Object.entries(toAmounts(spec.overhead))) total[k] = (total[k] ?? 0) + v;
  return total;
}

function requirementMatches(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = Number.parseInt(value ?? '', 10);
      const want = Number.parseInt(values[0] ?? '', 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return req.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

function termMatches(term: NodeSelectorTerm, node: NodeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // An empty term matches nothing (k8s: "a null or empty node selector term matches no objects").
  if (exprs.length === 0 && fields.length === 0) return false;
  return (
    exprs.every((r) =>
      requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined),
    ) &&
    fields.every((r) =>
      requirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined),
    )
  );
}

export function matchesNodeSelectorAndAffinity(pod: KObject, node: NodeObject): boolean {
  const spec = podSpec(pod);
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !(required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node)))
    return false;
  return true;
}

function podsOn(snapshot: ClusterSnapshot, nodeName: string): PodObject[] {
  return snapshot.pods.filter((p) => p.spec?.nodeName === nodeName && !isTerminal(p));
}

function antiAffinityFailure(
  pod: PodObject,
  node: NodeObject,
  snapshot: ClusterSnapshot,
): string | undefined {
  const nodeLabels = node.metadata.labels ?? {};
  const byName = new Map(snapshot.nodes.map((n) => [n.metadata.name, n]));
  const sameDomain = (other: PodObject, key: string) => {
    const otherNode = byName.get(other.spec?.nodeName);
    if (!otherNode || nodeLabels[key] === undefined) return false;
    return (otherNode.metadata.labels ?? {})[key] === nodeLabels[key];
  };
  const placed = snapshot.pods.filter((p) => p.spec?.nodeName && !isTerminal(p) && p !== pod);
  const ns = pod.metadata.namespace;
  for (const term of podSpec(pod).affinity?.podAntiAffinity
    ?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    const namespaces = term.namespaces?.length ? term.namespaces : [ns];
    const hit = placed.some(
      (p) =>
        namespaces.includes(p.metadata.namespace) &&
        labelSelectorMatches(term.labelSelector ?? {}, p.metadata.labels ?? {}) &&
        sameDomain(p, term.topologyKey),
    );
    if (hit) return REASON.antiAffinity;
  }
  // Symmetry: an existing pod's anti-affinity also keeps the new pod out of its domain.
  for (const p of placed) {
    for (const term of podSpec(p).affinity?.podAntiAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const namespaces = term.namespaces?.length ? term.namespaces : [p.metadata.namespace];
      if (
        namespaces.includes(ns) &&
        labelSelectorMatches(term.labelSelector ?? {}, pod.metadata.labels ?? {}) &&
        sameDomain(p, term.topologyKey)
      ) {
        return REASON.existingAntiAffinity;
      }
    }
  }
  return undefined;
}

function resourceFailures(pod: PodObject, node: NodeObject, snapshot: ClusterSnapshot): string[] {
  const allocatable = toAmounts(node.status?.allocatable ?? node.status?.capacity);
  const onNode = podsOn(snapshot, node.metadata.name!).filter((p) => p !== pod);
  const reasons: string[] = [];
  if (onNode.length + 1 > (allocatable['pods'] ?? 110)) reasons.push(REASON.tooManyPods);
  const used: Record<string, number> = {};
  for (const p of onNode)
    for (const [k, v] of Object.entries(podRequests(p))) used[k] = (used[k] ?? 0) + v;
  const wanted = podRequests(pod);
  for (const name of Object.keys(wanted).sort(
    (a, b) => order(a) - order(b) || a.localeCompare(b),
  )) {
    const want = wanted[name]!;
    if (want <= 0 || name === 'pods') continue;
    if ((used[name] ?? 0) + want > (allocatable[name] ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** kube-scheduler checks cpu, then memory, then ephemeral-storage, then extended resources. */
function order(name: string): number {
  return ['cpu', 'memory', 'ephemeral-storage'].indexOf(name) + 1 || 9;
}

/** undefined when the pod fits the node. */
export function checkNode(
  pod: PodObject,
  node: NodeObject,
  snapshot: ClusterSnapshot,
): NodeFailure | undefined {
  const spec = podSpec(pod);
  if (
    node.spec?.unschedulable &&
    !isTolerated(spec.tolerations, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' })
  ) {
    return { reasons: [REASON.unschedulable], resolvable: false };
  }
  const taint = firstUntolerated(node.spec?.taints, spec.tolerations, ['NoSchedule', 'NoExecute']);
  if (taint)
    return { reasons: [`node(s) had untolerated taint ${formatTaint(taint)}`], resolvable: false };
  if (!matchesNodeSelectorAndAffinity(pod, node))
    return { reasons: [REASON.affinity], resolvable: false };
  const resources = resourceFailures(pod, node, snapshot);
  if (resources.length > 0) return { reasons: resources, resolvable: true };
  const anti = antiAffinityFailure(pod, node, snapshot);
  if (anti) return { reasons: [anti], resolvable: true };
  return undefined;
}
