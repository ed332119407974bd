import type { Plan, Risk } from '@opsloop/contracts';
import type { PlannerLimits } from './config.ts';

/**
 * The planner's policy: a plan touches only namespaces the requester's teams own, never a
 * protected namespace, and stays within the configured limits. Pure: it judges targets
 * and plans, it reads nothing. Every breach is reported, not only the first.
 */
export interface Violation {
  rule: string;
  message: string;
  stepIndex?: number;
}

export interface TargetRef {
  kind: string;
  namespace: string | null;
  name: string;
}

const RISK_ORDER: Risk[] = ['low', 'medium', 'high', 'destructive'];

/** Whether `namespace` is one of `scope`'s names or matches one of its globs (`*`, `?`). */
export function matchesScope(namespace: string, scope: readonly string[]): boolean {
  return scope.some((pattern) => {
    if (!/[*?]/.test(pattern)) return pattern === namespace;
    const re = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return new RegExp(`^${re}$`).test(namespace);
  });
}

/** Where each step may write: checked before anything is planned, so no out-of-scope dry run happens. */
export function checkTargets(
  targets: readonly TargetRef[],
  scope: readonly string[] | null,
  limits: Pick<PlannerLimits, 'protectedNamespaces'>,
): Violation[] {
  const violations: Violation[] = [];
  targets.forEach((target, stepIndex) => {
    const what = `step ${stepIndex + 1} (${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name})`;
    if (target.namespace === null) {
      violations.push({
        rule: 'cluster-scoped-target',
        message: `${what} changes a cluster-scoped object, which no team's namespace scope covers`,
        stepIndex,
      });
      return;
    }
    if (limits.protectedNamespaces.includes(target.namespace)) {
      violations.push({
        rule: 'protected-namespace',
        message: `${what} touches protected namespace ${target.namespace}; no plan may change it`,
        stepIndex,
      });
    }
    if (scope === null) {
      violations.push({
        rule: 'namespace-in-scope',
        message: `${what}: the request carries no team scope, so no namespace may be changed`,
        stepIndex,
      });
    } else if (!matchesScope(target.namespace, scope)) {
      violations.push({
        rule: 'namespace-in-scope',
        message: `${what} touches namespace ${target.namespace}, which the requester's teams do not own (they own: ${scope.join(', ') || 'none'})`,
        stepIndex,
      });
    }
  });
  return violations;
}

/** Limits on the planned plan: number of steps, distinct objects, highest risk. */
export function checkLimits(
  plan: Plan,
  limits: Pick<PlannerLimits, 'maxSteps' | 'maxObjects' | 'maxRisk'>,
): Violation[] {
  const violations: Violation[] = [];
  if (plan.steps.length > limits.maxSteps) {
    violations.push({
      rule: 'max-steps',
      message: `the plan has ${plan.steps.length} steps; at most ${limits.maxSteps} are allowed`,
    });
  }
  const objects = new Set(
    plan.steps.map((s) => `${s.target.kind}/${s.target.namespace ?? ''}/${s.target.name}`),
  );
  if (objects.size > limits.maxObjects) {
    violations.push({
      rule: 'max-objects',
      message: `the plan changes ${objects.size} objects; at most ${limits.maxObjects} are allowed`,
    });
  }
  const max = RISK_ORDER.indexOf(limits.maxRisk);
  plan.steps.forEach((step, stepIndex) => {
    if (RISK_ORDER.indexOf(step.risk) > max) {
      violations.push({
        rule: 'max-risk',
        message: `step ${stepIndex + 1} (${step.summary}) has risk ${step.risk}; the highest allowed is ${limits.maxRisk}`,
        stepIndex,
      });
    }
  });
  return violations;
}

/**
 * A step must stay in the namespace the request is about, even inside the requester's
 * scope: a model (or text it read) cannot carry a plan over to another of their
 * namespaces. Cluster-scoped targets are refused by checkTargets already.
 */
export function checkRequestNamespace(
  targets: readonly TargetRef[],
  namespace: string | null,
): Violation[] {
  const violations: Violation[] = [];
  targets.forEach((target, stepIndex) => {
    if (target.namespace === null || target.namespace === namespace) return;
    violations.push({
      rule: 'request-namespace',
      message: `step ${stepIndex + 1} (${target.kind} ${target.namespace}/${target.name}) is outside namespace ${namespace ?? '(none)'}, which the request is about`,
      stepIndex,
    });
  });
  return violations;
}
