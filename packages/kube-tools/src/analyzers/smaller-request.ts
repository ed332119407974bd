import type { KubeObject } from '../types.ts';
import { parseQuantity } from '../validation.ts';
import { containerArgs, isWorkloadKind } from './helpers.ts';
import { ROOM_RESOURCES } from './node-room.ts';
import type { RoomResource } from './node-room.ts';
import type { Snapshot } from './snapshot.ts';
import type { Remediation } from './types.ts';

/** Below this share of the current request the workload would be a different one: a person sizes it. */
const MIN_SHARE = 0.25;

function format(resource: RoomResource, value: number): { text: string; value: number } {
  if (resource === 'cpu') {
    const milli =
      Math.floor((value * 1000) / (value >= 0.1 ? 100 : 10)) * (value >= 0.1 ? 100 : 10);
    return { text: `${milli}m`, value: milli / 1000 };
  }
  const mi = Math.floor(value / 1024 ** 2);
  return { text: `${mi}Mi`, value: mi * 1024 ** 2 };
}

/** How many pods requesting `each` fit into the nodes' free room. */
function fitting(room: number[], each: number): number {
  return room.reduce((n, free) => n + (free >= each ? Math.floor(free / each) : 0), 0);
}

/**
 * For pods Pending on "Insufficient cpu|memory": the largest request for the one container
 * that asks for the resource such that every replica fits into the free room measured on
 * real nodes (snapshot.nodeRoom). Proposed only if that is a real reduction yet at least a
 * quarter of the current request, and always with a low confidence: the request is a sizing
 * decision, and the alternative (more or larger nodes) is a person's call.
 */
export function smallerRequestFix(s: Snapshot, owner: KubeObject, message: string): Remediation[] {
  if (!isWorkloadKind(owner.kind) || s.nodeRoom.length === 0) return [];
  const short = ROOM_RESOURCES.filter((r) => message.includes(`Insufficient ${r}`));
  if (short.length !== 1) return [];
  const resource = short[0]!;
  const spec = owner.spec?.template?.spec ?? {};
  type Container = { name: string; resources?: { requests?: Record<string, string> } };
  const amount = (c: Container) => parseQuantity(c.resources?.requests?.[resource]) || 0;
  const askers = ((spec.containers ?? []) as Container[]).filter((c) => amount(c) > 0);
  if (askers.length !== 1) return [];
  const container = askers[0]!;
  const current = amount(container);
  const initMax = Math.max(0, ...((spec.initContainers ?? []) as Container[]).map(amount));
  const replicas = Number(owner.spec?.replicas ?? 1);
  const room = s.nodeRoom.map((n) => n.free[resource]);
  // The best request is some node's room split k ways; try them largest first.
  const candidates = room
    .flatMap((free) => Array.from({ length: replicas }, (_, k) => free / (k + 1)))
    .filter((v) => v > 0)
    .sort((a, b) => b - a);
  for (const candidate of candidates) {
    const proposal = format(resource, candidate);
    if (proposal.value <= 0 || proposal.value < initMax) continue;
    if (fitting(room, proposal.value) < replicas) continue;
    if (proposal.value >= current || proposal.value < current * MIN_SHARE) return [];
    const was = container.name;
    return [
      {
        action: 'SetContainerResources',
        args: { ...containerArgs(owner, was), requests: { [resource]: proposal.text } },
        confidence: 0.35,
        reasoning:
          `${replicas} pod(s) requesting ${proposal.text} ${resource} fit on the nodes measured now ` +
          `(${s.nodeRoom.map((n) => n.name).join(', ')}); ${was} asks for ${String(container.resources?.requests?.[resource])}. ` +
          `Trade-off: the scheduler then reserves less than the workload was sized for, so under contention it may get ` +
          `less ${resource} than it needs (its limit is unchanged); the alternative is more or larger nodes.`,
      },
    ];
  }
  return [];
}
