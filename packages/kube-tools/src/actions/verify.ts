import { StepMismatchError } from '../errors.ts';
import { deepEqual } from '../json-pointer.ts';
import type { JsonPatchOp } from '../json-pointer.ts';
import { kindInfo } from '../kinds.ts';
import type { KubeObject } from '../types.ts';
import { assertNamespaceAllowed, parseArgs } from './engine.ts';
import { guardOps } from './guard.ts';
import type { ActionDefinition, PlannedStep, Policy, TargetRef } from './types.ts';

/**
 * Write-time re-derivation: the closed catalog holds only if every step the executor runs
 * is what its action derives, whoever produced it (planStep, a model's propose_plan, a
 * hand-edited event). The planHash binds the step to what the approver saw; this binds it
 * to the catalog. Invariant: a step that fails any check here is refused before anything
 * is written.
 */

/** Args parse with the action's schema, the target is action.target(args), policy allows it. */
export function rederive(
  action: ActionDefinition<never>,
  step: PlannedStep,
  policy: Policy,
): { args: unknown; ref: TargetRef } {
  const args = parseArgs(action, step.args);
  const ref = (action.target as (a: unknown) => TargetRef)(args);
  const derived = {
    apiVersion: kindInfo(ref.kind).apiVersion,
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
  };
  const stored = step.target;
  for (const key of ['apiVersion', 'kind', 'namespace', 'name'] as const) {
    if (stored[key] !== derived[key])
      throw new StepMismatchError(
        action.name,
        'target',
        `target ${key} is ${JSON.stringify(stored[key])}, the args name ${JSON.stringify(derived[key])}`,
      );
  }
  assertNamespaceAllowed(action.name, ref.namespace, policy);
  return { args, ref };
}

const OPS = new Set(['add', 'replace', 'remove', 'test']);

/** The stored patch as JSON patch ops; only a JSON patch is executed (a merge patch has no tests). */
export function storedOps(action: string, step: PlannedStep): JsonPatchOp[] {
  const patch = step.patch;
  if (!patch) throw new StepMismatchError(action, 'patch', 'the step carries no patch');
  if (patch.type !== 'json')
    throw new StepMismatchError(
      action,
      'patch',
      `a ${patch.type} patch; only guarded JSON patches are executed`,
    );
  const body = patch.body;
  if (!Array.isArray(body))
    throw new StepMismatchError(action, 'patch', 'a JSON patch body must be a list of ops');
  body.forEach((op, index) => {
    const o = op as { op?: unknown; path?: unknown } | null;
    if (!o || typeof o !== 'object' || !OPS.has(String(o.op)) || typeof o.path !== 'string')
      throw new StepMismatchError(
        action,
        'patch',
        `op ${index} is not an add/replace/remove/test op with a path`,
      );
  });
  return body as unknown as JsonPatchOp[];
}

/** A step without a patch (the delete/evict actions) must not carry one either. */
export function noPatch(action: string, step: PlannedStep): void {
  if (step.patch !== undefined)
    throw new StepMismatchError(action, 'patch', `${action} writes no patch, yet the step has one`);
}

const describe = (op: JsonPatchOp) => `${op.op} ${op.path}`;

/**
 * `stored` must be: `test` ops only, including every guard the action derives on `live`
 * (generation / desired-state members and the before-values of changed paths — their
 * values come from the planned state, which the guard has just shown `live` still holds),
 * followed by exactly the change ops derived on `live`. Extra `test` ops can only refuse a
 * write, so they are allowed; a missing guard or any other op is a mismatch.
 */
export function checkPatchMatches(
  action: Pick<ActionDefinition, 'name' | 'volatile'>,
  stored: readonly JsonPatchOp[],
  live: KubeObject,
  derivedOps: readonly JsonPatchOp[],
): void {
  const mismatch = (message: string) => new StepMismatchError(action.name, 'patch', message);
  if (stored.length < derivedOps.length)
    throw mismatch(`${stored.length} ops stored, ${derivedOps.length} derived`);
  const head = stored.slice(0, stored.length - derivedOps.length);
  const tail = stored.slice(stored.length - derivedOps.length);
  derivedOps.forEach((derived, index) => {
    const op = tail[index]!;
    const same =
      op.op === derived.op &&
      op.path === derived.path &&
      (deepEqual(op.value, derived.value) || action.volatile?.(op.path, op.value) === true);
    if (!same)
      throw mismatch(`stored "${describe(op)}" where the action derives "${describe(derived)}"`);
  });
  const writer = head.find((op) => op.op !== 'test');
  if (writer) throw mismatch(`"${describe(writer)}" is more than the action derives`);
  for (const guard of guardOps(live, derivedOps)) {
    if (!head.some((op) => op.path === guard.path && deepEqual(op.value, guard.value)))
      throw mismatch(`the guard "test ${guard.path}" is missing`);
  }
}
