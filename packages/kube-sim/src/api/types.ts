/**
 * The in-process contract between kube-sim's API server core and everything that acts on
 * the cluster from inside (controllers, scheduler, kubelet, scenario loader). Controllers
 * go through the same pipeline as HTTP requests (validation, defaulting, admission, RBAC
 * skipped only for the trusted system identities they use, audit), never around it, so a
 * quota that rejects `kubectl create pod` also rejects the ReplicaSet controller.
 */
import type { ResourceType } from '../resources.ts';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object as stored (plain JSON). */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KObject;
}

export interface WriteOptions {
  user: UserInfo;
  dryRun?: boolean;
  fieldManager?: string;
  /** Write the `status` subresource (status changes only) instead of the main resource. */
  subresource?: 'status' | 'scale' | 'eviction' | 'binding';
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/**
 * Admission runs after defaulting and validation, before storage, for create and update
 * (and patch, which is an update). It may mutate `object` (defaults such as LimitRange) and
 * rejects by throwing an ApiError (e.g. 403 "exceeded quota: …").
 */
export type AdmissionPlugin = (request: {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  resource: ResourceType;
  subresource?: string;
  object: KObject | undefined;
  oldObject: KObject | undefined;
  user: UserInfo;
  dryRun: boolean;
}) => void;

/**
 * The in-process Kubernetes API that controllers and the loader use. Implemented by
 * `Cluster` (src/api/cluster.ts). Objects it returns (and passes to onChange) are the
 * stored ones, deep-frozen: clone (`structuredClone`) before editing. Errors are `ApiError`s
 * (src/api/errors.ts) with the HTTP code and reason the API server would answer.
 */
export interface ClusterApi {
  get(resource: ResourceType, namespace: string | undefined, name: string): KObject | undefined;
  list(resource: ResourceType, namespace: string | undefined, options?: ListOptions): KObject[];
  create(resource: ResourceType, object: KObject, options: WriteOptions): KObject;
  /** Optimistic concurrency: a stale metadata.resourceVersion throws a 409 ApiError. */
  update(resource: ResourceType, object: KObject, options: WriteOptions): KObject;
  patch(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: WriteOptions,
  ): KObject;
  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions & {
      propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
      gracePeriodSeconds?: number;
    },
  ): KObject | undefined;
  /** Every change to any object, after it is stored, in resourceVersion order. */
  onChange(listener: (event: WatchEvent, resource: ResourceType) => void): () => void;
  addAdmission(plugin: AdmissionPlugin): void;
  /**
   * 'graceful' (set by the simulated kubelet when it runs): deleting a scheduled pod only
   * sets deletionTimestamp (+ grace period) and the kubelet removes it with
   * gracePeriodSeconds 0 once its containers stopped, as on a real node. The default,
   * 'immediate', removes pods at once (no kubelet to finish the job).
   */
  setPodTermination?(mode: 'immediate' | 'graceful'): void;
  /** Records a core/v1 Event (type Normal|Warning), aggregating repeats like the kubelet does (count, lastTimestamp). */
  recordEvent(
    involved: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: { component: string; host?: string },
  ): void;
}

/** Attributes of one request as the authorizer sees them (mirrors k8s authorizer.Attributes). */
export interface AuthorizationAttributes {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Set for non-resource requests (/version, /healthz, /apis); then resource is "". */
  nonResourcePath?: string;
}

export interface AuthorizationDecision {
  allowed: boolean;
  reason: string;
}

/** What src/rbac/mod.ts provides; the server asks it on every request when RBAC is on. */
export interface Authorizer {
  authorize(user: UserInfo, attrs: AuthorizationAttributes): AuthorizationDecision;
}

/** Options of a pods/log read (query parameters of GET …/pods/{name}/log). */
export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** A request forwarded through the API server's service proxy. */
export interface ProxyRequest {
  method: string;
  /** Path after `/proxy`, always starting with "/". */
  path: string;
  /** Raw query string without "?" ("" when none). */
  query: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/**
 * Workload behaviour the API server delegates to the simulation (helper D / src/controllers).
 * Every method may throw an ApiError (src/api/errors.ts) which is answered as a Status.
 * `container` is already resolved (the pod's only container, or the one the client named).
 */
export interface SimHooks {
  /** Log lines (without trailing newline) of one container, already filtered by options. */
  logs(namespace: string, pod: string, container: string, options: LogOptions): string[];
  /**
   * Streams new lines as they are produced (after the lines `logs` returned); returns stop().
   * `onEnd` runs once when the container instance ends (or at once if it already has), so
   * `kubectl logs -f` returns like on a real cluster; a hook that cannot tell never calls it.
   */
  followLogs(
    namespace: string,
    pod: string,
    container: string,
    options: LogOptions,
    onLine: (line: string) => void,
    onEnd?: () => void,
  ): () => void;
  /** `port` is the name or number from the URL ("" when the URL named none). */
  proxy(
    namespace: string,
    service: string,
    port: string,
    request: ProxyRequest,
  ): Promise<ProxyResponse>;
}
