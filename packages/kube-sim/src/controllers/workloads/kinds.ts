/**
 * The resource types and system identities the workload controllers use. Controllers write
 * as their kube-controller-manager service accounts, so admission (quota, limit ranges)
 * treats them exactly like the real controllers.
 */
import type { UserInfo } from '../../api/types.ts';
import type { ResourceType } from '../../resources.ts';
import { RESOURCES } from '../../resources.ts';

function type(group: string, version: string, plural: string): ResourceType {
  const found = RESOURCES.find(
    (r) => r.group === group && r.version === version && r.plural === plural,
  );
  if (!found) throw new Error(`kube-sim resource catalog lacks ${plural}.${group}/${version}`);
  return found;
}

export const R = {
  pods: type('', 'v1', 'pods'),
  nodes: type('', 'v1', 'nodes'),
  services: type('', 'v1', 'services'),
  endpoints: type('', 'v1', 'endpoints'),
  pvcs: type('', 'v1', 'persistentvolumeclaims'),
  pvs: type('', 'v1', 'persistentvolumes'),
  quotas: type('', 'v1', 'resourcequotas'),
  limitRanges: type('', 'v1', 'limitranges'),
  deployments: type('apps', 'v1', 'deployments'),
  replicaSets: type('apps', 'v1', 'replicasets'),
  statefulSets: type('apps', 'v1', 'statefulsets'),
  daemonSets: type('apps', 'v1', 'daemonsets'),
  controllerRevisions: type('apps', 'v1', 'controllerrevisions'),
  jobs: type('batch', 'v1', 'jobs'),
  cronJobs: type('batch', 'v1', 'cronjobs'),
  storageClasses: type('storage.k8s.io', 'v1', 'storageclasses'),
  hpas: type('autoscaling', 'v2', 'horizontalpodautoscalers'),
  pdbs: type('policy', 'v1', 'poddisruptionbudgets'),
  endpointSlices: type('discovery.k8s.io', 'v1', 'endpointslices'),
} as const;

/** True when a change notification concerns `type` (any version of the same group/kind). */
export function sameKind(a: Pick<ResourceType, 'group' | 'kind'>, b: ResourceType): boolean {
  return a.group === b.group && a.kind === b.kind;
}

export function controllerUser(name: string): UserInfo {
  return {
    username: `system:serviceaccount:kube-system:${name}`,
    groups: [
      'system:serviceaccounts',
      'system:serviceaccounts:kube-system',
      'system:authenticated',
    ],
  };
}

/** The component name events carry in `source.component` (what `kubectl get events` shows as FROM). */
export const COMPONENT = {
  deployment: 'deployment-controller',
  replicaSet: 'replicaset-controller',
  statefulSet: 'statefulset-controller',
  daemonSet: 'daemonset-controller',
  job: 'job-controller',
  cronJob: 'cronjob-controller',
  endpoints: 'endpoint-controller',
  endpointSlice: 'endpointslice-controller',
  pv: 'persistentvolume-controller',
  expand: 'volume_expand',
  quota: 'resourcequota-controller',
  hpa: 'horizontal-pod-autoscaler',
  pdb: 'disruption-controller',
} as const;
