/** Builders for RBAC objects used by the RBAC unit tests. */
import type { KObject, UserInfo } from '../../src/api/types.ts';
import { authenticatedUser, createAuthorizer, type RequestAttributes } from '../../src/rbac/mod.ts';
import type { MemoryApi } from './memory-api.ts';

export const RBAC = 'rbac.authorization.k8s.io/v1';

export function role(namespace: string, name: string, rules: unknown[]): KObject {
  return { apiVersion: RBAC, kind: 'Role', metadata: { namespace, name }, rules };
}
export function clusterRole(
  name: string,
  rules: unknown[],
  labels?: Record<string, string>,
): KObject {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name, ...(labels ? { labels } : {}) },
    rules,
  };
}
export function roleBinding(
  namespace: string,
  name: string,
  roleRef: { kind: string; name: string },
  subjects: unknown[],
): KObject {
  return {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { namespace, name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  };
}
export function clusterRoleBinding(name: string, roleName: string, subjects: unknown[]): KObject {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects,
  };
}
export const user = (name: string): UserInfo => authenticatedUser(name);
export const bob = user('bob');
export const can = (api: MemoryApi, who: UserInfo, attrs: RequestAttributes) =>
  createAuthorizer(api).authorize(who, attrs).allowed;
