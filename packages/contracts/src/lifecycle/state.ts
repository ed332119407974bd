import { canonicalJson } from '../canonical.ts';
import type { Phase } from '../phase.ts';
import type { CheckSpec, Plan } from '../plan.ts';

/** The plan currently up for approval or being carried out. */
export interface CurrentPlan {
  plan: Plan;
  planHash: string;
  /** A rollback plan undoes `rollsBack`; a rollback is never itself rolled back. */
  kind: 'remediation' | 'rollback';
  rollsBack: string | null;
}

/** One approver's ApprovalGranted of the current plan. */
export interface ApprovalGrant {
  approver: string;
  expiresAt: string;
  eventId: string;
  /** Distinct approvers the plan needs, as this grant recorded it. */
  required: number;
}

/** The plan's complete approval: enough distinct approvers granted it. */
export interface ApprovalState {
  planHash: string;
  /** The approver whose grant completed the approval. */
  approver: string;
  /** Every distinct approver, in the order they granted. */
  approvers: string[];
  /** The earliest expiry among the grants: the approval is void when any grant is. */
  expiresAt: string;
  /** Id of the ApprovalGranted event; ExecutionStarted names it. */
  eventId: string;
  /** Id of the ExecutionStarted event that used this approval, once used. */
  consumedBy: string | null;
}

export interface ExecutionState {
  planHash: string;
  /** Index of the next step to start. */
  nextStep: number;
  /** Index of the step started and not yet finished, if any. */
  inFlight: number | null;
  failedStep: number | null;
}

export interface VerificationState {
  planHash: string;
  /** Keys (see checkKey) of checks that passed / failed. */
  passed: string[];
  failed: string[];
}

/**
 * Everything decide() needs to know about one operation, folded from its events by
 * evolve(). Plain data: it can be cached in a read model and compared in tests.
 */
export interface OperationState {
  phase: Phase;
  /** Number of events folded in: the expected last sequence for the next append. */
  eventCount: number;
  lastEventId: string | null;
  opId: string | null;
  requestedBy: string | null;
  clusterId: string | null;
  plan: CurrentPlan | null;
  /**
   * Grants of the current plan collected so far. While fewer distinct approvers than
   * required granted it, the phase stays `awaiting_approval` and `approval` stays null.
   */
  grants: ApprovalGrant[];
  approval: ApprovalState | null;
  execution: ExecutionState | null;
  verification: VerificationState | null;
}

export const initialState: OperationState = Object.freeze({
  phase: 'new',
  eventCount: 0,
  lastEventId: null,
  opId: null,
  requestedBy: null,
  clusterId: null,
  plan: null,
  grants: [],
  approval: null,
  execution: null,
  verification: null,
});

/** Identifies one postcondition of a plan: the step it belongs to and the check with its args. */
export function checkKey(stepIndex: number, check: CheckSpec): string {
  return `${stepIndex}:${check.name}:${canonicalJson(check.args)}`;
}
