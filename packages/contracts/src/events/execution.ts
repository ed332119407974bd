import { z } from 'zod';
import { defineEvent } from '../registry.ts';
import { PlanHash } from '../plan.ts';
import { ErrorInfo, EventId, StepIndex, text } from './common.ts';

/** Events of the executor, the only writer to the cluster. */

export const ExecutionStarted = defineEvent(
  'ExecutionStarted',
  z.object({
    planHash: PlanHash,
    /** The ApprovalGranted event this execution consumes; an approval is consumed once. */
    approvalEventId: EventId,
  }),
);

const StepRef = { stepIndex: StepIndex, stepId: z.string().min(1).max(63) };
const ResourceVersion = z.string().min(1).max(64);

/** Written before the write to the cluster, so a crash after it is detected on restart. */
export const StepStarted = defineEvent('StepStarted', z.object(StepRef));

export const StepSucceeded = defineEvent(
  'StepSucceeded',
  z.object({
    ...StepRef,
    result: z.object({
      resourceVersionBefore: ResourceVersion,
      /** null when the step deleted the object (e.g. evicting a pod while draining). */
      resourceVersionAfter: ResourceVersion.nullable(),
    }),
  }),
);

export const StepFailed = defineEvent('StepFailed', z.object({ ...StepRef, error: ErrorInfo }));

export const ExecutionCompleted = defineEvent(
  'ExecutionCompleted',
  z.object({ planHash: PlanHash, stepsApplied: z.number().int().min(1).max(50) }),
);

/**
 * The global kill switch held this operation back: nothing was written after it. Not an
 * end: the operation stays where it was (approved, or executing between steps) and the
 * executor carries on when the switch is clear again — with the same approval, which must
 * still be unexpired if execution had not started. `stepIndex`: the step that would have
 * run next; null when execution had not started.
 */
export const ExecutionHeld = defineEvent(
  'ExecutionHeld',
  z.object({
    reason: z.enum(['kill_switch_engaged', 'kill_switch_unreadable']),
    message: text(1000),
    stepIndex: StepIndex.nullable(),
  }),
);
