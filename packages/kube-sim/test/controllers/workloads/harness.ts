/**
 * In-process cluster for the workload controller tests: the real API core (Cluster: defaulting,
 * validation, admission, GC) with the workload controllers on a fast sim clock. Pods are
 * moved along by `drivePods`, which plays the kubelet's part through the same API (status
 * subresource), the way envtest-based controller tests do: the node agents have their own
 * tests. Image names choose the behaviour: `*never-ready*` runs but never turns Ready,
 * `*exit-0*` / `*exit-1*` finish with that code after a second.
 */
import { Cluster } from '../../../src/api/cluster.ts';
import type { ClusterApi, KObject, UserInfo } from '../../../src/api/types.ts';
import { bootstrapCluster } from '../../../src/bootstrap.ts';
import { createClock, type SimClock } from '../../../src/clock/clock.ts';
import {
  startWorkloadControllers,
  type WorkloadOptions,
} from '../../../src/controllers/workloads/mod.ts';
import { findKind } from '../../../src/resources.ts';
import { Store } from '../../../src/store/store.ts';

export const ADMIN: UserInfo = { username: 'admin', groups: ['system:masters'] };
const KUBELET: UserInfo = { username: 'system:node:test', groups: ['system:nodes'] };

export interface Harness {
  api: Cluster;
  clock: SimClock;
  apply(...objects: KObject[]): void;
  get(kind: string, name: string, namespace?: string): KObject | undefined;
  list(kind: string, namespace?: string): KObject[];
  stop(): void;
}

const resourceOf = (object: Pick<KObject, 'apiVersion' | 'kind'>) => {
  const r = findKind(object.apiVersion, object.kind);
  if (!r) throw new Error(`unknown kind ${object.kind}`);
  return r;
};

const KINDS: Record<string, string> = {
  Pod: 'v1',
  Node: 'v1',
  Service: 'v1',
  Endpoints: 'v1',
  PersistentVolumeClaim: 'v1',
  PersistentVolume: 'v1',
  ResourceQuota: 'v1',
  Event: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
};

export function startHarness(
  speed = 50,
  options: WorkloadOptions & { drive?: boolean } = {},
): Harness {
  const api = new Cluster(new Store());
  bootstrapCluster(api);
  const clock = createClock(speed);
  const stops = [startWorkloadControllers(api, clock, options)];
  if (options.drive !== false) stops.push(drivePods(api, clock));
  const kindType = (kind: string) => resourceOf({ apiVersion: KINDS[kind] ?? 'v1', kind });
  return {
    api,
    clock,
    apply: (...objects) => {
      for (const o of objects) api.create(resourceOf(o), o, { user: ADMIN });
    },
    get: (kind, name, namespace = 'default') => api.get(kindType(kind), namespace, name),
    list: (kind, namespace = 'default') => api.list(kindType(kind), namespace),
    stop: () => {
      for (const stop of stops) stop();
      clock.stopAll();
    },
  };
}

/** Stands in for scheduler + kubelet: binds pods to a node and reports their status. */
export function drivePods(api: ClusterApi, clock: SimClock): () => void {
  const pods = resourceOf({ apiVersion: 'v1', kind: 'Pod' });
  const nodes = resourceOf({ apiVersion: 'v1', kind: 'Node' });
  let ip = 10;
  const seen = new Set<string>();
  const step = (ns: string, name: string, uid: string) => {
    const pod = api.get(pods, ns, name);
    if (!pod || pod.metadata.uid !== uid) return;
    const image = ((pod.spec as { containers: { image?: string }[] }).containers[0]?.image ??
      '') as string;
    const pinned = (
      pod.spec as {
        affinity?: {
          nodeAffinity?: {
            requiredDuringSchedulingIgnoredDuringExecution?: {
              nodeSelectorTerms?: { matchFields?: { values?: string[] }[] }[];
            };
          };
        };
      }
    ).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]
      ?.matchFields?.[0]?.values?.[0];
    const node = pinned ?? api.list(nodes, undefined)[0]?.metadata.name ?? 'node-1';
    const now = clock.nowIso();
    const bound = api.update(
      pods,
      { ...pod, spec: { ...(pod.spec as object), nodeName: node } },
      { user: KUBELET },
    );
    const ready = !image.includes('never-ready');
    api.update(
      pods,
      {
        ...bound,
        status: {
          phase: 'Running',
          podIP: `10.244.0.${ip++}`,
          startTime: now,
          conditions: [
            { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
            { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now },
          ],
        },
      },
      { user: KUBELET, subresource: 'status' },
    );
    const exit = /exit-(\d+)/.exec(image);
    if (exit) {
      clock.after(1_000, () => {
        const running = api.get(pods, ns, name);
        if (!running || running.metadata.uid !== uid) return;
        const code = Number(exit[1]);
        api.update(
          pods,
          {
            ...running,
            status: {
              ...(running.status as object),
              phase: code === 0 ? 'Succeeded' : 'Failed',
              conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: clock.nowIso() }],
              containerStatuses: [
                {
                  name: 'app',
                  restartCount: 0,
                  state: { terminated: { exitCode: code, finishedAt: clock.nowIso() } },
                },
              ],
            },
          },
          { user: KUBELET, subresource: 'status' },
        );
      });
    }
  };
  return api.onChange((event, resource) => {
    if (resource.kind !== 'Pod' || event.type !== 'ADDED') return;
    const { namespace, name, uid } = event.object.metadata;
    if (seen.has(uid!)) return;
    seen.add(uid!);
    clock.after(500, () => step(namespace!, name!, uid!));
  });
}

/** Polls `check` until it returns a truthy value (or throws its last error after `timeoutMs`). */
export async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function node(
  name: string,
  extra: { labels?: Record<string, string>; taints?: object[] } = {},
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: extra.taints ? { taints: extra.taints } : {},
  };
}

export function podTemplate(image = 'web:1', extra: Record<string, unknown> = {}) {
  return {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers: [
        { name: 'app', image, ports: [{ name: 'http', containerPort: 8080 }], ...extra },
      ],
    },
  };
}

export function deployment(
  name: string,
  replicas: number,
  spec: Record<string, unknown> = {},
): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: podTemplate(), ...spec },
  };
}

export const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    o,
  );
