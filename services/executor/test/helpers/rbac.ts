/**
 * The identities of a test cluster, as a platform team would set them up: the executor may
 * write workloads and ask SubjectAccessReviews; the planner may dry-run (the verifier plans
 * rollbacks with it); the verifier only reads (no Secrets) and
 * may use the service proxy; bob and carol (team shop-team) may change what lives in their
 * namespace; alice only requests.
 */
export const USERS = [
  { token: 'tok-executor', username: 'opsloop-executor', groups: ['opsloop'] },
  { token: 'tok-verifier', username: 'opsloop-verifier', groups: ['opsloop'] },
  { token: 'tok-planner', username: 'opsloop-planner', groups: ['opsloop'] },
  { token: 'tok-alice', username: 'alice', groups: ['shop-team'] },
  { token: 'tok-bob', username: 'bob', groups: ['shop-team'] },
  { token: 'tok-carol', username: 'carol', groups: ['shop-team'] },
];

const GROUPS = "['', apps, batch, networking.k8s.io, policy, autoscaling, discovery.k8s.io]";

export function rbacYaml(namespaces: string[]): string {
  const approverBindings = namespaces.flatMap((ns) =>
    ['bob', 'carol'].map(
      (user) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: deployer-${user}, namespace: ${ns} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: shop-deployer }
subjects: [{ kind: User, name: ${user}, apiGroup: rbac.authorization.k8s.io }]`,
    ),
  );
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: opsloop-executor }
rules:
  - apiGroups: ${GROUPS}
    resources: ['*']
    verbs: [get, list, watch, patch, create, delete]
  - apiGroups: [authorization.k8s.io]
    resources: [subjectaccessreviews]
    verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: opsloop-executor }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: opsloop-executor }
subjects: [{ kind: User, name: opsloop-executor, apiGroup: rbac.authorization.k8s.io }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: opsloop-planner }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: opsloop-executor }
subjects: [{ kind: User, name: opsloop-planner, apiGroup: rbac.authorization.k8s.io }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: opsloop-verifier }
rules:
  - apiGroups: ${GROUPS}
    resources: [pods, pods/log, services, endpoints, events, persistentvolumeclaims, resourcequotas,
      limitranges, nodes, namespaces, configmaps, serviceaccounts, deployments, replicasets, statefulsets,
      daemonsets, jobs, cronjobs, horizontalpodautoscalers, networkpolicies, poddisruptionbudgets,
      endpointslices, ingresses]
    verbs: [get, list, watch]
  - apiGroups: ['']
    resources: [services/proxy]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: opsloop-verifier }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: opsloop-verifier }
subjects: [{ kind: User, name: opsloop-verifier, apiGroup: rbac.authorization.k8s.io }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: shop-deployer }
rules:
  - apiGroups: ['', apps, networking.k8s.io, batch]
    resources: [deployments, statefulsets, daemonsets, services, networkpolicies, replicasets, pods,
      configmaps, jobs, cronjobs]
    verbs: [get, list, patch]
${approverBindings.join('\n')}
`;
}
