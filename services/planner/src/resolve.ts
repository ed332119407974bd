import type { KubeObject, Snapshot } from '@opsloop/kube-tools';

/**
 * Matches the words a user wrote ("the checkout service", "backend API pods") against the
 * objects that exist in the namespace, and follows a Service to the workload behind it.
 * Names come from the cluster, never from the text: a phrase can only pick among them.
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';
export interface ObjectName {
  kind: string;
  name: string;
}
export interface Resolved {
  /** What the words named. */
  named: ObjectName;
  /** The workload behind it (itself, a Service's backend, a pod's owner), if any. */
  workload: { kind: WorkloadKind; name: string; object: KubeObject } | null;
  /** Services selecting the workload's pods (or the named Service). */
  services: string[];
}

export type Resolution =
  /** `others`: more objects the request names outright ("storefront can't reach product-api"). */
  { found: Resolved; others: Resolved[] } | { ambiguous: ObjectName[] } | { missing: true };

/** Words that say which kind of object is meant, and are not part of its name. */
const KIND_WORDS: Record<string, string> = {
  service: 'Service',
  svc: 'Service',
  services: 'Service',
  endpoint: 'Service',
  endpoints: 'Service',
  deployment: 'Deployment',
  deployments: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  pods: 'Pod',
  pod: 'Pod',
  app: '',
  application: '',
  workload: '',
  replicas: '',
  replica: '',
  container: '',
  containers: '',
  job: 'Job',
  cronjob: 'CronJob',
};
/** Name parts that add nothing to what a person says ("payment" for payment-api). */
const GENERIC = new Set([
  'api',
  'svc',
  'service',
  'server',
  'app',
  'web',
  'worker',
  'deployment',
  'v1',
  'v2',
]);

function candidates(s: Snapshot): ObjectName[] {
  const of = (kind: string, list: KubeObject[]) =>
    list.map((o) => ({ kind, name: o.metadata.name }));
  return [
    ...of('Deployment', s.deployments),
    ...of('StatefulSet', s.statefulSets),
    ...of('DaemonSet', s.daemonSets),
    ...of('Service', s.services),
    ...of('CronJob', s.cronJobs),
    ...of(
      'Job',
      s.jobs.filter((j) => !j.metadata.ownerReferences?.length),
    ),
    ...of('Pod', s.pods),
  ];
}

/** How well `name` fits the words: 0 no match, higher better; 90 and more = said outright. */
function score(name: string, words: string[], joined: string): number {
  if (joined === name) return 100;
  if (words.includes(name)) return 95;
  if (` ${words.join(' ')} `.includes(` ${name.replace(/-/g, ' ')} `)) return 90;
  if (joined.includes(name) && name.length >= 4) return 85;
  const parts = name.split('-');
  const meaningful = parts.filter((p) => !GENERIC.has(p));
  // A hyphenated word is a name someone typed: it matches itself, never a neighbour
  // ("inventory-db" is not inventory-service).
  const said = words.filter((w) => !w.includes('-'));
  if (meaningful.length === 0) return 0;
  if (meaningful.every((p) => said.includes(p))) {
    // Every distinctive part said; fewer unsaid generic parts is closer.
    return 70 - parts.filter((p) => !said.includes(p)).length;
  }
  // "night's export job" for nightly-export: each distinctive part begins with a word said.
  const begins = (p: string) => said.some((w) => w.length >= 4 && p.startsWith(w));
  if (meaningful.every((p) => said.includes(p) || begins(p))) return 60;
  return 0;
}

export function resolve(snapshot: Snapshot, phrase: string): Resolution {
  const all = phrase.split(/\s+/).filter(Boolean);
  const kindHint = all.map((w) => KIND_WORDS[w]).find((k) => k !== undefined && k !== '');
  const words = all.filter((w) => !(w in KIND_WORDS));
  if (words.length === 0) return { missing: true };
  const joined = words.join('-');
  const scored = candidates(snapshot)
    .map((c) => ({
      c,
      s:
        score(c.name, words, joined) +
        (c.kind === kindHint ? 3 : 0) +
        // A pod is meant only when its exact name is said; it then resolves to its workload.
        (c.kind === 'Pod' && !words.includes(c.name) ? -10 : 0),
    }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s);
  if (scored.length === 0) return { missing: true };
  // One object per name: a Service and its workload of the same name are one thing.
  const byName = new Map<string, (typeof scored)[number]>();
  for (const x of scored) {
    const seen = byName.get(x.c.name);
    const better =
      !seen ||
      (seen.s === x.s && x.c.kind === kindHint) ||
      (seen.s === x.s && seen.c.kind === 'Service' && kindHint !== 'Service');
    if (better) byName.set(x.c.name, x);
  }
  const named = [...byName.values()].sort(
    (a, b) => b.s - a.s || position(a.c.name, joined) - position(b.c.name, joined),
  );
  const outright = named.filter((x) => x.s >= 88);
  if (outright.length > 0) {
    const [first, ...rest] = outright.sort(
      (a, b) => position(a.c.name, joined) - position(b.c.name, joined),
    );
    return {
      found: describe(snapshot, first!.c),
      others: rest.map((x) => describe(snapshot, x.c)),
    };
  }
  const best = named[0]!;
  const tied = named.filter((x) => x.s === best.s);
  if (tied.length === 1) return { found: describe(snapshot, best.c), others: [] };
  return { ambiguous: tied.map((x) => x.c) };
}

function position(name: string, joined: string): number {
  const at = joined.indexOf(name);
  return at < 0 ? Number.MAX_SAFE_INTEGER : at;
}

export function describe(s: Snapshot, named: ObjectName): Resolved {
  const workloads: [WorkloadKind, KubeObject[]][] = [
    ['Deployment', s.deployments],
    ['StatefulSet', s.statefulSets],
    ['DaemonSet', s.daemonSets],
  ];
  const byName = (kind: WorkloadKind, name: string) => {
    const object = workloads.find(([k]) => k === kind)?.[1].find((o) => o.metadata.name === name);
    return object ? { kind, name, object } : null;
  };
  let workload: Resolved['workload'] = null;
  if (named.kind === 'Deployment' || named.kind === 'StatefulSet' || named.kind === 'DaemonSet') {
    workload = byName(named.kind, named.name);
  } else if (named.kind === 'Service') {
    const svc = s.services.find((o) => o.metadata.name === named.name);
    const selector = (svc?.spec?.selector ?? {}) as Record<string, string>;
    const behind = workloads.flatMap(([kind, list]) =>
      list
        .filter((w) => Object.keys(selector).length > 0 && selects(selector, templateLabels(w)))
        .map((object) => ({ kind, name: object.metadata.name, object })),
    );
    // A Service that selects nothing (a broken selector) still usually shares its workload's name.
    workload =
      behind.length === 1
        ? behind[0]!
        : (workloads.map(([kind]) => byName(kind, named.name)).find(Boolean) ?? behind[0] ?? null);
  } else if (named.kind === 'Pod') {
    workload = ownerWorkload(s, named.name, byName);
  }
  const services = workload
    ? s.services
        .filter((svc) => {
          const sel = (svc.spec?.selector ?? {}) as Record<string, string>;
          return Object.keys(sel).length > 0 && selects(sel, templateLabels(workload.object));
        })
        .map((svc) => svc.metadata.name)
    : [];
  // A Service of the same name belongs to the workload even when its selector is broken.
  for (const name of [named.name, workload?.name]) {
    if (name && !services.includes(name) && s.services.some((svc) => svc.metadata.name === name))
      services.push(name);
  }
  return { named, workload, services };
}

function ownerWorkload(
  s: Snapshot,
  pod: string,
  byName: (kind: WorkloadKind, name: string) => Resolved['workload'],
): Resolved['workload'] {
  const owner = s.pods
    .find((p) => p.metadata.name === pod)
    ?.metadata.ownerReferences?.find((o) => o.controller);
  if (!owner) return null;
  if (owner.kind === 'ReplicaSet') {
    const rs = s.replicaSets.find((r) => r.metadata.name === owner.name);
    const top = rs?.metadata.ownerReferences?.find((o) => o.controller);
    return top?.kind === 'Deployment' ? byName('Deployment', top.name) : null;
  }
  return owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet'
    ? byName(owner.kind, owner.name)
    : null;
}

export function templateLabels(workload: KubeObject): Record<string, string> {
  return (workload.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Pods owned by a workload (through its ReplicaSets for a Deployment). */
export function podsOf(s: Snapshot, workload: { kind: string; object: KubeObject }): KubeObject[] {
  const uid = workload.object.metadata.uid;
  const owners = new Set([uid]);
  if (workload.kind === 'Deployment') {
    for (const rs of s.replicaSets) {
      if (rs.metadata.ownerReferences?.some((o) => o.uid === uid)) owners.add(rs.metadata.uid);
    }
  }
  return s.pods.filter((p) => p.metadata.ownerReferences?.some((o) => owners.has(o.uid)));
}
