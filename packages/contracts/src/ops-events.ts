import type { z } from 'zod';
import { EventRegistry, type EventOf } from './registry.ts';
import { ContextGathered, DiagnosisRecorded, OperationRequested } from './events/intake.ts';
import {
  PlanInvalidated,
  PlanProposed,
  PlanRejectedByPolicy,
  RollbackProposed,
} from './events/planning.ts';
import { ApprovalExpired, ApprovalGranted, ApprovalRejected } from './events/approval.ts';
import {
  ExecutionCompleted,
  ExecutionHeld,
  ExecutionStarted,
  StepFailed,
  StepStarted,
  StepSucceeded,
} from './events/execution.ts';
import {
  CheckFailed,
  CheckPassed,
  VerificationFailed,
  VerificationPassed,
  VerificationStarted,
} from './events/verification.ts';
import { OperationAnswered, OperationClosed, OperationFailed } from './events/outcome.ts';

/** Every event definition of the operation lifecycle, in lifecycle order. */
export const opsEventDefinitions = [
  OperationRequested,
  ContextGathered,
  DiagnosisRecorded,
  PlanProposed,
  PlanRejectedByPolicy,
  ApprovalGranted,
  ApprovalRejected,
  ApprovalExpired,
  ExecutionStarted,
  StepStarted,
  StepSucceeded,
  StepFailed,
  ExecutionCompleted,
  ExecutionHeld,
  PlanInvalidated,
  VerificationStarted,
  CheckPassed,
  CheckFailed,
  VerificationPassed,
  VerificationFailed,
  RollbackProposed,
  OperationAnswered,
  OperationFailed,
  OperationClosed,
] as const;

type OpsEventDefinition = (typeof opsEventDefinitions)[number];

/** The one registry every reader of the OPS stream parses with. */
export const OpsEvents = new EventRegistry<OpsEventDefinition>(opsEventDefinitions);

/** A parsed event of an operation, payload upcast to the latest version. */
export type OpsEvent = EventOf<OpsEventDefinition>;
export type OpsEventType = OpsEvent['type'];

/** The latest payload of an event type (what writers write and readers get). */
export type PayloadOf<T extends OpsEventType> = z.infer<
  Extract<OpsEventDefinition, { type: T }>['schema']
>;

/** An event decided but not yet enveloped: what `decide` returns and `newEvent` takes. */
export type PendingEvent = {
  [T in OpsEventType]: { type: T; payload: PayloadOf<T> };
}[OpsEventType];
