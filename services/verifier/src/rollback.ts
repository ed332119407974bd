import { PLAN_SCHEMA_VERSION, type Plan, type Step } from '@opsloop/contracts';
import { inverseOf, planStep, type Cluster } from '@opsloop/kube-tools';

/**
 * The plan undoing every step of `plan`, last step first, each planned afresh against the
 * live objects (its own guard and dry-run diff). It needs an approval like any plan. Steps
 * without an inverse, or whose inverse cannot be planned, are named in `notUndone`.
 */
export async function rollbackPlan(
  cluster: Cluster,
  plan: Plan,
  why: string,
): Promise<{ plan: Plan | null; notUndone: string[] }> {
  const steps: Step[] = [];
  const notUndone: string[] = [];
  for (const step of [...plan.steps].reverse()) {
    const inverse = inverseOf(step);
    if (inverse === null) {
      notUndone.push(`${step.id} (${step.action} has no inverse)`);
      continue;
    }
    try {
      const planned = await planStep(inverse.action, inverse.args, cluster);
      steps.push({ ...planned, id: `undo-${step.id}`.slice(0, 63) });
    } catch (error) {
      notUndone.push(`${step.id} (${(error as Error).message.slice(0, 200)})`);
    }
  }
  if (steps.length === 0) return { plan: null, notUndone };
  const rationale =
    `verification failed (${why.slice(0, 1500)}); undoing the plan's ${plan.steps.length} step(s)` +
    (notUndone.length > 0 ? `; cannot undo: ${notUndone.join('; ')}` : '');
  return {
    plan: {
      schemaVersion: PLAN_SCHEMA_VERSION,
      clusterId: plan.clusterId,
      steps,
      rationale: rationale.slice(0, 4000),
    },
    notUndone,
  };
}
