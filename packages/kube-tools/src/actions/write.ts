import { OpId } from '@opsloop/contracts';
import type { Cluster } from '../cluster.ts';
import { DriftError, InvalidArgsError, KubeApiError } from '../errors.ts';
import { pointer } from '../json-pointer.ts';
import type { JsonPatchOp } from '../json-pointer.ts';
import { refString } from '../types.ts';
import type { KubeObject } from '../types.ts';
import { failedGuard } from './guard.ts';
import { FIELD_MANAGER } from './types.ts';
import type { StepObservation, WriteContext } from './types.ts';

/**
 * How one guarded JSON patch reaches the cluster. The executor sends exactly the approved
 * ops, with two additions that cannot widen the change:
 *
 * - first, a `test` of `/metadata/resourceVersion` equal to the object just read: it pins
 *   the write to the object the step was re-derived against (actions/verify.ts) and makes
 *   `resourceVersionBefore` exact. It can only refuse a write; a refusal caused by a write
 *   in between (status churn) is retried from a fresh read, and the approved guard decides.
 * - last, with an operation id, an `add` of the annotation `opsloop.dev/operation: <id>` on
 *   the target's own `metadata.annotations` (creating the map when the object has none).
 *   It is metadata, outside every desired-state member the guard protects: it changes no
 *   spec, no generation, starts no rollout, and is not a path in the approved diff. It rides
 *   in the same request, so it is there exactly when the approved change was written.
 */
export const OPERATION_ANNOTATION = 'opsloop.dev/operation';

const ATTEMPTS = 5;

export function operationOps(
  live: KubeObject,
  approved: readonly JsonPatchOp[],
  operationId: string | undefined,
): JsonPatchOp[] {
  if (operationId === undefined) return [];
  const annotations = ['metadata', 'annotations'];
  const created = approved.some((op) => op.op === 'add' && op.path === pointer(annotations));
  if (live.metadata.annotations === undefined && !created)
    return [
      { op: 'add', path: pointer(annotations), value: { [OPERATION_ANNOTATION]: operationId } },
    ];
  return [{ op: 'add', path: pointer([...annotations, OPERATION_ANNOTATION]), value: operationId }];
}

/** An operation id is checked like contracts' OpId before it is written into an object. */
export function checkOperationId(action: string, operationId: string | undefined): void {
  if (operationId !== undefined && !OpId.safeParse(operationId).success)
    throw new InvalidArgsError(
      action,
      `operationId "${operationId.slice(0, 80)}" is not an operation id (1-64 of A-Z, a-z, 0-9, _ and -)`,
    );
}

/**
 * Write `approved` (guard `test` ops first, then the change) to the step's target, pinned
 * to a fresh read. `check(live)` runs on every read before the write (re-derivation); the
 * approved guard failing on the live object is drift: DriftError, nothing written.
 */
export async function writeGuardedPatch(
  target: { kind: string; namespace: string | null; name: string; resourceVersion: string },
  approved: readonly JsonPatchOp[],
  cluster: Cluster,
  write: WriteContext,
  check: (live: KubeObject) => Promise<void> | void = () => undefined,
): Promise<StepObservation> {
  for (let attempt = 1; ; attempt += 1) {
    const live = await cluster.get(target.kind, target.namespace, target.name);
    if (!live) throw new DriftError(refString(target), target.resourceVersion, null, null);
    const failed = failedGuard(live, approved);
    if (failed)
      throw new DriftError(
        refString(target),
        target.resourceVersion,
        live.metadata.resourceVersion ?? null,
        failed,
      );
    await check(live);
    const before = String(live.metadata.resourceVersion);
    const body = [
      { op: 'test', path: '/metadata/resourceVersion', value: before },
      ...approved,
      ...operationOps(live, approved, write.operationId),
    ];
    try {
      const written = await cluster.patch(
        target.kind,
        target.namespace,
        target.name,
        { type: 'json', body },
        { fieldManager: FIELD_MANAGER },
      );
      return {
        resourceVersionBefore: before,
        resourceVersionAfter: String(written.metadata.resourceVersion),
      };
    } catch (error) {
      // 404/409/422 may be a write in between; the next read decides (drift or retry).
      const raced = error instanceof KubeApiError && [404, 409, 422].includes(error.status);
      if (!raced || attempt >= ATTEMPTS) throw error;
      const now = await cluster.get(target.kind, target.namespace, target.name);
      if (now && now.metadata.resourceVersion === before) throw error; // refused for another reason
    }
  }
}
