/**
 * The authorization.k8s.io/v1 reviews, answered from the same authorizer that guards every
 * request: SubjectAccessReview (any user, for callers allowed to create it),
 * SelfSubjectAccessReview (the requester) and SelfSubjectRulesReview (what the requester
 * may do in a namespace; `kubectl auth can-i --list` prints it).
 */
import { invalid } from '../api/errors.ts';
import type { KObject, UserInfo } from '../api/types.ts';
import { findKind } from '../resources.ts';
import { aggregateErrors, type Authorizer } from './authorizer.ts';
import type { PolicyRule, RequestAttributes } from './rules.ts';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
  namespace?: string;
}

function specOf(review: KObject): AccessReviewSpec {
  return (review.spec as AccessReviewSpec | undefined) ?? {};
}

function reject(review: KObject, field: string, message: string): never {
  const resource = findKind(review.apiVersion, review.kind);
  if (resource === undefined)
    throw new Error(`not an access review: ${review.apiVersion} ${review.kind}`);
  throw invalid(resource, `${review.kind}.authorization.k8s.io`, review.metadata.name ?? '', [
    { reason: 'FieldValueInvalid', field, message },
  ]);
}

function attributesOf(review: KObject, spec: AccessReviewSpec): RequestAttributes {
  const res = spec.resourceAttributes;
  const nonRes = spec.nonResourceAttributes;
  if ((res === undefined) === (nonRes === undefined)) {
    reject(
      review,
      'spec.resourceAttributes',
      'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }
  if (nonRes !== undefined) return { verb: nonRes.verb ?? '', nonResourcePath: nonRes.path ?? '' };
  const r = res ?? {};
  const attrs: RequestAttributes = {
    verb: r.verb ?? '',
    apiGroup: r.group ?? '',
    resource: r.resource ?? '',
  };
  if (r.subresource) attrs.subresource = r.subresource;
  if (r.namespace) attrs.namespace = r.namespace;
  if (r.name) attrs.name = r.name;
  return attrs;
}

function answer(review: KObject, status: Record<string, unknown>): KObject {
  return {
    apiVersion: review.apiVersion,
    kind: review.kind,
    metadata: { ...review.metadata, creationTimestamp: null as unknown as string },
    spec: review.spec ?? {},
    status,
  };
}

function accessStatus(authorizer: Authorizer, user: UserInfo, attrs: RequestAttributes) {
  const decision = authorizer.authorize(user, attrs);
  return decision.reason === ''
    ? { allowed: decision.allowed }
    : { allowed: decision.allowed, reason: decision.reason };
}

function splitRules(rules: PolicyRule[]) {
  const resourceRules: Record<string, unknown>[] = [];
  const nonResourceRules: Record<string, unknown>[] = [];
  for (const rule of rules) {
    if ((rule.nonResourceURLs ?? []).length > 0) {
      nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    }
    if ((rule.resources ?? []).length > 0) {
      const out: Record<string, unknown> = {
        verbs: rule.verbs,
        apiGroups: rule.apiGroups ?? [],
        resources: rule.resources,
      };
      if ((rule.resourceNames ?? []).length > 0) out.resourceNames = rule.resourceNames;
      resourceRules.push(out);
    }
  }
  return { resourceRules, nonResourceRules };
}

/** Answers one review object; throws a 422 ApiError for a malformed spec, like the real server. */
export function answerReview(
  authorizer: Authorizer,
  review: KObject,
  requester: UserInfo,
): KObject {
  const spec = specOf(review);
  switch (review.kind) {
    case 'SubjectAccessReview': {
      const groups = spec.groups ?? [];
      if ((spec.user ?? '') === '' && groups.length === 0) {
        reject(
          review,
          'spec.user',
          'Invalid value: "": at least one of user or group must be specified',
        );
      }
      const user: UserInfo = { username: spec.user ?? '', groups };
      if (spec.uid !== undefined) user.uid = spec.uid;
      if (spec.extra !== undefined) user.extra = spec.extra;
      return answer(review, accessStatus(authorizer, user, attributesOf(review, spec)));
    }
    case 'SelfSubjectAccessReview':
      return answer(review, accessStatus(authorizer, requester, attributesOf(review, spec)));
    case 'SelfSubjectRulesReview': {
      const { rules, errors } = authorizer.rulesFor(requester, spec.namespace ?? '');
      const status: Record<string, unknown> = { ...splitRules(rules), incomplete: false };
      if (errors.length > 0) status.evaluationError = aggregateErrors(errors);
      return answer(review, status);
    }
    default:
      throw new Error(`not an access review kind: ${review.kind}`);
  }
}
