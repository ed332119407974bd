import type { Step } from '@opsloop/contracts';
import { OpsError } from '@opsloop/contracts';
import {
  ClusterUnreachableError,
  KubeApiError,
  reviewStepAccess,
  type AccessDenial,
  type Cluster,
} from '@opsloop/kube-tools';

export interface KubeSubject {
  user: string;
  groups: string[];
}

/** Whether the subject may do every step of a plan; on no, the first step refused and why. */
export type StepAccessReview =
  | { allowed: true }
  | {
      allowed: false;
      stepIndex: number;
      stepId: string;
      /** The missing permission; null when the step's permissions cannot be derived at all. */
      denied: AccessDenial | null;
      reason: string;
    };

/**
 * kube-tools' reviewStepAccess (one SubjectAccessReview per request the step makes, asked by
 * the gateway's own identity on behalf of the approver) over every step of a plan. A step
 * whose requests cannot be derived (unknown action, bad args) is refused, never skipped.
 */
export async function reviewPlanAccess(
  cluster: Cluster,
  subject: KubeSubject,
  steps: readonly Step[],
): Promise<StepAccessReview> {
  for (const [stepIndex, step] of steps.entries()) {
    let review;
    try {
      review = await reviewStepAccess(cluster, subject, step);
    } catch (error) {
      // The API server failing is not a denial: the caller answers 503 and the approver retries.
      if (error instanceof ClusterUnreachableError || error instanceof KubeApiError) throw error;
      if (!(error instanceof OpsError)) throw error;
      return { allowed: false, stepIndex, stepId: step.id, denied: null, reason: error.message };
    }
    const denied = review.denied[0];
    if (!review.allowed && denied !== undefined) {
      return { allowed: false, stepIndex, stepId: step.id, denied, reason: denied.reason };
    }
  }
  return { allowed: true };
}

/** "patch apps/deployments shop/checkout" — how a refusal names the missing permission. */
export function describeDenial(d: AccessDenial): string {
  const resource = `${d.group === '' ? '' : `${d.group}/`}${d.resource}`;
  const object = `${d.namespace === null ? '' : `${d.namespace}/`}${d.name ?? '*'}`;
  return `${d.verb} ${resource} ${object}`;
}
