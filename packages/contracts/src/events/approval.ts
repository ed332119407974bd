import { z } from 'zod';
import { defineEvent } from '../registry.ts';
import { PlanHash } from '../plan.ts';
import { Principal, Timestamp, text } from './common.ts';

/** Human decisions on a plan. Each names the planHash the approver was shown. */

const ApprovalGrantedV1 = z.object({
  planHash: PlanHash,
  approver: Principal,
  /** Execution must start before this instant; afterwards the approval is void. */
  expiresAt: Timestamp,
  comment: text(2000).optional(),
});

/**
 * One approver's approval of a plan. v2 records how many distinct approvers the plan needs
 * (fixed by the gateway from the plan's highest step risk): the plan is approved only once
 * that many distinct approvers granted it. A new version, not just a new optional field, so
 * that a reader built before multi-approver plans refuses a v2 event (unknown version)
 * instead of taking the first of two required approvals for a full one. Absent means 1.
 */
export const ApprovalGranted = defineEvent(
  'ApprovalGranted',
  ApprovalGrantedV1.extend({
    required: z.number().int().min(1).max(10).optional(),
    /**
     * The approver's Kubernetes identity as the gateway resolved it, so the executor can
     * check every step with a SubjectAccessReview for the person who approved it. Absent:
     * the executor takes `approver` as the Kubernetes user with no groups (never more
     * access than that user has).
     */
    kubernetesIdentity: z
      .object({
        user: z.string().min(1).max(256),
        groups: z.array(z.string().min(1).max(256)).max(100),
      })
      .optional(),
  }),
  {
    schemas: { 1: ApprovalGrantedV1 },
    // Every v1 approval was a single approver's complete approval.
    upcasters: { 1: (payload) => ({ ...(payload as object), required: 1 }) },
  },
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
