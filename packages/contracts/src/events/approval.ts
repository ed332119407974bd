import { z } from 'zod';
import { defineEvent } from '../registry.ts';
import { PlanHash } from '../plan.ts';
import { Principal, Timestamp, text } from './common.ts';

/** Human decisions on a plan. Each names the planHash the approver was shown. */

export const ApprovalGranted = defineEvent(
  'ApprovalGranted',
  z.object({
    planHash: PlanHash,
    approver: Principal,
    /** Execution must start before this instant; afterwards the approval is void. */
    expiresAt: Timestamp,
    comment: text(2000).optional(),
  }),
);

export const ApprovalRejected = defineEvent(
  'ApprovalRejected',
  z.object({ planHash: PlanHash, approver: Principal, reason: text(2000) }),
);

/** A granted approval passed its expiry before execution started; the plan needs a new one. */
export const ApprovalExpired = defineEvent(
  'ApprovalExpired',
  z.object({ planHash: PlanHash, expiresAt: Timestamp }),
);
