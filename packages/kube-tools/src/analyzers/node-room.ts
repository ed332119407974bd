import type { Cluster } from '../cluster.ts';
import type { KubeObject } from '../types.ts';
import { parseQuantity } from '../validation.ts';

/** Free room on one node that a pending pod could use: allocatable minus what its pods request. */
export interface NodeRoom {
  name: string;
  /** Cores and bytes not requested by the pods already on the node. */
  free: { cpu: number; memory: number };
}

export const ROOM_RESOURCES = ['cpu', 'memory'] as const;
export type RoomResource = (typeof ROOM_RESOURCES)[number];
/** Nodes examined at most: enough to show that a smaller request fits, without listing a large cluster. */
const MAX_NODES = 20;
const INSUFFICIENT = /Insufficient (cpu|memory)/;

function needsRoom(pod: KubeObject): boolean {
  if (pod.status?.phase !== 'Pending' || pod.spec?.nodeName) return false;
  return (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string; message?: string }) =>
      c.type === 'PodScheduled' && c.status === 'False' && INSUFFICIENT.test(c.message ?? ''),
  );
}

/** What a pod asks the scheduler for: the larger of its containers' sum and any init container. */
export function podRequest(spec: KubeObject['spec'], resource: RoomResource): number {
  const of = (c: { resources?: { requests?: Record<string, string> } }) =>
    parseQuantity(c.resources?.requests?.[resource]) || 0;
  const sum = ((spec?.containers ?? []) as []).reduce((n, c) => n + of(c), 0);
  const init = Math.max(0, ...((spec?.initContainers ?? []) as []).map(of));
  return Math.max(sum, init);
}

/** Whether the pod could be placed on the node apart from its size: ready, schedulable, selector, taints. */
function eligible(node: KubeObject, pod: KubeObject): boolean {
  if (node.spec?.unschedulable) return false;
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (ready?.status !== 'True') return false;
  const selector = (pod.spec?.nodeSelector ?? {}) as Record<string, string>;
  if (!Object.entries(selector).every(([k, v]) => node.metadata.labels?.[k] === v)) return false;
  const tolerations = (pod.spec?.tolerations ?? []) as { key?: string; operator?: string }[];
  return ((node.spec?.taints ?? []) as { key: string; effect: string }[])
    .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
    .every((t) =>
      tolerations.some((tol) => tol.key === t.key || (!tol.key && tol.operator === 'Exists')),
    );
}

/**
 * Only when some pod of the namespace is Pending for lack of cpu or memory: the free room of
 * up to MAX_NODES nodes it could otherwise run on (one node list, one pod list per node).
 * Nothing is fetched otherwise, so a healthy namespace costs no extra request.
 */
export async function loadNodeRoom(cluster: Cluster, pods: KubeObject[]): Promise<NodeRoom[]> {
  const pending = pods.find(needsRoom);
  if (!pending) return [];
  const nodes = await cluster
    .request<{ items: KubeObject[] }>('GET', '/api/v1/nodes', { query: { limit: 100 } })
    .then((l) => l.items.filter((n) => eligible(n, pending)).slice(0, MAX_NODES))
    .catch(() => [] as KubeObject[]);
  return Promise.all(
    nodes.map(async (node) => {
      const onNode = await cluster.list('Pod', null, {
        fieldSelector: `spec.nodeName=${node.metadata.name},status.phase!=Succeeded,status.phase!=Failed`,
      });
      const free = Object.fromEntries(
        ROOM_RESOURCES.map((r) => [
          r,
          parseQuantity(node.status?.allocatable?.[r]) -
            onNode.reduce((n, p) => n + podRequest(p.spec, r), 0),
        ]),
      ) as NodeRoom['free'];
      return { name: node.metadata.name, free };
    }),
  );
}
