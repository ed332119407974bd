/**
 * The Endpoints and EndpointSlice controllers: for every Service with a selector, the pods it
 * selects that have an IP, with each service port's targetPort resolved per pod (a number,
 * or a container port name looked up in that pod). Ready pods are `addresses`, not-ready
 * ones `notReadyAddresses` (all ready when publishNotReadyAddresses). Services without a
 * selector are left alone: their Endpoints are the user's.
 */
import type { ClusterApi, KObject } from '../../api/types.ts';
import { controllerUser, R } from './kinds.ts';
import {
  at,
  controllerRef,
  isPodReady,
  isPodTerminal,
  keyOf,
  randomSuffix,
  sameJson,
  splitKey,
} from './objects.ts';
import type { Reconciler } from './runtime.ts';

const USER = controllerUser('endpoint-controller');
const SLICE_USER = controllerUser('endpointslice-controller');
const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
}

/** The container port a service port reaches on `pod`, or undefined when a named port is missing. */
export function resolveTargetPort(port: ServicePort, pod: KObject): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of at<{ ports?: { name?: string; containerPort: number; protocol?: string }[] }[]>(
    pod,
    'spec',
    'containers',
  ) ?? []) {
    const found = c.ports?.find(
      (p) => p.name === target && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'),
    );
    if (found) return found.containerPort;
  }
  return undefined;
}

export interface Backend {
  pod: KObject;
  ready: boolean;
  ports: ResolvedPort[];
}

/** The pods behind a Service and their resolved ports, as both controllers see them. */
export function backendsOf(service: KObject, pods: KObject[]): Backend[] {
  const selector = at<Record<string, string>>(service, 'spec', 'selector') ?? {};
  const ports = at<ServicePort[]>(service, 'spec', 'ports') ?? [];
  const publishNotReady = at<boolean>(service, 'spec', 'publishNotReadyAddresses') === true;
  const out: Backend[] = [];
  for (const pod of pods) {
    if (!at<string>(pod, 'status', 'podIP') || pod.metadata.deletionTimestamp || isPodTerminal(pod))
      continue;
    if (!Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v)) continue;
    const resolved: ResolvedPort[] = [];
    for (const port of ports) {
      const number = resolveTargetPort(port, pod);
      if (number === undefined) continue;
      resolved.push({
        ...(port.name ? { name: port.name } : {}),
        port: number,
        protocol: port.protocol ?? 'TCP',
      });
    }
    if (ports.length > 0 && resolved.length === 0) continue;
    out.push({ pod, ready: publishNotReady || isPodReady(pod), ports: resolved });
  }
  return out.sort((a, b) => a.pod.metadata.name!.localeCompare(b.pod.metadata.name!));
}

function targetRef(pod: KObject) {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
  };
}

/** Endpoints subsets: one per distinct port set, addresses sorted by IP like the real controller. */
export function endpointSubsets(backends: Backend[]): Record<string, unknown>[] {
  const groups = new Map<string, { ports: ResolvedPort[]; ready: object[]; notReady: object[] }>();
  for (const b of backends) {
    const key = JSON.stringify(b.ports);
    const group = groups.get(key) ?? { ports: b.ports, ready: [], notReady: [] };
    groups.set(key, group);
    const address = {
      ip: at<string>(b.pod, 'status', 'podIP'),
      ...(at<string>(b.pod, 'spec', 'nodeName')
        ? { nodeName: at<string>(b.pod, 'spec', 'nodeName') }
        : {}),
      targetRef: targetRef(b.pod),
    };
    (b.ready ? group.ready : group.notReady).push(address);
  }
  const byIp = (a: object, b: object) =>
    String((a as { ip: string }).ip).localeCompare(String((b as { ip: string }).ip));
  return [...groups.values()].map((g) => ({
    ...(g.ready.length > 0 ? { addresses: g.ready.sort(byIp) } : {}),
    ...(g.notReady.length > 0 ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
    ...(g.ports.length > 0 ? { ports: g.ports } : {}),
  }));
}

const hasSelector = (svc: KObject) =>
  Object.keys(at<Record<string, string>>(svc, 'spec', 'selector') ?? {}).length > 0;

export function endpointsController(api: ClusterApi): Reconciler {
  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = api.get(R.services, ns, name);
    const existing = api.get(R.endpoints, ns, name);
    if (!svc) {
      // The Service is gone: its controller-managed Endpoints go too.
      if (
        existing &&
        existing.metadata.labels?.['endpoints.kubernetes.io/managed-by'] === 'endpoint-controller'
      ) {
        api.delete(R.endpoints, ns, name, { user: USER });
      }
      return;
    }
    if (!hasSelector(svc)) return;
    const subsets = endpointSubsets(backendsOf(svc, api.list(R.pods, ns)));
    const labels = {
      ...svc.metadata.labels,
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
    };
    if (!existing) {
      api.create(
        R.endpoints,
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name, namespace: ns, labels },
          ...(subsets.length > 0 ? { subsets } : {}),
        },
        { user: USER },
      );
      return;
    }
    if (sameJson(existing.subsets ?? [], subsets) && sameJson(existing.metadata.labels, labels))
      return;
    const { subsets: _old, ...rest } = existing;
    api.update(
      R.endpoints,
      {
        ...rest,
        metadata: { ...existing.metadata, labels },
        ...(subsets.length > 0 ? { subsets } : {}),
      },
      { user: USER },
    );
  }

  return {
    name: 'endpoint-controller',
    resyncMs: 30_000,
    allKeys: () => api.list(R.services, undefined).map(keyOf),
    triggers: [
      { resource: R.services, keys: (svc) => [keyOf(svc)] },
      { resource: R.pods, keys: (pod) => servicesSelecting(api, pod) },
    ],
    reconcile,
  };
}

/** Keys of the Services in the pod's namespace whose selector matches the pod. */
function servicesSelecting(api: ClusterApi, pod: KObject): string[] {
  return api
    .list(R.services, pod.metadata.namespace)
    .filter(
      (svc) =>
        hasSelector(svc) &&
        Object.entries(at<Record<string, string>>(svc, 'spec', 'selector')!).every(
          ([k, v]) => pod.metadata.labels?.[k] === v,
        ),
    )
    .map(keyOf);
}

export function endpointSliceController(api: ClusterApi): Reconciler {
  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = api.get(R.services, ns, name);
    const existing = api
      .list(R.endpointSlices, ns, {
        labelSelector: `${SERVICE_NAME}=${name},${MANAGED_BY}=endpointslice-controller.k8s.io`,
      })
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    if (!svc || !hasSelector(svc)) {
      // Owner references let the garbage collector remove them too; deleting here is immediate.
      if (!svc)
        for (const s of existing)
          api.delete(R.endpointSlices, ns, s.metadata.name!, { user: SLICE_USER });
      return;
    }
    // One slice per distinct port set (the real controller also splits past 100 endpoints).
    const groups = new Map<string, Backend[]>();
    for (const b of backendsOf(svc, api.list(R.pods, ns)))
      groups.set(JSON.stringify(b.ports), [...(groups.get(JSON.stringify(b.ports)) ?? []), b]);
    if (groups.size === 0) groups.set(JSON.stringify([]), []);
    const wanted = [...groups.values()].map((backends) => ({
      addressType: 'IPv4',
      endpoints: backends.map((b) => ({
        addresses: [at<string>(b.pod, 'status', 'podIP')],
        conditions: { ready: b.ready, serving: b.ready, terminating: false },
        ...(at<string>(b.pod, 'spec', 'nodeName')
          ? { nodeName: at<string>(b.pod, 'spec', 'nodeName') }
          : {}),
        targetRef: targetRef(b.pod),
      })),
      ports: backends[0]?.ports ?? [],
    }));
    const labels = {
      ...svc.metadata.labels,
      [SERVICE_NAME]: name,
      [MANAGED_BY]: 'endpointslice-controller.k8s.io',
    };
    wanted.forEach((body, i) => {
      const current = existing[i];
      if (!current) {
        api.create(
          R.endpointSlices,
          {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: {
              name: `${name}-${randomSuffix()}`,
              generateName: `${name}-`,
              namespace: ns,
              labels,
              ownerReferences: [controllerRef(svc)],
            },
            ...body,
          },
          { user: SLICE_USER },
        );
      } else if (
        !sameJson(
          [
            current.addressType,
            current.endpoints ?? [],
            current.ports ?? [],
            current.metadata.labels,
          ],
          [body.addressType, body.endpoints, body.ports, labels],
        )
      ) {
        api.update(
          R.endpointSlices,
          { ...current, metadata: { ...current.metadata, labels }, ...body },
          { user: SLICE_USER },
        );
      }
    });
    for (const extra of existing.slice(wanted.length))
      api.delete(R.endpointSlices, ns, extra.metadata.name!, { user: SLICE_USER });
  }

  return {
    name: 'endpointslice-controller',
    resyncMs: 30_000,
    allKeys: () => api.list(R.services, undefined).map(keyOf),
    triggers: [
      { resource: R.services, keys: (svc) => [keyOf(svc)] },
      { resource: R.pods, keys: (pod) => servicesSelecting(api, pod) },
    ],
    reconcile,
  };
}
