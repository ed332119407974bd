import type { Risk } from '@opsloop/contracts';
import { ownsNamespace, type Identity } from '../users/directory.ts';
import type { OperationView } from '../model/view.ts';

export interface ApprovalPolicy {
  /** How long a proposed plan can be approved, and an approval used, after the proposal. */
  ttlMs: number;
  /** Distinct approvers a plan needs, by its highest step risk. */
  requiredByRisk: Record<Risk, number>;
}

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  ttlMs: 30 * 60_000,
  requiredByRisk: { low: 1, medium: 1, high: 2, destructive: 2 },
};

/**
 * Who sees an operation: the teams owning its namespace, or (for a request naming none)
 * the requester's teams. Everyone else gets a 404, not a hint it exists. Roles never widen
 * what a person sees.
 */
export function canSee(identity: Identity, view: OperationView): boolean {
  if (view.namespace !== null) return ownsNamespace(identity, view.namespace);
  return view.teams.some((team) => identity.teams.includes(team));
}

/** The namespaces a plan touches; a cluster-scoped step needs a team owning "*". */
export function unownedNamespace(identity: Identity, view: OperationView): string | null {
  for (const step of view.plan?.plan.steps ?? []) {
    const namespace = step.target.namespace;
    if (namespace === null) {
      if (!identity.namespaces.includes('*')) return '(cluster-scoped)';
    } else if (!ownsNamespace(identity, namespace)) {
      return namespace;
    }
  }
  return null;
}

export function requiredApprovers(policy: ApprovalPolicy, view: OperationView): number {
  const byRisk = view.plan === null ? 1 : policy.requiredByRisk[view.plan.risk];
  return Math.max(byRisk, view.approvals.required ?? 1);
}

export function planDeadline(policy: ApprovalPolicy, view: OperationView): string | null {
  if (view.plan === null) return null;
  return new Date(Date.parse(view.plan.proposedAt) + policy.ttlMs).toISOString();
}
