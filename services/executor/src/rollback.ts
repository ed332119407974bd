import { PLAN_SCHEMA_VERSION, type ErrorInfo, type Plan, type Step } from '@opsloop/contracts';
import { inverseOf, planStep } from '@opsloop/kube-tools';
import type { ExecutorContext } from './execute.ts';
import type { Session } from './session.ts';

/**
 * After step `failed` failed, the steps before it are applied: propose their inverses, last
 * applied first, planned afresh against the live objects (so the rollback's own guard and
 * diff are real), as a plan that needs its own approval. With nothing applied there is
 * nothing to undo and the operation fails with the step's error.
 */
export async function proposeRollback(
  ctx: ExecutorContext,
  s: Session,
  failed: number,
  error: ErrorInfo,
): Promise<void> {
  const applied = s.state.plan!.plan.steps.slice(0, failed).reverse();
  if (applied.length === 0) {
    await s.record(
      {
        type: 'Fail',
        error: {
          ...error,
          message: `step ${failed} failed before anything was applied: ${error.message}`.slice(
            0,
            2000,
          ),
        },
      },
      'failed',
    );
    return;
  }
  const steps: Step[] = [];
  const notUndone: string[] = [];
  for (const step of applied) {
    const inverse = inverseOf(step);
    if (inverse === null) {
      notUndone.push(`${step.id} (${step.action} has no inverse)`);
      continue;
    }
    try {
      const planned = await planStep(inverse.action, inverse.args, ctx.cluster, ctx.policy);
      steps.push({ ...planned, id: `undo-${step.id}`.slice(0, 63) });
    } catch (e) {
      notUndone.push(`${step.id} (${(e as Error).message.slice(0, 200)})`);
    }
  }
  const why =
    `step ${failed} failed (${error.code}: ${error.message.slice(0, 600)}); ` +
    `undoing the ${applied.length} step(s) applied before it` +
    (notUndone.length > 0 ? `; cannot undo: ${notUndone.join('; ')}` : '');
  if (steps.length === 0) {
    await s.record({ type: 'Fail', error: { ...error, message: why.slice(0, 2000) } }, 'failed');
    return;
  }
  const plan: Plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    clusterId: s.state.plan!.plan.clusterId,
    steps,
    rationale: why.slice(0, 4000),
  };
  await s.record(
    { type: 'ProposeRollback', plan, reason: why.slice(0, 2000) },
    'rollback-proposed',
  );
  ctx.logger.info({ opId: s.opId, steps: steps.length }, 'rollback proposed');
}
