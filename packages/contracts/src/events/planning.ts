import { z } from 'zod';
import { defineEvent } from '../registry.ts';
import { Plan, PlanHash, planHash } from '../plan.ts';
import { StepIndex, text } from './common.ts';

/** Events about plans: proposed, refused by policy, invalidated, rolled back. */

/**
 * A plan together with its hash. The hash is checked against the plan on every read, so an
 * event whose plan and hash disagree can never be approved or executed.
 */
const HashedPlan = z.object({ plan: Plan, planHash: PlanHash });
function hashMatches(value: { plan: Plan; planHash: string }, ctx: z.RefinementCtx): void {
  const actual = planHash(value.plan);
  if (actual !== value.planHash) {
    ctx.addIssue({
      code: 'custom',
      path: ['planHash'],
      message: `planHash ${value.planHash} does not match the plan (its hash is ${actual})`,
    });
  }
}

export const PlanProposed = defineEvent('PlanProposed', HashedPlan.superRefine(hashMatches));

const Violations = z
  .array(
    z.object({
      rule: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{1,63}$/),
      message: text(1000),
      stepIndex: StepIndex.optional(),
    }),
  )
  .min(1)
  .max(50);

const PlanRejectedByPolicyV1 = z.object({
  planHash: PlanHash,
  /** Each rule the plan broke (team ownership, RBAC, action allow-list, ...). */
  violations: Violations,
});

/**
 * v2: the planner's policy refuses a plan before it is proposed, so the refused plan
 * travels in the event (no approver ever saw it; the audit trail must show what was
 * refused). `plan` is absent when the policy refused the current, already proposed plan
 * (`planHash` names it, as in v1), and when steps were refused before they could be planned
 * (a namespace the requester's teams do not own is not even dry-run): then both are absent
 * and the violations name the steps.
 */
export const PlanRejectedByPolicy = defineEvent(
  'PlanRejectedByPolicy',
  z
    .object({ planHash: PlanHash.optional(), plan: Plan.optional(), violations: Violations })
    .superRefine((value, ctx) => {
      if (value.plan === undefined) return;
      if (value.planHash === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['planHash'],
          message: 'a refused plan needs its planHash',
        });
      } else hashMatches({ plan: value.plan, planHash: value.planHash }, ctx);
    }),
  {
    schemas: { 1: PlanRejectedByPolicyV1 },
    // v1 always refused the current plan, named by its hash: the same shape, still valid.
    upcasters: { 1: (payload) => payload },
  },
);

const ResourceVersion = z.string().min(1).max(64);

const PlanInvalidatedV1 = z.object({
  stepIndex: StepIndex,
  stepId: z.string().min(1).max(63),
  reason: text(1000),
  expectedResourceVersion: ResourceVersion,
  /** null when the target no longer exists. */
  actualResourceVersion: ResourceVersion.nullable(),
});

/**
 * The executor found the step's guard broken before writing anything: a guarded path of the
 * target (its generation or desired state, or a value the step changes) no longer holds its
 * planned value, or the target is gone. Nothing of the plan is applied from here on.
 * v2 names the path that moved: a resourceVersion difference alone says nothing (status
 * writes change it all the time and never invalidate a plan).
 */
export const PlanInvalidated = defineEvent(
  'PlanInvalidated',
  PlanInvalidatedV1.extend({
    /** The planned resourceVersion, recorded for the audit trail. */
    expectedResourceVersion: ResourceVersion,
    /**
     * The guarded JSON pointer whose live value differs from the planned one (e.g.
     * "/metadata/generation", "/spec", "/metadata/uid" for a replaced object); null when the
     * target no longer exists, or in an event written before v2.
     */
    changedPath: z.string().min(1).max(512).nullable(),
  }),
  {
    schemas: { 1: PlanInvalidatedV1 },
    // v1 did not record which guard failed; null says "not recorded", never a guess.
    upcasters: { 1: (payload) => ({ ...(payload as object), changedPath: null }) },
  },
);

/** A plan undoing what was applied; it needs its own approval like any plan. */
export const RollbackProposed = defineEvent(
  'RollbackProposed',
  HashedPlan.extend({
    reason: text(2000),
    /** The plan being rolled back. */
    rollsBack: PlanHash,
  }).superRefine(hashMatches),
);
