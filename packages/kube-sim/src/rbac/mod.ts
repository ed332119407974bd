/**
 * RBAC for kube-sim: who may do what, decided from the stored RBAC objects exactly as
 * kube-apiserver decides it, the default bootstrap policy, the 403 wording, and the
 * authorization.k8s.io reviews.
 */
import type { ClusterApi, KObject, UserInfo } from '../api/types.ts';
import { createAuthorizer, type Authorizer } from './authorizer.ts';
import { answerReview } from './review.ts';

export {
  createAuthorizer,
  serviceAccountUsername,
  SYSTEM_MASTERS,
  type Authorizer,
  type Decision,
} from './authorizer.ts';
export { bootstrapRbacObjects } from './bootstrap.ts';
export { forbiddenDetails, forbiddenMessage } from './messages.ts';
export { answerReview } from './review.ts';
export type { PolicyRule, RequestAttributes } from './rules.ts';
export { authenticatedUser } from './users.ts';

/**
 * Answers a SubjectAccessReview, SelfSubjectAccessReview or SelfSubjectRulesReview. Pass the
 * server's long-lived authorizer when there is one; otherwise a temporary one is used.
 */
export function reviewAccess(
  api: ClusterApi,
  review: KObject,
  requester: UserInfo,
  authorizer?: Authorizer,
): KObject {
  if (authorizer !== undefined) return answerReview(authorizer, review, requester);
  const temporary = createAuthorizer(api);
  try {
    return answerReview(temporary, review, requester);
  } finally {
    temporary.close();
  }
}
