import { parseQuantity } from '../validation.ts';
import type { KubeObject } from '../types.ts';
import { containerArgs, topOwner } from './helpers.ts';
import type { Snapshot } from './snapshot.ts';
import type { Remediation } from './types.ts';

type Field = 'requests' | 'limits';
type Resource = 'cpu' | 'memory';

interface Container {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** A quota key the pod spec sets (`requests.cpu`, `cpu` = requests.cpu, `limits.memory`). */
function specField(key: string): { field: Field; resource: Resource } | undefined {
  const m = /^(?:(requests|limits)\.)?(cpu|memory)$/.exec(key);
  if (!m) return undefined;
  return { field: (m[1] as Field | undefined) ?? 'requests', resource: m[2] as Resource };
}

/** `requests.cpu=1500m,requests.memory=1Gi` → a map. */
function parseList(list: string): Record<string, string> {
  return Object.fromEntries(
    list
      .split(',')
      .map((item) => item.split('='))
      .filter((kv): kv is [string, string] => kv.length === 2),
  );
}

function podValue(containers: Container[], field: Field, resource: Resource): number {
  return containers.reduce(
    (sum, c) => sum + parseQuantity(c.resources?.[field]?.[resource] ?? '0'),
    0,
  );
}

/** Rounded down, so the value never exceeds the room it was computed from. */
function format(resource: Resource, amount: number): string {
  if (resource === 'cpu') return `${Math.floor((amount * 1000) / 10) * 10}m`;
  return `${Math.floor(amount / (16 * 1024 ** 2)) * 16}Mi`;
}

function show(resource: Resource, amount: number): string {
  return resource === 'cpu'
    ? `${Math.round(amount * 1000)}m`
    : `${Math.round(amount / 1024 ** 2)}Mi`;
}

/**
 * The per-pod cpu/memory a workload refused by a ResourceQuota can have and still fit, from
 * what the cluster shows: the quota's hard and used amounts, and what the workload's own
 * pods hold of them now. Two bounds, the smaller wins:
 * - every replica must fit in what other pods leave of the quota, `(hard − others) / replicas`;
 * - a rolling update removes an old pod only once more pods are available than desired, so
 *   the new revision's first `missing + 1` pods (missing: replicas the quota refused) must
 *   fit in the room free now, `(hard − used) / (missing + 1)`, or the rollout stalls with
 *   the quota full. A Recreate rollout removes the old pods first: only the first bound.
 * The fix is the largest value within both (the least change from what the workload asks
 * for now), on the one container that sets it. The quota itself is never changed: it is the
 * budget of whoever owns it. Without usage data, whether the workload runs well with less is
 * the approver's call; the reasoning says what was compared.
 */
export function quotaFitFix(s: Snapshot, owner: KubeObject, message: string): Remediation[] {
  const m = /exceeded quota: ([^,]+), requested: ([^ ]+?), used: ([^ ]+?), limited: ([^ \n]+)/.exec(
    message,
  );
  if (!m || !['Deployment', 'StatefulSet'].includes(owner.kind ?? '')) return [];
  const quota = s.quotas.find((q) => q.metadata.name === m[1]);
  const limited = parseList(m[4]!);
  const usedThen = parseList(m[3]!);
  const hard = { ...limited, ...((quota?.status?.hard ?? {}) as Record<string, string>) };
  const used = { ...usedThen, ...((quota?.status?.used ?? {}) as Record<string, string>) };
  const replicas = Number(owner.spec?.replicas ?? 1);
  const template = owner.spec?.template?.spec ?? {};
  const containers = (template.containers ?? []) as Container[];
  const inits = (template.initContainers ?? []) as Container[];
  const own = s.pods.filter(
    (p) =>
      !['Succeeded', 'Failed'].includes(String(p.status?.phase)) &&
      topOwner(s, p).metadata.uid === owner.metadata.uid,
  );
  const missing = Math.max(0, replicas - own.length);
  const recreate = owner.kind === 'Deployment' && owner.spec?.strategy?.type === 'Recreate';
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  const compared: string[] = [];
  let container: string | undefined;
  for (const key of Object.keys(limited)) {
    const at = specField(key);
    if (!at || hard[key] === undefined || used[key] === undefined) return [];
    const { field, resource } = at;
    const setting = containers.filter((c) => c.resources?.[field]?.[resource] !== undefined);
    if (setting.length !== 1) return [];
    if (container !== undefined && container !== setting[0]!.name) return [];
    container = setting[0]!.name;
    const current = podValue(containers, field, resource);
    const ownUse = own.reduce(
      (sum, p) => sum + podValue((p.spec?.containers ?? []) as Container[], field, resource),
      0,
    );
    const total = parseQuantity(hard[key]);
    const others = parseQuantity(used[key]) - ownUse;
    const perReplica = (total - others) / replicas;
    const free = total - parseQuantity(used[key]);
    const fit = recreate ? perReplica : Math.min(perReplica, free / (missing + 1));
    const rest = current - parseQuantity(setting[0]!.resources![field]![resource]);
    const value = format(resource, fit - rest);
    if (parseQuantity(value) <= 0 || parseQuantity(value) + rest >= current) return [];
    if (podValue(inits, field, resource) > parseQuantity(value) + rest) return [];
    (field === 'requests' ? requests : limits)[resource] = value;
    compared.push(
      `${key}: quota ${m[1]} allows ${hard[key]}, ${used[key]} used of which ${show(resource, ownUse)} by ${owner.metadata.name}'s ${own.length} pod(s); ` +
        `${replicas} replicas can have ${show(resource, perReplica)} each` +
        (recreate
          ? ` (Recreate: the old pods go first)`
          : ` and ${show(resource, free)} is free now for the rollout's first ${missing + 1} new pod(s) before an old one goes`) +
        `, so ${value} (was ${show(resource, current)} per pod)`,
    );
  }
  if (container === undefined) return [];
  // A lower limit must not leave the request above it.
  const spec = containers.find((c) => c.name === container)!;
  for (const [resource, value] of Object.entries(limits)) {
    const request = spec.resources?.requests?.[resource];
    if (request && parseQuantity(request) > parseQuantity(value) && !requests[resource])
      requests[resource] = value;
  }
  return [
    {
      action: 'SetContainerResources',
      args: {
        ...containerArgs(owner, container),
        ...(Object.keys(requests).length ? { requests } : {}),
        ...(Object.keys(limits).length ? { limits } : {}),
      },
      confidence: 0.55,
      reasoning:
        `${compared.join('; ')}. This is the largest size that fits, the least change to what the workload asks for; ` +
        `the quota is left as its owners set it (raising it is their call). Opsloop has no usage data: if ${container} needs more than this, ask the quota's owners for a larger budget instead.`,
    },
  ];
}
