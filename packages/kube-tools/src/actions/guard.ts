import { deepEqual, getAt, parsePointer, pointer } from '../json-pointer.ts';
import type { JsonPatchOp } from '../json-pointer.ts';
import type { KubeObject } from '../types.ts';

/**
 * The drift guard: what an approver approves is the target's desired state, so a single
 * patch applies only while that desired state is what was planned against. Status writes
 * (a Deployment's conditions, a Node's heartbeat) and metadata churn do not invalidate a plan;
 * the planned resourceVersion stays in the step target for the audit trail only.
 *
 * Kinds whose `metadata.generation` the API server bumps on every spec change (in real
 * Kubernetes: the apps and batch workloads, NetworkPolicy, PodDisruptionBudget, Ingress;
 * kube-sim bumps it for every kind) are guarded by a `test` of that generation. Every other
 * kind (Service, Node, ResourceQuota, …: real Kubernetes leaves generation unset or fixed)
 * gets a `test` of each whole desired-state member (`/spec`, or `/data` etc. for kinds
 * without spec). On top, every path the patch changes is tested against its planned
 * before-value, which also covers changes outside the desired state (annotations).
 */
export const GENERATION_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'Ingress',
]);

const NOT_DESIRED = new Set(['apiVersion', 'kind', 'metadata', 'status']);

export function guardOps(live: KubeObject, ops: readonly JsonPatchOp[]): JsonPatchOp[] {
  const guards: JsonPatchOp[] = [];
  const generation = live.metadata.generation;
  if (GENERATION_KINDS.has(String(live.kind)) && typeof generation === 'number') {
    guards.push({ op: 'test', path: '/metadata/generation', value: generation });
  } else {
    for (const key of Object.keys(live).sort()) {
      const value = (live as Record<string, unknown>)[key];
      if (!NOT_DESIRED.has(key) && value !== undefined)
        guards.push({ op: 'test', path: pointer([key]), value });
    }
  }
  const tested = new Set(guards.map((g) => g.path));
  for (const op of ops) {
    if (op.op === 'test' || tested.has(op.path)) continue;
    const segments = parsePointer(op.path);
    // An appended item ("-") or a member that does not exist yet has no before-value to
    // test; the generation or whole-spec test above covers those.
    if (segments.at(-1) === '-') continue;
    const before = getAt(live, segments);
    if (before === undefined) continue;
    tested.add(op.path);
    guards.push({ op: 'test', path: op.path, value: before });
  }
  return guards;
}

/** The first `test` op of a planned patch that `live` no longer satisfies (null: all hold). */
export function failedGuard(live: KubeObject, body: readonly JsonPatchOp[]): string | null {
  for (const op of body) {
    if (op.op !== 'test') continue;
    if (!deepEqual(getAt(live, parsePointer(op.path)), op.value)) return op.path;
  }
  return null;
}
