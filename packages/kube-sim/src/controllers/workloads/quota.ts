/**
 * ResourceQuota: usage computed from the live objects of a namespace (status.hard/used,
 * written by the quota controller) and the admission check that refuses a create which
 * would exceed a hard limit, with the real API server's messages:
 *   exceeded quota: compute-quota, requested: requests.cpu=500m, used: requests.cpu=1800m, limited: requests.cpu=2
 *   failed quota: compute-quota: must specify limits.cpu,limits.memory for: app
 * Admission computes usage fresh from the store (the real one tracks it in status), so two
 * quick creates can never both slip under a limit.
 */
import { ApiError, qualifiedName } from '../../api/errors.ts';
import type { AdmissionPlugin, ClusterApi, KObject } from '../../api/types.ts';
import type { ResourceType } from '../../resources.ts';
import { RESOURCES } from '../../resources.ts';
import { controllerUser, R } from './kinds.ts';
import { at, isPodTerminal, keyOf, splitKey, writeStatus } from './objects.ts';
import { formatAmount, milliOf, parseAmount } from '../../quantity.ts';
import type { Reconciler } from './runtime.ts';

const USER = controllerUser('resourcequota-controller');
const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];

interface Container {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** Requests default to limits (API server defaulting), so a limit-only container has both. */
function containerAmounts(
  c: Container,
  kind: 'requests' | 'limits',
  resource: string,
): number | undefined {
  const own = c.resources?.[kind]?.[resource];
  const fallback = kind === 'requests' ? c.resources?.limits?.[resource] : undefined;
  const value = own ?? fallback;
  return value === undefined ? undefined : milliOf(value);
}

/** Quota usage of one object, in milli-units per quota resource name. */
export function usageOf(
  resource: Pick<ResourceType, 'group' | 'plural' | 'kind'>,
  object: KObject,
): Record<string, number> {
  const usage: Record<string, number> = { [`count/${qualifiedName(resource)}`]: 1000 };
  if (resource.kind === 'Pod') {
    if (isPodTerminal(object)) return {};
    usage.pods = 1000;
    const containers = at<Container[]>(object, 'spec', 'containers') ?? [];
    const inits = at<Container[]>(object, 'spec', 'initContainers') ?? [];
    for (const res of COMPUTE) {
      for (const kind of ['requests', 'limits'] as const) {
        const total = containers.reduce((s, c) => s + (containerAmounts(c, kind, res) ?? 0), 0);
        const init = Math.max(0, ...inits.map((c) => containerAmounts(c, kind, res) ?? 0));
        const amount = Math.max(total, init);
        if (amount > 0) {
          usage[`${kind}.${res}`] = amount;
          if (kind === 'requests') usage[res] = amount;
        }
      }
    }
  } else if (resource.kind === 'Service') {
    usage.services = 1000;
    const type = at<string>(object, 'spec', 'type');
    if (type === 'NodePort' || type === 'LoadBalancer')
      usage['services.nodeports'] = 1000 * (at<unknown[]>(object, 'spec', 'ports')?.length ?? 0);
    if (type === 'LoadBalancer') usage['services.loadbalancers'] = 1000;
  } else if (resource.kind === 'PersistentVolumeClaim') {
    usage.persistentvolumeclaims = 1000;
    const storage = milliOf(at(object, 'spec', 'resources', 'requests', 'storage'));
    usage['requests.storage'] = storage;
    const sc = at<string>(object, 'spec', 'storageClassName');
    if (sc) {
      usage[`${sc}.storageclass.storage.k8s.io/requests.storage`] = storage;
      usage[`${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`] = 1000;
    }
  } else if (resource.group === '') {
    // configmaps, secrets, resourcequotas, replicationcontrollers: plain object counts.
    usage[resource.plural] = 1000;
  }
  return usage;
}

/** Each stored kind once (its first listed version), for namespace-wide usage sums. */
const COUNTED = RESOURCES.filter(
  (r, i) =>
    r.namespaced &&
    RESOURCES.findIndex((o) => o.group === r.group && o.kind === r.kind) === i &&
    r.verbs === undefined &&
    r.kind !== 'Event',
);

export function namespaceUsage(
  api: ClusterApi,
  ns: string,
  wanted: string[],
): Record<string, number> {
  const used: Record<string, number> = Object.fromEntries(wanted.map((k) => [k, 0]));
  for (const resource of COUNTED) {
    const relevant = wanted.some(
      (k) => k === `count/${qualifiedName(resource)}` || relevantTo(resource.kind, k),
    );
    if (!relevant) continue;
    for (const object of api.list(resource, ns)) {
      for (const [k, v] of Object.entries(usageOf(resource, object))) if (k in used) used[k]! += v;
    }
  }
  return used;
}

function relevantTo(kind: string, key: string): boolean {
  if (kind === 'Pod')
    return key === 'pods' || COMPUTE.some((r) => key === r || key.endsWith(`.${r}`));
  if (kind === 'Service') return key.startsWith('services');
  if (kind === 'PersistentVolumeClaim')
    return key.includes('persistentvolumeclaims') || key.includes('requests.storage');
  return key === `${kind.toLowerCase()}s`;
}

const binaryOf = (hard: Record<string, string>, key: string) =>
  parseAmount(hard[key])?.binary ?? false;
const pretty = (values: Record<string, number>, hard: Record<string, string>) =>
  Object.keys(values)
    .sort()
    .map((k) => `${k}=${formatAmount(values[k]!, binaryOf(hard, k))}`)
    .join(',');

export function quotaAdmission(api: ClusterApi): AdmissionPlugin {
  return ({ operation, resource, subresource, object, oldObject }) => {
    if (subresource || !object || operation === 'DELETE' || !resource.namespaced) return;
    const ns = object.metadata.namespace;
    if (!ns) return;
    const quotas = api.list(R.quotas, ns);
    if (quotas.length === 0) return;
    const delta = usageOf(resource, object);
    if (operation === 'UPDATE') {
      // Only growth is checked on update (a PVC resize, a Service turned into a LoadBalancer).
      const before = oldObject ? usageOf(resource, oldObject) : {};
      for (const k of Object.keys(delta)) delta[k] = Math.max(0, delta[k]! - (before[k] ?? 0));
    }
    const name = object.metadata.name ?? '';
    const deny = (message: string) =>
      new ApiError(
        403,
        'Forbidden',
        `${qualifiedName(resource)} "${name}" is forbidden: ${message}`,
        { name, group: resource.group, kind: resource.plural },
      );
    for (const quota of quotas) {
      const hard = at<Record<string, string>>(quota, 'spec', 'hard') ?? {};
      if (resource.kind === 'Pod' && operation === 'CREATE') {
        const missing = missingCompute(object, Object.keys(hard));
        if (missing) throw deny(`failed quota: ${quota.metadata.name}: must specify ${missing}`);
      }
      const keys = Object.keys(hard).filter((k) => (delta[k] ?? 0) > 0);
      if (keys.length === 0) continue;
      const used = namespaceUsage(api, ns, keys);
      const exceeded = keys.filter((k) => used[k]! + delta[k]! > milliOf(hard[k]));
      if (exceeded.length === 0) continue;
      const pick = (values: Record<string, number>) =>
        Object.fromEntries(exceeded.map((k) => [k, values[k]!]));
      const limited = Object.fromEntries(exceeded.map((k) => [k, milliOf(hard[k])]));
      throw deny(
        `exceeded quota: ${quota.metadata.name}, requested: ${pretty(pick(delta), hard)}, used: ${pretty(pick(used), hard)}, limited: ${pretty(limited, hard)}`,
      );
    }
  };
}

/** "limits.cpu,limits.memory for: app" when containers lack a resource the quota constrains. */
function missingCompute(pod: KObject, hardKeys: string[]): string | undefined {
  const required = hardKeys.filter((k) =>
    COMPUTE.some((r) => k === r || k === `requests.${r}` || k === `limits.${r}`),
  );
  if (required.length === 0) return undefined;
  const parts: string[] = [];
  for (const c of [
    ...(at<Container[]>(pod, 'spec', 'initContainers') ?? []),
    ...(at<Container[]>(pod, 'spec', 'containers') ?? []),
  ]) {
    const lacking = required
      .map((k) => (k.includes('.') ? k : `requests.${k}`))
      .filter((k, i, all) => all.indexOf(k) === i)
      .filter((k) => {
        const [kind, res] = k.split('.') as ['requests' | 'limits', string];
        return containerAmounts(c, kind, res) === undefined;
      })
      .sort();
    if (lacking.length > 0) parts.push(`${lacking.join(',')} for: ${c.name}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

export function quotaController(api: ClusterApi): Reconciler {
  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const quota = api.get(R.quotas, ns, name);
    if (!quota) return;
    const hard = at<Record<string, string>>(quota, 'spec', 'hard') ?? {};
    const used = namespaceUsage(api, ns, Object.keys(hard));
    writeStatus(
      api,
      R.quotas,
      quota,
      {
        hard: { ...hard },
        used: Object.fromEntries(
          Object.keys(hard).map((k) => [k, formatAmount(used[k] ?? 0, binaryOf(hard, k))]),
        ),
      },
      USER,
    );
  }
  return {
    name: 'resourcequota-controller',
    resyncMs: 30_000,
    allKeys: () => api.list(R.quotas, undefined).map(keyOf),
    // Any namespaced change may move usage: recompute that namespace's quotas (cheap, few quotas).
    triggers: COUNTED.map((resource) => ({
      resource,
      keys: (object: KObject) =>
        resource.kind === 'ResourceQuota'
          ? [keyOf(object)]
          : api.list(R.quotas, object.metadata.namespace).map(keyOf),
    })),
    reconcile,
  };
}
