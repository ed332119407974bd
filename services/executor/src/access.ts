import type { Step } from '@opsloop/contracts';
import { reviewStepAccess, type Cluster } from '@opsloop/kube-tools';

export interface KubernetesIdentity {
  user: string;
  groups: string[];
}

export interface AccessVerdict {
  allowed: boolean;
  /** What was denied and why (the authorizer's reason), for StepFailed. */
  message: string;
}

/**
 * Whether Kubernetes RBAC lets the approver make every request the step makes, asked now
 * (not when the plan was approved) with one SubjectAccessReview per request. The executor's
 * own identity only needs `create subjectaccessreviews` for this.
 */
export async function reviewApproverAccess(
  cluster: Cluster,
  who: KubernetesIdentity,
  step: Step,
): Promise<AccessVerdict> {
  const review = await reviewStepAccess(cluster, who, step);
  if (review.allowed) return { allowed: true, message: 'allowed' };
  const denied = review.denied
    .map(
      (d) =>
        `${d.verb} ${d.resource}${d.group ? `.${d.group}` : ''}${d.name ? ` ${d.name}` : ''}` +
        `${d.namespace ? ` in namespace ${d.namespace}` : ''} (${d.reason || 'no RBAC rule allows it'})`,
    )
    .join('; ');
  return {
    allowed: false,
    message:
      `Kubernetes RBAC does not allow the approver ${who.user} to ${denied}; nothing was written`.slice(
        0,
        2000,
      ),
  };
}
