import { z } from 'zod';
import { defineEvent } from '../registry.ts';
import { CheckSpec, PlanHash } from '../plan.ts';
import { StepIndex, text } from './common.ts';

/** Events of the verifier, which reads the cluster with its own read-only identity. */

export const VerificationStarted = defineEvent(
  'VerificationStarted',
  z.object({ planHash: PlanHash, checks: z.number().int().min(0).max(1000) }),
);

/**
 * One evaluation of a check, as kube-tools' runCheck returns it: the verdict, the values it
 * rests on, and a sentence for the approver. It maps onto CheckPassed/CheckFailed with
 * checkCommand (lifecycle).
 */
export const CHECK_LIMITS = { message: 2000, observedKeys: 64 } as const;
export const CheckVerdict = z.object({
  passed: z.boolean(),
  observed: z
    .record(z.string().min(1).max(128), z.json())
    .refine(
      (o) => Object.keys(o).length <= CHECK_LIMITS.observedKeys,
      'at most 64 observed values',
    ),
  message: text(CHECK_LIMITS.message),
});
export type CheckVerdict = z.infer<typeof CheckVerdict>;

const CheckResult = z.object({
  /** The step whose postcondition this is. */
  stepIndex: StepIndex,
  check: CheckSpec,
  /** What the verifier saw (replica counts, endpoint addresses, status codes, ...). */
  observed: z.json(),
  message: text(CHECK_LIMITS.message).optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const CheckPassed = defineEvent('CheckPassed', CheckResult);
export const CheckFailed = defineEvent('CheckFailed', CheckResult);

export const VerificationPassed = defineEvent(
  'VerificationPassed',
  z.object({ planHash: PlanHash, checksPassed: z.number().int().min(0).max(1000) }),
);

export const VerificationFailed = defineEvent(
  'VerificationFailed',
  z.object({
    planHash: PlanHash,
    failedChecks: z.array(z.string().max(64)).max(1000),
    reason: text(2000),
  }),
);
