import type { Cluster } from '../cluster.ts';
import { getAction } from './catalog.ts';
import { DEFAULT_POLICY } from './types.ts';
import type { ApplyOptions, PlannedStep, StepObservation } from './types.ts';
import { checkPatchMatches, noPatch, rederive, storedOps } from './verify.ts';
import { checkOperationId, writeGuardedPatch } from './write.ts';

/**
 * Write one approved step and say what was observed on its target (StepObservation).
 *
 * The step is re-derived first, whoever produced it: its args must parse with the action's
 * schema, its target must be `action.target(args)` and allowed by `options.policy`
 * (DEFAULT_POLICY: kube-system and friends are protected), and, against the live object,
 * its JSON patch must be exactly the guard plus the change the action derives
 * (verify.ts) — else StepMismatchError / InvalidArgsError / ProtectedNamespaceError, and
 * nothing is written. A guard that no longer holds is drift: DriftError, nothing written.
 * Multi-call actions check their own parts (jobs.ts, node.ts).
 */
export async function applyStep(
  step: PlannedStep,
  cluster: Cluster,
  options: ApplyOptions = {},
): Promise<StepObservation> {
  const action = getAction(step.action);
  checkOperationId(step.action, options.operationId);
  const { args } = rederive(action, step, options.policy ?? DEFAULT_POLICY);
  const write = { operationId: options.operationId, args };
  if (action.custom) {
    if (action.name !== 'DrainNode') noPatch(action.name, step);
    return action.custom.apply(step, cluster, write);
  }
  const stored = storedOps(action.name, step);
  return writeGuardedPatch(step.target, stored, cluster, write, async (live) => {
    const change = await (action.compute as (...a: unknown[]) => ReturnType<typeof action.compute>)(
      live,
      args,
      cluster,
    );
    checkPatchMatches(action, stored, live, change.ops);
  });
}
