import type { OperationModel, PlanEntry } from './fold.ts';
import type { Me } from './types.ts';

/**
 * Why the signed-in user may not decide on a plan, in words, or null when they may. The
 * gateway enforces every rule again (and more: RBAC through SubjectAccessReview); this only
 * keeps a person from pressing a button that can only fail, and tells them why.
 */
export function decisionBlock(
  user: Me,
  model: OperationModel,
  plan: PlanEntry,
  options: { status: string; expiresAt?: string | null; now?: Date },
): string | null {
  const now = options.now ?? new Date();
  if (plan.superseded) return 'A newer plan replaced this one; review the current plan instead.';
  if (plan.rejection) return `Already decided: rejected by ${plan.rejection.approver}.`;
  if (plan.execution.startedAt || options.status !== 'awaiting_approval') {
    return plan.grants.length > 0
      ? `Already decided: approved by ${plan.grants.map((g) => g.approver).join(', ')}.`
      : 'This plan is not waiting for a decision.';
  }
  if (plan.grants.some((g) => g.approver === user.name)) {
    return 'You have already approved this plan; another approver must approve it too.';
  }
  if (model.requestedBy === user.name) {
    return 'This is your own request: someone else must review and approve it.';
  }
  if (!user.roles.some((role) => role === 'approver' || role === 'admin')) {
    return `Your roles (${user.roles.join(', ') || 'none'}) do not include approver.`;
  }
  // A cluster-scoped step (namespace null) needs a team owning "*", as the gateway decides.
  const outside = plan.plan.steps
    .map((step) => step.target.namespace ?? '(cluster-scoped objects)')
    .filter(
      (ns) =>
        !user.namespaces.some((own) => (ns.startsWith('(') ? own === '*' : globMatch(own, ns))),
    );
  if (outside.length > 0) {
    return `You are not an approver of namespace ${[...new Set(outside)].join(', ')}: none of your teams owns it.`;
  }
  if (options.expiresAt && Date.parse(options.expiresAt) <= now.getTime()) {
    return 'This plan expired before it was approved; ask for a fresh plan.';
  }
  return null;
}

/** Namespace globs as the gateway's users file defines them: `*` is any run of [a-z0-9-]. */
export function globMatch(glob: string, name: string): boolean {
  if (!glob.includes('*')) return glob === name;
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${glob.split('*').map(escape).join('[a-z0-9-]*')}$`).test(name);
}
