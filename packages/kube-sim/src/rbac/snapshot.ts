/**
 * An indexed copy of the stored RBAC objects. Authorization runs on every request, so the
 * authorizer rebuilds this only after an RBAC object changed (it listens on
 * ClusterApi.onChange), never per request.
 */
import type { ClusterApi, KObject } from '../api/types.ts';
import { RESOURCES, type ResourceType } from '../resources.ts';
import { rulesOf, type PolicyRule } from './rules.ts';
import { selectorMatches, type LabelSelector } from './selector.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function rbacResource(kind: string): ResourceType {
  const found = RESOURCES.find((r) => r.group === RBAC_GROUP && r.kind === kind);
  if (found === undefined) throw new Error(`resource catalog lacks ${kind}.${RBAC_GROUP}`);
  return found;
}

export interface RoleRef {
  kind: 'Role' | 'ClusterRole' | string;
  name: string;
  apiGroup?: string;
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount' | string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RbacSnapshot {
  clusterRoles: Map<string, KObject>;
  roles: Map<string, KObject>;
  clusterRoleBindings: KObject[];
  roleBindings: Map<string, KObject[]>;
  /** Effective rules of each ClusterRole after aggregation, filled lazily. */
  effective: Map<string, PolicyRule[]>;
}

export function loadSnapshot(api: ClusterApi): RbacSnapshot {
  const clusterRoles = new Map<string, KObject>();
  for (const role of api.list(rbacResource('ClusterRole'), undefined)) {
    clusterRoles.set(role.metadata.name ?? '', role);
  }
  const roles = new Map<string, KObject>();
  for (const role of api.list(rbacResource('Role'), undefined)) {
    roles.set(`${role.metadata.namespace ?? ''}/${role.metadata.name ?? ''}`, role);
  }
  const roleBindings = new Map<string, KObject[]>();
  for (const binding of api.list(rbacResource('RoleBinding'), undefined)) {
    const ns = binding.metadata.namespace ?? '';
    const list = roleBindings.get(ns) ?? [];
    list.push(binding);
    roleBindings.set(ns, list);
  }
  return {
    clusterRoles,
    roles,
    clusterRoleBindings: api.list(rbacResource('ClusterRoleBinding'), undefined),
    roleBindings,
    effective: new Map(),
  };
}

function aggregationSelectors(role: KObject): LabelSelector[] | undefined {
  const rule = role.aggregationRule as { clusterRoleSelectors?: LabelSelector[] } | undefined;
  return rule?.clusterRoleSelectors;
}

/**
 * A ClusterRole with an aggregationRule has exactly the union of the rules of every other
 * ClusterRole its selectors match (its own `rules` are what the aggregation controller
 * last wrote, so they are ignored here). Aggregated roles may match other aggregated roles
 * (edit matches view); `visiting` breaks selector cycles.
 */
export function clusterRoleRules(
  snapshot: RbacSnapshot,
  name: string,
  visiting: Set<string> = new Set(),
): PolicyRule[] | undefined {
  const cached = snapshot.effective.get(name);
  if (cached !== undefined) return cached;
  const role = snapshot.clusterRoles.get(name);
  if (role === undefined) return undefined;
  const selectors = aggregationSelectors(role);
  if (selectors === undefined) {
    const rules = rulesOf(role);
    snapshot.effective.set(name, rules);
    return rules;
  }
  visiting.add(name);
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  const sortedNames = [...snapshot.clusterRoles.keys()].sort();
  for (const other of sortedNames) {
    if (other === name || visiting.has(other)) continue;
    const candidate = snapshot.clusterRoles.get(other);
    const labels = candidate?.metadata.labels ?? {};
    if (!selectors.some((s) => selectorMatches(s, labels))) continue;
    for (const rule of clusterRoleRules(snapshot, other, visiting) ?? []) {
      const key = JSON.stringify(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      rules.push(rule);
    }
  }
  visiting.delete(name);
  // Only cache the top-level answer: a nested one computed with a cycle guard may be partial.
  if (visiting.size === 0) snapshot.effective.set(name, rules);
  return rules;
}
