import type { Cluster } from '../cluster.ts';
import { KubeApiError } from '../errors.ts';
import { kindInfo } from '../kinds.ts';
import { redact, tailBound } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import { loadNodeRoom } from './node-room.ts';
import type { NodeRoom } from './node-room.ts';
import { NO_RBAC, loadRbac } from './rbac-denials.ts';
import type { RbacData } from './rbac-denials.ts';

/**
 * Everything the analyzers look at for one namespace, fetched once. Analyzers are pure
 * functions of this value, so a diagnosis is reproducible from a saved snapshot.
 *
 * Cost bound: every list is namespace-scoped, except the few small cluster-scoped kinds
 * (storage classes, ingress classes, webhooks). Nodes are fetched by name (those the
 * namespace's pods run on), never listed, so the cost does not grow with cluster size.
 */
export interface Snapshot {
  namespace: string;
  takenAt: string;
  pods: KubeObject[];
  deployments: KubeObject[];
  replicaSets: KubeObject[];
  statefulSets: KubeObject[];
  daemonSets: KubeObject[];
  jobs: KubeObject[];
  cronJobs: KubeObject[];
  services: KubeObject[];
  endpoints: KubeObject[];
  ingresses: KubeObject[];
  ingressClasses: KubeObject[];
  pvcs: KubeObject[];
  storageClasses: KubeObject[];
  nodes: KubeObject[];
  hpas: KubeObject[];
  pdbs: KubeObject[];
  quotas: KubeObject[];
  limitRanges: KubeObject[];
  serviceAccounts: KubeObject[];
  networkPolicies: KubeObject[];
  events: KubeObject[];
  /** ConfigMap names and key names; values are dropped at load time. */
  configMaps: { name: string; keys: string[] }[];
  /** Secret names and key names; values never leave the client layer. */
  secrets: { name: string; type: string; keys: string[] }[];
  webhooks: KubeObject[];
  /** Every node's labels and taints (first 100), read only when a nodeSelector may match no node. */
  selectorNodes: KubeObject[];
  /** Free cpu/memory of nodes a pod Pending for lack of them could use (empty otherwise). */
  nodeRoom: NodeRoom[];
  /** Node names the pods reference that do not exist. */
  missingNodes: string[];
  /** Redacted previous-container log tails, keyed `pod/container`. */
  logs: Record<string, string>;
  /**
   * Roles, RoleBindings (and the ClusterRoles they reference) of the namespace, read only
   * when a log tail quotes the API server refusing one of its ServiceAccounts; empty otherwise.
   */
  rbac: RbacData;
  /**
   * Kinds the API server refused to list (403): their lists above are empty because they
   * could not be read, not because nothing is there. A diagnosis must say so.
   */
  unreadable: Unreadable[];
}

export interface Unreadable {
  /** Plural resource name, e.g. "pods". */
  resource: string;
  reason: 'forbidden';
}

const NAMESPACED = {
  pods: 'Pod',
  deployments: 'Deployment',
  replicaSets: 'ReplicaSet',
  statefulSets: 'StatefulSet',
  daemonSets: 'DaemonSet',
  jobs: 'Job',
  cronJobs: 'CronJob',
  services: 'Service',
  endpoints: 'Endpoints',
  ingresses: 'Ingress',
  pvcs: 'PersistentVolumeClaim',
  hpas: 'HorizontalPodAutoscaler',
  pdbs: 'PodDisruptionBudget',
  quotas: 'ResourceQuota',
  limitRanges: 'LimitRange',
  serviceAccounts: 'ServiceAccount',
  networkPolicies: 'NetworkPolicy',
  events: 'Event',
} as const;

/** Cluster-scoped lists that stay small whatever the number of pods. */
export interface ClusterScoped {
  storageClasses: KubeObject[];
  ingressClasses: KubeObject[];
  webhooks: KubeObject[];
  unreadable: Unreadable[];
}

async function listOrEmpty(
  cluster: Cluster,
  kind: string,
  namespace: string | null,
  unreadable: Unreadable[],
): Promise<KubeObject[]> {
  try {
    return await cluster.list(kind, namespace);
  } catch (error) {
    // A kind the server does not serve (404) has nothing to read; one we may not read (403)
    // is recorded as unreadable, never passed off as empty.
    if (error instanceof KubeApiError && error.status === 404) return [];
    if (error instanceof KubeApiError && error.status === 403) {
      unreadable.push({ resource: kindInfo(kind).plural, reason: 'forbidden' });
      return [];
    }
    throw error;
  }
}

export async function loadClusterScoped(cluster: Cluster): Promise<ClusterScoped> {
  const unreadable: Unreadable[] = [];
  const [storageClasses, ingressClasses, validating, mutating] = await Promise.all([
    listOrEmpty(cluster, 'StorageClass', null, unreadable),
    listOrEmpty(cluster, 'IngressClass', null, unreadable),
    listOrEmpty(cluster, 'ValidatingWebhookConfiguration', null, unreadable),
    listOrEmpty(cluster, 'MutatingWebhookConfiguration', null, unreadable),
  ]);
  return { storageClasses, ingressClasses, webhooks: [...validating, ...mutating], unreadable };
}

const MAX_LOG_TAILS = 6;

export async function loadSnapshot(
  cluster: Cluster,
  namespace: string,
  shared?: ClusterScoped,
): Promise<Snapshot> {
  const unreadable: Unreadable[] = [];
  const entries = await Promise.all(
    Object.entries(NAMESPACED).map(
      async ([key, kind]) =>
        [key, await listOrEmpty(cluster, kind, namespace, unreadable)] as const,
    ),
  );
  const lists = Object.fromEntries(entries) as Record<keyof typeof NAMESPACED, KubeObject[]>;
  const [scoped, configMaps, secrets] = await Promise.all([
    shared ?? loadClusterScoped(cluster),
    listOrEmpty(cluster, 'ConfigMap', namespace, unreadable).then((items) =>
      items.map((cm) => ({
        name: cm.metadata.name,
        keys: [...Object.keys(cm.data ?? {}), ...Object.keys(cm.binaryData ?? {})].sort(),
      })),
    ),
    cluster.secretKeys(namespace).catch((error: unknown) => {
      if (!(error instanceof KubeApiError && error.status === 403)) throw error;
      unreadable.push({ resource: 'secrets', reason: 'forbidden' });
      return [];
    }),
  ]);
  const nodeNames = [
    ...new Set(
      lists.pods.map((p) => p.spec?.nodeName).filter((n): n is string => typeof n === 'string'),
    ),
  ];
  const fetched = await Promise.all(nodeNames.map((name) => cluster.get('Node', null, name)));
  const nodes = fetched.filter((n): n is KubeObject => n !== null);
  const missingNodes = nodeNames.filter((_, i) => fetched[i] === null);
  const [[logs, rbac], selectorNodes, nodeRoom] = await Promise.all([
    loadCrashLogs(cluster, namespace, lists.pods).then(
      async (tails) => [tails, await loadRbac(cluster, namespace, tails, unreadable)] as const,
    ),
    loadSelectorNodes(cluster, lists.pods, lists.daemonSets),
    loadNodeRoom(cluster, lists.pods),
  ]);
  return {
    namespace,
    takenAt: observedNow(lists.pods, lists.events),
    ...lists,
    ...scoped,
    configMaps,
    secrets,
    nodes,
    selectorNodes,
    nodeRoom,
    missingNodes,
    logs,
    rbac,
    // Sorted, so a snapshot (and the report) does not depend on which list answered first.
    unreadable: [...scoped.unreadable, ...unreadable].sort((a, b) =>
      a.resource.localeCompare(b.resource),
    ),
  };
}

/**
 * For pending pods with a nodeSelector: the nodes that carry each selected label key, by a
 * label-selector query (label existence), capped — enough to spot a mistyped value without
 * listing the cluster's nodes.
 */
async function loadSelectorNodes(
  cluster: Cluster,
  pods: KubeObject[],
  daemonSets: KubeObject[],
): Promise<KubeObject[]> {
  // Only when something may be placed by labels no node carries: a Pending pod with a
  // nodeSelector, or a DaemonSet with a nodeSelector that schedules nothing. Then every
  // node's labels are needed (bounded to the first 100 nodes, labels and taints only): a
  // misspelt key matches no node, so filtering the list by the selector's keys would hide
  // the near match.
  const pending = pods.some(
    (p) =>
      p.status?.phase === 'Pending' &&
      !p.spec?.nodeName &&
      Object.keys(p.spec?.nodeSelector ?? {}).length > 0,
  );
  const idle = daemonSets.some(
    (ds) =>
      Number(ds.status?.desiredNumberScheduled ?? 0) === 0 &&
      Object.keys(ds.spec?.template?.spec?.nodeSelector ?? {}).length > 0,
  );
  if (!pending && !idle) return [];
  try {
    const list = await cluster.request<{ items: KubeObject[] }>('GET', '/api/v1/nodes', {
      query: { limit: 100 },
    });
    return list.items.map((n) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.metadata.name, uid: n.metadata.uid, labels: n.metadata.labels ?? {} },
      spec: { unschedulable: n.spec?.unschedulable, taints: n.spec?.taints },
    }));
  } catch {
    return [];
  }
}

/**
 * "Now" as the cluster sees it: the later of this machine's clock and the newest
 * timestamp in the namespace. A cluster whose clock runs ahead (kube-sim at high speed, or
 * skew) must not make fresh states look old or old ones look fresh.
 */
function observedNow(pods: KubeObject[], events: KubeObject[]): string {
  let latest = Date.now();
  const see = (value: unknown) => {
    const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(t) && t > latest) latest = t;
  };
  for (const e of events) see(e.lastTimestamp ?? e.eventTime);
  for (const p of pods) {
    for (const c of p.status?.conditions ?? []) see(c.lastTransitionTime);
    for (const cs of [
      ...(p.status?.initContainerStatuses ?? []),
      ...(p.status?.containerStatuses ?? []),
    ])
      see(cs.state?.running?.startedAt);
  }
  return new Date(latest).toISOString();
}

/** Previous-container log tails of crashing containers, one per owner, a few per namespace. */
async function loadCrashLogs(
  cluster: Cluster,
  namespace: string,
  pods: KubeObject[],
): Promise<Record<string, string>> {
  const wanted: { pod: string; container: string; previous: boolean }[] = [];
  const seenOwners = new Set<string>();
  for (const pod of pods) {
    const owner =
      pod.metadata.ownerReferences?.find((o) => o.controller)?.name ?? pod.metadata.name;
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    for (const cs of statuses) {
      // An init container still running in a Pending pod is stuck waiting: its log says on what.
      const waitingInit =
        pod.status?.phase === 'Pending' &&
        (pod.status?.initContainerStatuses ?? []).includes(cs) &&
        Boolean(cs.state?.running);
      const crashed =
        waitingInit ||
        cs.state?.waiting?.reason === 'CrashLoopBackOff' ||
        cs.state?.terminated?.exitCode > 0 ||
        cs.lastState?.terminated?.exitCode > 0;
      const key = `${owner}/${cs.name}`;
      if (!crashed || seenOwners.has(key) || wanted.length >= MAX_LOG_TAILS) continue;
      seenOwners.add(key);
      wanted.push({
        pod: pod.metadata.name,
        container: cs.name,
        previous: !cs.state?.terminated && Boolean(cs.lastState?.terminated),
      });
    }
  }
  const logs: Record<string, string> = {};
  await Promise.all(
    wanted.map(async ({ pod, container, previous }) => {
      try {
        const text = await cluster.request<string>(
          'GET',
          `/api/v1/namespaces/${namespace}/pods/${pod}/log`,
          {
            query: { container, previous: previous || undefined, tailLines: 20, limitBytes: 8192 },
            text: true,
            accept: '*/*',
          },
        );
        logs[`${pod}/${container}`] = tailBound(redact(text), 20, 2000).value;
      } catch (error) {
        if (!(error instanceof KubeApiError)) throw error;
      }
    }),
  );
  return logs;
}

export function emptySnapshot(namespace: string): Snapshot {
  return {
    namespace,
    takenAt: new Date(0).toISOString(),
    pods: [],
    deployments: [],
    replicaSets: [],
    statefulSets: [],
    daemonSets: [],
    jobs: [],
    cronJobs: [],
    services: [],
    endpoints: [],
    ingresses: [],
    ingressClasses: [],
    pvcs: [],
    storageClasses: [],
    nodes: [],
    hpas: [],
    pdbs: [],
    quotas: [],
    limitRanges: [],
    serviceAccounts: [],
    networkPolicies: [],
    events: [],
    configMaps: [],
    secrets: [],
    webhooks: [],
    selectorNodes: [],
    nodeRoom: [],
    missingNodes: [],
    logs: {},
    rbac: NO_RBAC,
    unreadable: [],
  };
}
