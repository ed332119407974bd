import type { Cluster } from '../cluster.ts';
import { KubeApiError } from '../errors.ts';
import type { KubeObject } from '../types.ts';

/** One request the API server refused a ServiceAccount, as its client logged the refusal. */
export interface Denial {
  /** The ServiceAccount's namespace and name, from `system:serviceaccount:<ns>:<name>`. */
  account: { namespace: string; name: string };
  verb: string;
  /** Plural resource, with its subresource when there is one (`pods/log`). */
  resource: string;
  /** API group ('' is the core group). */
  group: string;
  /** The namespace of the refused request; null for a cluster-scoped request. */
  namespace: string | null;
  /** The log line that says so, for the evidence. */
  line: string;
}

/**
 * The API server's refusal as every client quotes it (client-go, the Python and Java
 * clients, kubectl): `User "system:serviceaccount:ops:x" cannot list resource "pods" in
 * API group "" in the namespace "ops"` (or `at the cluster scope`). Quotes may be escaped
 * when the message sits inside a JSON or logfmt field. Only ServiceAccounts are taken: a
 * pod runs as one, and its RBAC is what can be read and changed.
 */
const REFUSAL = new RegExp(
  String.raw`User \\?"system:serviceaccount:([a-z0-9.-]+):([a-z0-9.-]+)\\?" cannot ([a-z]+) resource \\?"([a-z0-9.-]+(?:/[a-z0-9.-]+)?)\\?"` +
    String.raw`(?: in API group \\?"([a-z0-9.-]*)\\?")?(?: in the namespace \\?"([a-z0-9.-]+)\\?"| (at the cluster scope))?`,
  'g',
);

/** Every distinct refusal in a log text (same account, verb, resource, group, namespace once). */
export function parseDenials(log: string): Denial[] {
  const out = new Map<string, Denial>();
  for (const line of log.split('\n')) {
    for (const m of line.matchAll(REFUSAL)) {
      const d: Denial = {
        account: { namespace: m[1]!, name: m[2]! },
        verb: m[3]!,
        resource: m[4]!,
        group: m[5] ?? '',
        namespace: m[7] ? null : (m[6] ?? m[1]!),
        line: line.trim(),
      };
      const key = `${d.account.namespace}/${d.account.name} ${d.verb} ${d.group}/${d.resource} ${d.namespace ?? '*'}`;
      if (!out.has(key)) out.set(key, d);
    }
  }
  return [...out.values()];
}

/** The namespace's RBAC, read only when a log line says a ServiceAccount of it was refused. */
export interface RbacData {
  roles: KubeObject[];
  roleBindings: KubeObject[];
  /** ClusterRoles that the namespace's RoleBindings reference (fetched by name, a few). */
  clusterRoles: KubeObject[];
}

export const NO_RBAC: RbacData = { roles: [], roleBindings: [], clusterRoles: [] };

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const MAX_CLUSTER_ROLES = 5;

/**
 * Roles and RoleBindings of the namespace (two bounded lists) and the ClusterRoles its
 * bindings reference (by name, at most five), only when the crash logs quote a refusal of
 * one of its ServiceAccounts; nothing otherwise. ClusterRoleBindings are not read: listing
 * them is cluster-wide. A 403 is recorded as unreadable, never passed off as "no Role".
 */
export async function loadRbac(
  cluster: Cluster,
  namespace: string,
  logs: Record<string, string>,
  unreadable: { resource: string; reason: 'forbidden' }[],
): Promise<RbacData> {
  const denied = Object.values(logs)
    .flatMap(parseDenials)
    .some((d) => d.account.namespace === namespace);
  if (!denied) return NO_RBAC;
  const list = async (plural: string): Promise<KubeObject[]> => {
    try {
      const res = await cluster.request<{ items: KubeObject[] }>(
        'GET',
        `${RBAC}/namespaces/${namespace}/${plural}`,
        { query: { limit: 100 } },
      );
      return res.items;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 403) {
        unreadable.push({ resource: plural, reason: 'forbidden' });
        return [];
      }
      if (error instanceof KubeApiError && error.status === 404) return [];
      throw error;
    }
  };
  const [roles, roleBindings] = await Promise.all([list('roles'), list('rolebindings')]);
  const names = [
    ...new Set(
      roleBindings
        .filter((b) => b.roleRef?.kind === 'ClusterRole')
        .map((b) => String(b.roleRef.name)),
    ),
  ].slice(0, MAX_CLUSTER_ROLES);
  const clusterRoles = (
    await Promise.all(
      names.map((name) =>
        cluster
          .request<KubeObject>('GET', `${RBAC}/clusterroles/${encodeURIComponent(name)}`)
          .catch((error: unknown) => {
            if (error instanceof KubeApiError && (error.status === 404 || error.status === 403))
              return null;
            throw error;
          }),
      ),
    )
  ).filter((r): r is KubeObject => r !== null);
  return { roles, roleBindings, clusterRoles };
}
