import type { ErrorInfo } from '../events/common.ts';
import type { CheckResult } from '../events/verification.ts';
import type { PayloadOf } from '../ops-events.ts';
import type { Plan } from '../plan.ts';

/**
 * Commands are requests to change an operation (imperative names); decide() turns a legal
 * one into events (past-tense facts). Fields that the state already knows — the plan's
 * hash, step ids, planned resourceVersions, the approval being consumed — are filled in
 * by decide(), never trusted from the caller.
 */
export type Command =
  | ({ type: 'RequestOperation' } & PayloadOf<'OperationRequested'>)
  | ({ type: 'RecordContext' } & PayloadOf<'ContextGathered'>)
  | ({ type: 'RecordDiagnosis' } & PayloadOf<'DiagnosisRecorded'>)
  | { type: 'ProposePlan'; plan: Plan }
  | { type: 'Answer'; answer: string }
  | ({ type: 'RejectPlanByPolicy' } & PayloadOf<'PlanRejectedByPolicy'>)
  | ({ type: 'GrantApproval' } & PayloadOf<'ApprovalGranted'>)
  | ({ type: 'RejectApproval' } & PayloadOf<'ApprovalRejected'>)
  | {
      type: 'ExpireApproval';
      /** The plan's approval window, for a plan awaiting approval with no grant yet. */
      expiresAt?: string;
    }
  | { type: 'StartExecution'; planHash: string }
  | { type: 'StartStep'; stepIndex: number }
  | ({ type: 'SucceedStep' } & Omit<PayloadOf<'StepSucceeded'>, 'stepId'>)
  | { type: 'FailStep'; stepIndex: number; error: ErrorInfo }
  | { type: 'CompleteExecution' }
  | ({ type: 'HoldExecution' } & Omit<PayloadOf<'ExecutionHeld'>, 'stepIndex'>)
  | {
      type: 'InvalidatePlan';
      stepIndex: number;
      reason: string;
      /** The target's resourceVersion now; null when it no longer exists. */
      actualResourceVersion: string | null;
      /** The guarded path that moved (kube-tools' DriftError `details.changed`); null when the target is gone. */
      changedPath: string | null;
    }
  | { type: 'StartVerification' }
  | ({ type: 'PassCheck' } & CheckResult)
  | ({ type: 'FailCheck' } & CheckResult)
  | { type: 'PassVerification' }
  | { type: 'FailVerification'; reason: string }
  | { type: 'ProposeRollback'; plan: Plan; reason: string }
  | { type: 'Fail'; error: ErrorInfo }
  | { type: 'Close'; reason?: string };

export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
