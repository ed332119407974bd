import { planHash, type ErrorInfo, type OperationState, type OpsEvent } from '@opsloop/contracts';

/** Stable codes of the executor's refusals (OperationFailed.error.code). */
export const RefusalCode = {
  PlanHashMismatch: 'OPS_ERR_PLAN_HASH_MISMATCH',
  ApprovalExpired: 'OPS_ERR_APPROVAL_EXPIRED',
  ApproversMissing: 'OPS_ERR_APPROVERS_MISSING',
  WrongCluster: 'OPS_ERR_WRONG_CLUSTER',
} as const;

export type ApprovalVerdict =
  /** Not this trigger's business: another approval, another phase, or not a human's event. */
  | { kind: 'skip'; why: string }
  | { kind: 'refuse'; error: ErrorInfo }
  | { kind: 'execute'; approvers: string[] };

export interface ApprovalPolicy {
  /** The cluster this executor writes to (contracts' cluster id). */
  clusterId: string;
  /** Distinct approvers every plan needs at least. */
  minApprovers: number;
}

/**
 * Whether the approval `trigger` lets this executor start the operation's plan now. Checked
 * from the replayed history, never from the trigger's own claims: the plan's hash is
 * recomputed from the plan, the approval must name it, be unexpired, come from enough
 * distinct people (none of them the requester), and the plan must be for this cluster.
 */
export function judgeApproval(
  trigger: OpsEvent,
  events: readonly OpsEvent[],
  state: OperationState,
  now: Date,
  policy: ApprovalPolicy,
): ApprovalVerdict {
  if (trigger.type !== 'ApprovalGranted') return { kind: 'skip', why: 'not an approval' };
  if (trigger.actor.kind !== 'user') {
    return {
      kind: 'skip',
      why: `ApprovalGranted written by ${trigger.actor.kind} ${trigger.actor.id}`,
    };
  }
  if (state.phase !== 'approved') return { kind: 'skip', why: `operation is ${state.phase}` };
  const approval = state.approval;
  const plan = state.plan;
  if (approval === null || plan === null) return { kind: 'skip', why: 'no approval or plan' };
  if (approval.eventId !== trigger.id) {
    return { kind: 'skip', why: `the plan was approved by event ${approval.eventId}` };
  }
  const recomputed = planHash(plan.plan);
  if (recomputed !== plan.planHash || approval.planHash !== recomputed) {
    return refuse(
      RefusalCode.PlanHashMismatch,
      `the approval names plan ${approval.planHash}, the stored plan hashes to ${recomputed}` +
        (recomputed === plan.planHash ? '' : ` (its event claims ${plan.planHash})`) +
        '; nothing was executed — review the current plan and approve it again',
    );
  }
  if (plan.plan.clusterId !== policy.clusterId) {
    return refuse(
      RefusalCode.WrongCluster,
      `the plan is for cluster ${plan.plan.clusterId}, this executor writes to ${policy.clusterId}; nothing was executed`,
    );
  }
  if (Date.parse(approval.expiresAt) <= now.getTime()) {
    return refuse(
      RefusalCode.ApprovalExpired,
      `the approval expired at ${approval.expiresAt} before execution could start (now ${now.toISOString()}); ` +
        'nothing was executed — ask for a new approval',
    );
  }
  const { approvers, required } = approversOf(events, recomputed, state.requestedBy);
  const needed = Math.max(required, policy.minApprovers);
  if (approvers.length < needed) {
    return refuse(
      RefusalCode.ApproversMissing,
      `the plan needs ${needed} distinct approvers other than the requester, it has ` +
        `${approvers.length} (${approvers.join(', ') || 'none'}); nothing was executed — a second approver must approve`,
    );
  }
  return { kind: 'execute', approvers };
}

/** Distinct human approvers of `hash` since it was last proposed, and how many it needs. */
function approversOf(events: readonly OpsEvent[], hash: string, requester: string | null) {
  let since = 0;
  events.forEach((e, i) => {
    if ((e.type === 'PlanProposed' || e.type === 'RollbackProposed') && e.payload.planHash === hash)
      since = i;
  });
  const approvers = new Set<string>();
  let required = 1;
  for (const e of events.slice(since)) {
    if (e.type !== 'ApprovalGranted' || e.actor.kind !== 'user') continue;
    if (e.payload.planHash !== hash || e.payload.approver === requester) continue;
    approvers.add(e.payload.approver);
    const asked = (e.payload as { required?: unknown }).required;
    if (typeof asked === 'number') required = Math.max(required, asked);
  }
  return { approvers: [...approvers].sort(), required };
}

function refuse(code: string, message: string): ApprovalVerdict {
  return { kind: 'refuse', error: { code, message: message.slice(0, 2000), retryable: false } };
}
