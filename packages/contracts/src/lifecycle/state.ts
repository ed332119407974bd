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

export interface ApprovalState {
  planHash: string;
  approver: string;
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
  approval: null,
  execution: null,
  verification: null,
});

/** Identifies one postcondition of a plan: the step it belongs to and the check with its args. */
export function checkKey(stepIndex: number, check: CheckSpec): string {
  return `${stepIndex}:${check.name}:${canonicalJson(check.args)}`;
}
