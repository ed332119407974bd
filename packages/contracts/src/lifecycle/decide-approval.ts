import {
  ApprovalExpiredError,
  IllegalTransitionError,
  InvalidCommandError,
  PlanHashMismatchError,
  SelfApprovalError,
} from '../errors.ts';
import type { PendingEvent } from '../ops-events.ts';
import { planHash } from '../plan.ts';
import { checkedPlan } from './decide-intake.ts';
import type { CommandOf } from './commands.ts';
import { emit, isAfter, requirePhase, requirePlan } from './guard.ts';
import type { OperationState } from './state.ts';

/**
 * Policy and human decisions, and the start of execution. Invariants: an approval names
 * the exact current planHash; the requester never approves; an approval is used before it
 * expires and by one execution only.
 */

/**
 * Two ways a policy refuses: the planner refuses its own candidate plan straight from
 * diagnosis (the plan, or no plan when the steps could not even be planned, goes in the
 * event; nothing is ever up for approval), or a policy refuses the plan awaiting approval,
 * named by its hash.
 */
export function rejectPlanByPolicy(
  { type, plan, planHash: named, violations }: CommandOf<'RejectPlanByPolicy'>,
  state: OperationState,
): PendingEvent[] {
  requirePhase(type, state, ['requested', 'diagnosing', 'awaiting_approval']);
  if (state.phase !== 'awaiting_approval') {
    if (named !== undefined && plan === undefined) {
      throw new InvalidCommandError(
        type,
        'there is no proposed plan yet; pass the refused plan itself',
      );
    }
    if (plan === undefined) return [emit(type, 'PlanRejectedByPolicy', { violations })];
    const refused = checkedPlan(type, plan, state);
    return [
      emit(type, 'PlanRejectedByPolicy', {
        plan: refused,
        planHash: planHash(refused),
        violations,
      }),
    ];
  }
  if (plan !== undefined) {
    throw new InvalidCommandError(type, 'a plan is awaiting approval; name it by planHash instead');
  }
  if (named === undefined) {
    throw new InvalidCommandError(type, 'name the plan awaiting approval by its planHash');
  }
  requirePlan(type, state, named);
  return [emit(type, 'PlanRejectedByPolicy', { planHash: named, violations })];
}

export function grantApproval(
  { type, ...payload }: CommandOf<'GrantApproval'>,
  state: OperationState,
  now: Date,
): PendingEvent[] {
  requirePhase(type, state, ['awaiting_approval']);
  requirePlan(type, state, payload.planHash);
  if (payload.approver === state.requestedBy) throw new SelfApprovalError(payload.approver);
  if (!isAfter(payload.expiresAt, now)) {
    throw new ApprovalExpiredError(type, payload.expiresAt, now.toISOString());
  }
  // Distinct approvers: a second grant by the same person would count once anyway, so it is
  // refused rather than recorded as if it moved the plan closer to approval.
  if ((state.grants ?? []).some((g) => g.approver === payload.approver)) {
    throw new IllegalTransitionError(
      type,
      state.phase,
      `${payload.approver} already approved this plan; it needs another approver`,
      { approver: payload.approver },
    );
  }
  return [emit(type, 'ApprovalGranted', payload)];
}

export function rejectApproval(
  { type, ...payload }: CommandOf<'RejectApproval'>,
  state: OperationState,
): PendingEvent[] {
  requirePhase(type, state, ['awaiting_approval']);
  requirePlan(type, state, payload.planHash);
  return [emit(type, 'ApprovalRejected', payload)];
}

/**
 * Voids an approval past its expiry. In `approved`: the complete approval. In
 * `awaiting_approval`: the grants collected so far (the earliest expiry counts), or, with no
 * grant yet, the plan itself once past `expiresAt` (the approval window the gateway gives a
 * plan, which the state does not know).
 */
export function expireApproval(
  { type, expiresAt: planDeadline }: CommandOf<'ExpireApproval'>,
  state: OperationState,
  now: Date,
): PendingEvent[] {
  requirePhase(type, state, ['awaiting_approval', 'approved']);
  const plan = requirePlan(type, state);
  const expiresAt = expiryOf(state, planDeadline);
  if (expiresAt === null) {
    throw new IllegalTransitionError(type, state.phase, 'there is no approval to expire');
  }
  if (isAfter(expiresAt, now)) {
    throw new IllegalTransitionError(
      type,
      state.phase,
      `the approval is valid until ${expiresAt}; expire it only after that`,
      { expiresAt },
    );
  }
  return [emit(type, 'ApprovalExpired', { planHash: plan.planHash, expiresAt })];
}

function expiryOf(state: OperationState, planDeadline: string | undefined): string | null {
  if (state.phase === 'approved') return state.approval?.expiresAt ?? null;
  const expiries = (state.grants ?? []).map((g) => g.expiresAt);
  if (expiries.length === 0) return planDeadline ?? null;
  return expiries.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

export function startExecution(
  { type, planHash }: CommandOf<'StartExecution'>,
  state: OperationState,
  now: Date,
): PendingEvent[] {
  requirePhase(type, state, ['approved']);
  const plan = requirePlan(type, state, planHash);
  const approval = state.approval;
  if (approval === null) {
    throw new IllegalTransitionError(type, state.phase, 'no approval has been granted');
  }
  if (approval.planHash !== plan.planHash) {
    throw new PlanHashMismatchError(type, plan.planHash, approval.planHash);
  }
  if (approval.consumedBy !== null) {
    throw new IllegalTransitionError(
      type,
      state.phase,
      `approval ${approval.eventId} was already used by execution ${approval.consumedBy}; ` +
        'an approval authorizes one execution, so ask for a new approval',
      { approvalEventId: approval.eventId },
    );
  }
  if (!isAfter(approval.expiresAt, now)) {
    throw new ApprovalExpiredError(type, approval.expiresAt, now.toISOString());
  }
  return [emit(type, 'ExecutionStarted', { planHash, approvalEventId: approval.eventId })];
}
