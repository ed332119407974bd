import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

export const SERVICES = ['planner', 'executor', 'verifier', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** A Kubernetes identity of the embedded cluster: a token user and its kubeconfig name. */
export interface ClusterIdentity {
  name: string;
  username: string;
  groups: string[];
  token: string;
}

export interface Team {
  name: string;
  namespaces: string[];
}

/** The demo cluster's teams: who owns which namespace (the gateway's users file says the same). */
export const DEMO_TEAMS: Team[] = [
  { name: 'payments', namespaces: ['payments'] },
  { name: 'shop', namespaces: ['shop', 'backend', 'catalog'] },
];

/**
 * The RBAC manifests of deploy/base (the opsloop namespace, one ServiceAccount per service,
 * their cluster-wide rules), loaded into kube-sim too: the embedded default runs with
 * exactly the rights a real installation has.
 */
export function rbacFiles(repoRoot: string): string[] {
  const dir = join(repoRoot, 'deploy', 'base', 'rbac');
  if (!existsSync(dir)) throw new Error(`${dir} is missing: the services' RBAC comes from deploy/`);
  return [
    join(repoRoot, 'deploy', 'base', 'namespace.yaml'),
    ...readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f)),
  ];
}

/**
 * deploy/managed-namespace: the rights Opsloop's services get inside each namespace it
 * manages (RBAC cannot say "all but kube-system", so they are granted one by one), as YAML
 * with the namespace set, as kustomize would.
 */
export function managedNamespaceRbac(repoRoot: string, namespaces: string[]): string {
  const file = join(repoRoot, 'deploy', 'managed-namespace', 'bindings.yaml');
  const docs = parseAllDocuments(readFileSync(file, 'utf8')).map(
    (d) => d.toJS() as { metadata?: Record<string, unknown> } & Record<string, unknown>,
  );
  return namespaces
    .flatMap((namespace) =>
      docs.map((doc) => stringify({ ...doc, metadata: { ...doc.metadata, namespace } })),
    )
    .join('---\n');
}

/**
 * Each service reaches the cluster as the ServiceAccount deploy/ gives it, so the embedded
 * default runs with exactly the least privilege a real installation has.
 */
export function serviceIdentities(files: string[]): ClusterIdentity[] {
  const accounts: { namespace: string; name: string }[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const o = doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } };
      if (o?.kind === 'ServiceAccount' && o.metadata?.name) {
        accounts.push({ namespace: o.metadata.namespace ?? 'opsloop', name: o.metadata.name });
      }
    }
  }
  return SERVICES.map((service) => {
    const account = accounts.find((a) => a.name === service || a.name === `opsloop-${service}`);
    if (!account) {
      throw new Error(
        `deploy/base/rbac has no ServiceAccount for the ${service} (expected "${service}" or "opsloop-${service}")`,
      );
    }
    return {
      name: service,
      username: `system:serviceaccount:${account.namespace}:${account.name}`,
      groups: [],
      token: randomBytes(24).toString('hex'),
    };
  });
}

/**
 * People's Kubernetes rights in the embedded cluster: each team's group may edit its own
 * namespaces. The gateway and executor check an approver's rights with SubjectAccessReview
 * against exactly these bindings.
 */
export function teamRbacYaml(teams: Team[], groupOf: (team: string) => string): string {
  return teams
    .flatMap((team) =>
      team.namespaces.map((namespace) =>
        [
          'apiVersion: rbac.authorization.k8s.io/v1',
          'kind: RoleBinding',
          `metadata: { name: opsloop-team-${team.name}-edit, namespace: ${namespace} }`,
          'roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit }',
          'subjects:',
          `  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: '${groupOf(team.name)}' }`,
        ].join('\n'),
      ),
    )
    .join('\n---\n');
}
