/**
 * Scoring of feasible nodes as kube-scheduler's default profile does it, for the plugins
 * that matter here: NodeResourcesFit (LeastAllocated, cpu and memory, with the non-zero
 * defaults of 100m / 200Mi for containers without requests), NodeResourcesBalancedAllocation
 * and the default PodTopologySpread constraints (ScheduleAnyway over hostname, maxSkew 3,
 * and zone, maxSkew 5) among pods of the same owner. Weights are the default profile's
 * (fit 1, balanced 1, spread 2); ties are broken at random, like selectHost.
 */
import { toAmounts } from '../../../quantity.ts';
import type { NodeObject, PodObject } from '../pod-model.ts';
import { podSpec } from '../pod-model.ts';
import type { ClusterSnapshot } from './fit.ts';

const DEFAULT_CPU_MILLI = 100;
const DEFAULT_MEMORY = 200 * 1024 * 1024;
const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

/** Requests for scoring: a container without requests counts 100m cpu and 200Mi memory. */
function nonZeroRequests(pod: PodObject): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of podSpec(pod).containers ?? []) {
    const r = toAmounts(c.resources?.requests);
    cpu += r['cpu'] ?? DEFAULT_CPU_MILLI;
    memory += r['memory'] ?? DEFAULT_MEMORY;
  }
  return { cpu, memory };
}

function ownerUid(pod: PodObject): string | undefined {
  return pod.metadata.ownerReferences?.find((o) => o.controller)?.uid;
}

function running(pod: PodObject): boolean {
  return !['Succeeded', 'Failed'].includes(pod.status?.phase ?? '');
}

export function scoreNodes(
  pod: PodObject,
  feasible: NodeObject[],
  snapshot: ClusterSnapshot,
): Map<NodeObject, number> {
  const onNode = new Map<string, PodObject[]>();
  for (const p of snapshot.pods) {
    const node = p.spec?.nodeName;
    if (node && running(p)) onNode.set(node, [...(onNode.get(node) ?? []), p]);
  }
  const incoming = nonZeroRequests(pod);
  const owner = ownerUid(pod);
  const siblings = (node: NodeObject) =>
    owner === undefined
      ? 0
      : (onNode.get(node.metadata.name!) ?? []).filter(
          (p) => p.metadata.namespace === pod.metadata.namespace && ownerUid(p) === owner,
        ).length;
  const byZone = new Map<string, number>();
  for (const n of snapshot.nodes) {
    const zone = n.metadata.labels?.[ZONE];
    if (zone !== undefined) byZone.set(zone, (byZone.get(zone) ?? 0) + siblings(n));
  }
  const spreadRaw = new Map<NodeObject, number>();
  const hosts = feasible.filter((n) => n.metadata.labels?.[HOST] !== undefined).length;
  for (const n of feasible) {
    const zone = n.metadata.labels?.[ZONE];
    let raw = siblings(n) * Math.log(hosts + 2);
    if (zone !== undefined) raw += (byZone.get(zone) ?? 0) * Math.log(byZone.size + 2);
    spreadRaw.set(n, raw);
  }
  const raws = [...spreadRaw.values()];
  const max = Math.max(0, ...raws);
  const min = Math.min(...raws);
  const scores = new Map<NodeObject, number>();
  for (const n of feasible) {
    const alloc = toAmounts(n.status?.allocatable ?? n.status?.capacity);
    let cpu = incoming.cpu;
    let memory = incoming.memory;
    for (const p of onNode.get(n.metadata.name!) ?? []) {
      const r = nonZeroRequests(p);
      cpu += r.cpu;
      memory += r.memory;
    }
    const free = (used: number, total: number | undefined) =>
      total && total > 0 ? Math.max(0, ((total - used) * 100) / total) : 0;
    const fraction = (used: number, total: number | undefined) =>
      total && total > 0 ? Math.min(1, used / total) : 1;
    const least = (free(cpu, alloc['cpu']) + free(memory, alloc['memory'])) / 2;
    const balanced =
      (1 - Math.abs(fraction(cpu, alloc['cpu']) - fraction(memory, alloc['memory'])) / 2) * 100;
    const raw = spreadRaw.get(n) ?? 0;
    const spread = max === 0 ? 100 : (100 * (max + min - raw)) / max;
    scores.set(n, least + balanced + 2 * spread);
  }
  return scores;
}

/** The best-scoring node; equal scores are chosen among at random (reservoir sampling). */
export function selectHost(scores: Map<NodeObject, number>, random = Math.random): NodeObject {
  let best: NodeObject | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  let ties = 0;
  for (const [node, raw] of scores) {
    const score = Math.floor(raw);
    if (score > bestScore) {
      best = node;
      bestScore = score;
      ties = 1;
    } else if (score === bestScore) {
      ties++;
      if (random() * ties < 1) best = node;
    }
  }
  return best!;
}
