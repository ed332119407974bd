/**
 * One scheduling decision: pick a node for a pod, or explain in kube-scheduler's words why
 * none fits ("0/3 nodes are available: 3 Insufficient cpu. preemption: …"). Pure: the
 * caller passes a snapshot and applies the result.
 */
import type { KObject } from '../../../api/types.ts';
import type { NodeObject, PodObject } from '../pod-model.ts';
import { podSpec } from '../pod-model.ts';
import type { ClusterSnapshot, NodeFailure } from './fit.ts';
import { checkNode } from './fit.ts';
import { scoreNodes, selectHost } from './score.ts';

export type Decision = { node: string } | { message: string };

export interface VolumeSnapshot {
  pvcs: KObject[];
  storageClasses: KObject[];
}

const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';

/** "3 Insufficient cpu, 1 node(s) were unschedulable", sorted as strings like sortReasonsHistogram. */
function histogram(counts: Map<string, number>): string {
  return [...counts.entries()]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort()
    .join(', ');
}

export function fitErrorMessage(
  total: number,
  failures: NodeFailure[],
  preFilter?: string,
): string {
  const head = `0/${total} nodes are available`;
  const preemption = new Map<string, number>();
  if (preFilter !== undefined) {
    if (total > 0) preemption.set(NOT_HELPFUL, total);
    return `${head}: ${preFilter}. preemption: ${head}: ${histogram(preemption)}.`.replace(
      ': .',
      '.',
    );
  }
  const reasons = new Map<string, number>();
  for (const f of failures) {
    for (const r of f.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const p = f.resolvable ? NO_VICTIMS : NOT_HELPFUL;
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  if (total === 0) return `no nodes available to schedule pods`;
  return `${head}: ${histogram(reasons)}. preemption: ${head}: ${histogram(preemption)}.`;
}

/** The PreFilter of VolumeBinding: a missing or unbound Immediate-mode claim stops scheduling. */
export function volumeProblem(pod: KObject, volumes: VolumeSnapshot): string | undefined {
  const ns = pod.metadata.namespace;
  let unbound = false;
  for (const v of podSpec(pod).volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const pvc = volumes.pvcs.find(
      (c) => c.metadata.namespace === ns && c.metadata.name === claimName,
    );
    if (!pvc) return `persistentvolumeclaim "${claimName}" not found`;
    const status = pvc['status'] as { phase?: string } | undefined;
    if (status?.phase === 'Bound') continue;
    const className = (pvc['spec'] as { storageClassName?: string } | undefined)?.storageClassName;
    const sc = volumes.storageClasses.find((s) => s.metadata.name === className);
    if ((sc?.['volumeBindingMode'] as string | undefined) === 'WaitForFirstConsumer') continue;
    unbound = true;
  }
  return unbound ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}

export function decide(
  pod: PodObject,
  snapshot: ClusterSnapshot,
  volumes: VolumeSnapshot,
): Decision {
  const nodes = snapshot.nodes;
  const pre = volumeProblem(pod, volumes);
  if (pre !== undefined) return { message: fitErrorMessage(nodes.length, [], pre) };
  const failures: NodeFailure[] = [];
  const feasible: NodeObject[] = [];
  for (const node of nodes) {
    const failure = checkNode(pod, node, snapshot);
    if (failure) failures.push(failure);
    else feasible.push(node);
  }
  if (feasible.length === 0) return { message: fitErrorMessage(nodes.length, failures) };
  return { node: selectHost(scoreNodes(pod, feasible, snapshot)).metadata.name! };
}
