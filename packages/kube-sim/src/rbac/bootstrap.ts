/**
 * The default RBAC policy a fresh cluster carries, with the semantics of the upstream
 * bootstrap policy: cluster-admin may do anything; admin ⊃ edit ⊃ view are aggregated from
 * the `system:aggregate-to-*` roles (and any user ClusterRole labelled the same way); view
 * reads most namespaced objects but never Secrets; every authenticated user may do
 * discovery, read /version and /healthz, and ask what they may do (self reviews).
 * Nothing here grants impersonation of users or groups.
 */
import type { KObject } from '../api/types.ts';
import type { PolicyRule } from './rules.ts';
import { clusterRoleRules, RBAC_GROUP, type RbacSnapshot } from './snapshot.ts';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = [...READ, ...WRITE];
const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to-';

function rule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups, resources };
}

function meta(name: string, labels: Record<string, string> = {}) {
  return {
    name,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels },
    annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  };
}

function clusterRole(
  name: string,
  rules: PolicyRule[],
  labels: Record<string, string> = {},
): KObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: meta(name, labels),
    rules,
  };
}

function aggregatedRole(
  name: string,
  aggregateFrom: string,
  labels: Record<string, string> = {},
): KObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: meta(name, labels),
    aggregationRule: {
      clusterRoleSelectors: [{ matchLabels: { [`${AGGREGATE}${aggregateFrom}`]: 'true' } }],
    },
    rules: [],
  };
}

function groupBinding(name: string, role: string, groups: string[]): KObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: meta(name),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects: groups.map((g) => ({ apiGroup: RBAC_GROUP, kind: 'Group', name: g })),
  };
}

const viewRules: PolicyRule[] = [
  rule(
    READ,
    [''],
    [
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'configmaps',
    ],
  ),
  rule(
    READ,
    [''],
    [
      'limitranges',
      'resourcequotas',
      'bindings',
      'events',
      'pods/status',
      'resourcequotas/status',
      'namespaces/status',
      'replicationcontrollers/status',
      'pods/log',
    ],
  ),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(
    READ,
    ['apps'],
    [
      'controllerrevisions',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'daemonsets',
      'daemonsets/status',
    ],
  ),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['jobs', 'jobs/status', 'cronjobs', 'cronjobs/status']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['networkpolicies', 'ingresses', 'ingresses/status']),
  rule(READ, ['events.k8s.io'], ['events']),
];

const editRules: PolicyRule[] = [
  // Reading these can escalate (exec into a pod, read a token), so view does not have them.
  rule(
    READ,
    [''],
    ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy'],
  ),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
  rule(['create'], [''], ['pods/eviction']),
  rule(
    WRITE,
    [''],
    [
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/proxy',
      'persistentvolumeclaims',
      'configmaps',
      'secrets',
      'events',
    ],
  ),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(
    WRITE,
    ['apps'],
    [
      'statefulsets',
      'statefulsets/scale',
      'daemonsets',
      'deployments',
      'deployments/scale',
      'deployments/rollback',
      'replicasets',
      'replicasets/scale',
    ],
  ),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['jobs', 'cronjobs']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
  rule(READ_WRITE, ['coordination.k8s.io'], ['leases']),
];

const adminRules: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule(READ_WRITE, [RBAC_GROUP], ['roles', 'rolebindings']),
];

const DISCOVERY_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/openapi',
  '/openapi/*',
  '/readyz',
  '/version',
  '/version/',
];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

/** The default ClusterRoles and ClusterRoleBindings, aggregated roles already filled in. */
export function bootstrapRbacObjects(): KObject[] {
  const roles: KObject[] = [
    clusterRole('cluster-admin', [
      rule(['*'], ['*'], ['*']),
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ]),
    aggregatedRole('admin', 'admin'),
    aggregatedRole('edit', 'edit', { [`${AGGREGATE}admin`]: 'true' }),
    aggregatedRole('view', 'view', { [`${AGGREGATE}edit`]: 'true' }),
    clusterRole('system:aggregate-to-admin', adminRules, { [`${AGGREGATE}admin`]: 'true' }),
    clusterRole('system:aggregate-to-edit', editRules, { [`${AGGREGATE}edit`]: 'true' }),
    clusterRole('system:aggregate-to-view', viewRules, { [`${AGGREGATE}view`]: 'true' }),
    clusterRole('system:discovery', [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }]),
    clusterRole('system:public-info-viewer', [
      { verbs: ['get'], nonResourceURLs: PUBLIC_INFO_URLS },
    ]),
    clusterRole('system:basic-user', [
      rule(
        ['create'],
        ['authorization.k8s.io'],
        ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      ),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
  ];
  fillAggregatedRules(roles);
  return [
    ...roles,
    groupBinding('cluster-admin', 'cluster-admin', ['system:masters']),
    groupBinding('system:discovery', 'system:discovery', ['system:authenticated']),
    groupBinding('system:basic-user', 'system:basic-user', ['system:authenticated']),
    groupBinding('system:public-info-viewer', 'system:public-info-viewer', [
      'system:authenticated',
      'system:unauthenticated',
    ]),
  ];
}

/**
 * Writes the aggregated rules into admin/edit/view, as the aggregation controller would,
 * so `kubectl get clusterrole view -o yaml` shows them. Authorization recomputes them from
 * the live roles anyway, so a later user role labelled aggregate-to-view takes effect.
 */
function fillAggregatedRules(roles: KObject[]): void {
  const snapshot: RbacSnapshot = {
    clusterRoles: new Map(roles.map((r) => [r.metadata.name ?? '', r])),
    roles: new Map(),
    clusterRoleBindings: [],
    roleBindings: new Map(),
    effective: new Map(),
  };
  for (const role of roles) {
    if (role.aggregationRule !== undefined)
      role.rules = clusterRoleRules(snapshot, role.metadata.name ?? '');
  }
}
