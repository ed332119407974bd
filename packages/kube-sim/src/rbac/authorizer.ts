/**
 * The authorizer of kube-sim: the privileged-group check of kube-apiserver (members of
 * system:masters may do anything) followed by RBAC over the stored Roles, ClusterRoles and
 * their bindings. RBAC never denies; it allows or has no opinion, which the API server
 * answers as 403.
 */
import type { ClusterApi, KObject, UserInfo } from '../api/types.ts';
import { ruleAllows, rulesOf, type PolicyRule, type RequestAttributes } from './rules.ts';
import {
  clusterRoleRules,
  loadSnapshot,
  RBAC_GROUP,
  type RbacSnapshot,
  type RoleRef,
  type Subject,
} from './snapshot.ts';

export const SYSTEM_MASTERS = 'system:masters';

export interface Decision {
  allowed: boolean;
  /** "RBAC: allowed by …" when allowed; on a denial, empty or "RBAC: <broken references>". */
  reason: string;
}

/** One binding that applies to the user, with the rules its role grants. */
export interface Grant {
  /** How Kubernetes describes the binding in an allow reason. */
  description: string;
  rules: PolicyRule[];
}

export interface Authorizer {
  authorize(user: UserInfo, attrs: RequestAttributes): Decision;
  /** Every rule that applies to the user in `namespace` ('' = cluster-wide only), plus broken references. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] };
  /** Stops listening for RBAC changes. */
  close(): void;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

function subjectApplies(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns =
        subject.namespace !== undefined && subject.namespace !== ''
          ? subject.namespace
          : bindingNamespace;
      return serviceAccountUsername(ns, subject.name) === user.username;
    }
    default:
      return false;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') {
    const ns =
      subject.namespace !== undefined && subject.namespace !== ''
        ? subject.namespace
        : bindingNamespace;
    return `${subject.kind} "${subject.name}/${ns}"`;
  }
  return `${subject.kind} "${subject.name}"`;
}

function notFoundMessage(ref: RoleRef): string {
  return `${ref.kind.toLowerCase()}.${RBAC_GROUP} "${ref.name}" not found`;
}

function roleRefRules(
  snapshot: RbacSnapshot,
  ref: RoleRef,
  namespace: string,
): PolicyRule[] | undefined {
  if (ref.kind === 'ClusterRole') return clusterRoleRules(snapshot, ref.name);
  if (ref.kind === 'Role') {
    const role = snapshot.roles.get(`${namespace}/${ref.name}`);
    return role === undefined ? undefined : rulesOf(role);
  }
  return undefined;
}

/**
 * Calls `visit` for each grant in the order Kubernetes walks them (ClusterRoleBindings, then
 * the RoleBindings of `namespace`) until it returns true. Returns the broken role refs seen.
 */
function visitGrants(
  snapshot: RbacSnapshot,
  user: UserInfo,
  namespace: string,
  visit: (grant: Grant) => boolean,
): string[] {
  const errors: string[] = [];
  const walk = (binding: KObject, bindingNamespace: string, bindingLabel: string): boolean => {
    const ref = binding.roleRef as RoleRef | undefined;
    const subjects = (binding.subjects as Subject[] | undefined) ?? [];
    const subject = subjects.find((s) => subjectApplies(s, user, bindingNamespace));
    if (ref === undefined || subject === undefined) return false;
    const rules = roleRefRules(snapshot, ref, bindingNamespace);
    if (rules === undefined) {
      errors.push(notFoundMessage(ref));
      return false;
    }
    const description = `${bindingLabel} of ${ref.kind} "${ref.name}" to ${describeSubject(subject, bindingNamespace)}`;
    return visit({ description, rules });
  };
  for (const binding of snapshot.clusterRoleBindings) {
    if (walk(binding, '', `ClusterRoleBinding "${binding.metadata.name ?? ''}"`)) return errors;
  }
  if (namespace !== '') {
    for (const binding of snapshot.roleBindings.get(namespace) ?? []) {
      if (walk(binding, namespace, `RoleBinding "${binding.metadata.name ?? ''}/${namespace}"`))
        return errors;
    }
  }
  return errors;
}

function isRbacChange(group: string): boolean {
  return group === RBAC_GROUP;
}

export function createAuthorizer(api: ClusterApi): Authorizer {
  let snapshot: RbacSnapshot | undefined;
  const stop = api.onChange((_event, resource) => {
    if (isRbacChange(resource.group)) snapshot = undefined;
  });
  const current = (): RbacSnapshot => (snapshot ??= loadSnapshot(api));

  return {
    authorize(user, attrs) {
      if (user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
      let reason = '';
      const errors = visitGrants(current(), user, attrs.namespace ?? '', (grant) => {
        if (!grant.rules.some((rule) => ruleAllows(rule, attrs))) return false;
        reason = `RBAC: allowed by ${grant.description}`;
        return true;
      });
      if (reason !== '') return { allowed: true, reason };
      return {
        allowed: false,
        reason: errors.length === 0 ? '' : `RBAC: ${aggregateErrors(errors)}`,
      };
    },
    rulesFor(user, namespace) {
      const rules: PolicyRule[] = [];
      if (user.groups.includes(SYSTEM_MASTERS)) {
        rules.push(
          { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
          { verbs: ['*'], nonResourceURLs: ['*'] },
        );
      }
      const errors = visitGrants(current(), user, namespace, (grant) => {
        rules.push(...grant.rules);
        return false;
      });
      return { rules, errors };
    },
    close: stop,
  };
}

/** utilerrors.NewAggregate formatting: one error alone, several in brackets. */
export function aggregateErrors(errors: string[]): string {
  return errors.length === 1 ? (errors[0] ?? '') : `[${errors.join(', ')}]`;
}
