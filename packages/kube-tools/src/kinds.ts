/**
 * The kinds kube-tools reads or writes, with their REST paths. A fixed table instead of
 * discovery: one less round trip per call, and no way to reach a kind outside it.
 */
export interface KindInfo {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const TABLE: KindInfo[] = [
  ['v1', 'Pod', 'pods', true],
  ['v1', 'Service', 'services', true],
  ['v1', 'Endpoints', 'endpoints', true],
  ['v1', 'Event', 'events', true],
  ['v1', 'ConfigMap', 'configmaps', true],
  ['v1', 'Secret', 'secrets', true],
  ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
  ['v1', 'ResourceQuota', 'resourcequotas', true],
  ['v1', 'LimitRange', 'limitranges', true],
  ['v1', 'ServiceAccount', 'serviceaccounts', true],
  ['v1', 'Node', 'nodes', false],
  ['v1', 'Namespace', 'namespaces', false],
  ['v1', 'PersistentVolume', 'persistentvolumes', false],
  ['apps/v1', 'Deployment', 'deployments', true],
  ['apps/v1', 'ReplicaSet', 'replicasets', true],
  ['apps/v1', 'StatefulSet', 'statefulsets', true],
  ['apps/v1', 'DaemonSet', 'daemonsets', true],
  ['apps/v1', 'ControllerRevision', 'controllerrevisions', true],
  ['batch/v1', 'Job', 'jobs', true],
  ['batch/v1', 'CronJob', 'cronjobs', true],
  ['networking.k8s.io/v1', 'Ingress', 'ingresses', true],
  ['networking.k8s.io/v1', 'IngressClass', 'ingressclasses', false],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true],
  ['storage.k8s.io/v1', 'StorageClass', 'storageclasses', false],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
  ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
  [
    'admissionregistration.k8s.io/v1',
    'ValidatingWebhookConfiguration',
    'validatingwebhookconfigurations',
    false,
  ],
  [
    'admissionregistration.k8s.io/v1',
    'MutatingWebhookConfiguration',
    'mutatingwebhookconfigurations',
    false,
  ],
].map(([apiVersion, kind, plural, namespaced]) => ({
  apiVersion: apiVersion as string,
  kind: kind as string,
  plural: plural as string,
  namespaced: namespaced as boolean,
}));

const BY_KIND = new Map(TABLE.map((info) => [info.kind, info]));

export const KNOWN_KINDS: readonly string[] = TABLE.map((info) => info.kind);

export function kindInfo(kind: string): KindInfo {
  const info = BY_KIND.get(kind);
  if (!info)
    throw new Error(
      `kind "${kind}" is not one kube-tools works with (known: ${KNOWN_KINDS.join(', ')})`,
    );
  return info;
}

/** REST path of a collection (name undefined) or of one object. */
export function objectPath(
  kind: string,
  namespace: string | null | undefined,
  name?: string,
): string {
  const info = kindInfo(kind);
  const root = info.apiVersion.includes('/')
    ? `/apis/${info.apiVersion}`
    : `/api/${info.apiVersion}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${root}${ns}/${info.plural}${tail}`;
}
