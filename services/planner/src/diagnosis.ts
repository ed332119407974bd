import { quote, toFindingPayload } from '@opsloop/kube-tools';
import type { Finding, KubeObject, Snapshot } from '@opsloop/kube-tools';
import type { Finding as FindingPayload } from '@opsloop/contracts';
import type { PodLog } from './logs.ts';
import { describe, podsOf, selects, templateLabels, type Resolved } from './resolve.ts';

/**
 * The findings a request is about: those on the named object, on the workload behind it,
 * on what serves, scales, stores or fences its pods, and on the Services (and their
 * workloads) its pod template names as hosts — what it depends on: a worker crash-looping
 * because its queue is down is fixed at the queue. A finding elsewhere in the namespace (a
 * red herring, another team's fault) does not become part of this plan.
 */
export function scopeFindings(
  findings: Finding[],
  snapshot: Snapshot,
  targets: Resolved[],
): Finding[] {
  if (targets.length === 0) return findings;
  const related = new Set<string>();
  for (const target of targets) {
    relate(related, snapshot, target);
    if (!target.workload) continue;
    for (const service of dependencies(snapshot, target.workload.object))
      relate(related, snapshot, describe(snapshot, { kind: 'Service', name: service }));
  }
  // Namespace-wide causes (quota, limit range) constrain every workload in it.
  const namespaceWide = new Set(['ResourceQuota', 'LimitRange']);
  return findings.filter(
    (f) =>
      related.has(key(f.object.kind, f.object.name)) ||
      (namespaceWide.has(f.object.kind) && targets.some((t) => mentions(f, t))),
  );
}

function relate(related: Set<string>, snapshot: Snapshot, target: Resolved): void {
  related.add(key(target.named.kind, target.named.name));
  // An autoscaler aimed at the name the request uses scales it, or should (a renamed workload).
  for (const hpa of snapshot.hpas) {
    const ref = hpa.spec?.scaleTargetRef as { name?: string } | undefined;
    if (ref?.name === target.named.name)
      related.add(key('HorizontalPodAutoscaler', hpa.metadata.name));
  }
  for (const svc of target.services) related.add(key('Service', svc));
  const w = target.workload;
  if (!w) return;
  related.add(key(w.kind, w.name));
  const labels = templateLabels(w.object);
  for (const pod of podsOf(snapshot, w)) related.add(key('Pod', pod.metadata.name));
  for (const rs of snapshot.replicaSets) {
    if (rs.metadata.ownerReferences?.some((o) => o.uid === w.object.metadata.uid))
      related.add(key('ReplicaSet', rs.metadata.name));
  }
  for (const np of snapshot.networkPolicies) {
    const sel = (np.spec?.podSelector?.matchLabels ?? {}) as Record<string, string>;
    if (selects(sel, labels)) related.add(key('NetworkPolicy', np.metadata.name));
  }
  for (const hpa of snapshot.hpas) {
    const ref = hpa.spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
    if (ref?.kind === w.kind && ref.name === w.name)
      related.add(key('HorizontalPodAutoscaler', hpa.metadata.name));
  }
  for (const claim of claimsOf(w.object)) related.add(key('PersistentVolumeClaim', claim));
  for (const pdb of snapshot.pdbs) {
    const sel = (pdb.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
    if (Object.keys(sel).length && selects(sel, labels))
      related.add(key('PodDisruptionBudget', pdb.metadata.name));
  }
}

/**
 * Services of the namespace that a workload's pod template names as a host in an env value,
 * command or argument (`amqp://queue:5672`, `DB_HOST=db`, `--redis=cache:6379`).
 */
export function dependencies(snapshot: Snapshot, workload: KubeObject): string[] {
  const spec = workload.spec?.template?.spec ?? {};
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as {
    env?: { value?: string }[];
    command?: string[];
    args?: string[];
  }[];
  const values = containers.flatMap((c) => [
    ...(c.env ?? []).map((e) => e.value ?? ''),
    ...(c.command ?? []),
    ...(c.args ?? []),
  ]);
  return snapshot.services
    .map((svc) => svc.metadata.name)
    .filter((name) => {
      const host = new RegExp(`(?:^|//|@|=|\\s|")${name.replace(/[.]/g, '\\.')}(?=$|[:./\\s"])`);
      return values.some((v) => host.test(v));
    });
}

function mentions(f: Finding, target: Resolved): boolean {
  const names = [target.named.name, target.workload?.name].filter(Boolean) as string[];
  return names.some((n) => f.explanation.includes(n) || f.evidence.some((e) => e.includes(n)));
}

function key(kind: string, name: string) {
  return `${kind}/${name}`;
}

function claimsOf(workload: KubeObject): string[] {
  const volumes = (workload.spec?.template?.spec?.volumes ?? []) as {
    persistentVolumeClaim?: { claimName?: string };
  }[];
  return volumes
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((n): n is string => typeof n === 'string');
}

/** Text in cluster data that speaks to an AI agent or tries to give it orders. */
const ADDRESSES_AGENT = [
  /\bignore\s+(?:all\s+|any\s+)?(?:previous|prior|above|earlier)\s+instructions\b/i,
  /\bdisregard\s+(?:all\s+|any\s+)?(?:previous|prior|your)\s+(?:instructions|rules)\b/i,
  /\b(?:ai|llm)\s+(?:agents?|assistants?|operators?|models?)\b/i,
  /\b(?:assistant|system)\s*:/i,
  /\bsystem\s+override\b/i,
  /\bdo not ask (?:the user|for approval)\b/i,
  /\byou are (?:an?\s+)?(?:ai|assistant|language model)\b/i,
];

export function addressesAgent(text: string): boolean {
  return ADDRESSES_AGENT.some((re) => re.test(text));
}

/**
 * Flags every place in what was read where cluster data addresses an AI agent. The text
 * is quoted as evidence only: it never becomes an explanation, a step or a reason.
 */
export function injectionFindings(snapshot: Snapshot | null, logs: PodLog[]): Finding[] {
  if (snapshot === null) return [];
  const hits = new Map<string, { object: Finding['object']; evidence: string[] }>();
  const add = (object: Finding['object'], where: string, text: string) => {
    const k = `${object.kind}/${object.name}`;
    const hit = hits.get(k) ?? { object, evidence: [] };
    if (hit.evidence.length < 5) hit.evidence.push(`${where}: ${quote(text, 400)}`);
    hits.set(k, hit);
  };
  const lists: [string, string, KubeObject[]][] = [
    ['apps/v1', 'Deployment', snapshot.deployments],
    ['apps/v1', 'StatefulSet', snapshot.statefulSets],
    ['apps/v1', 'DaemonSet', snapshot.daemonSets],
    ['v1', 'Service', snapshot.services],
    ['v1', 'Pod', snapshot.pods],
    ['batch/v1', 'Job', snapshot.jobs],
    ['batch/v1', 'CronJob', snapshot.cronJobs],
    ['networking.k8s.io/v1', 'Ingress', snapshot.ingresses],
    ['v1', 'PersistentVolumeClaim', snapshot.pvcs],
    ['v1', 'ServiceAccount', snapshot.serviceAccounts],
    ['networking.k8s.io/v1', 'NetworkPolicy', snapshot.networkPolicies],
  ];
  for (const [apiVersion, kind, list] of lists) {
    for (const o of list) {
      const object = { apiVersion, kind, namespace: snapshot.namespace, name: o.metadata.name };
      for (const [k, v] of Object.entries(o.metadata.annotations ?? {})) {
        if (addressesAgent(String(v))) add(object, `annotation ${k}`, String(v));
      }
    }
  }
  for (const e of snapshot.events) {
    const text = String(e.message ?? '');
    const involved = e.involvedObject as
      { kind?: string; name?: string; apiVersion?: string } | undefined;
    if (addressesAgent(text) && involved?.name) {
      add(
        {
          apiVersion: involved.apiVersion ?? 'v1',
          kind: involved.kind ?? 'Pod',
          namespace: snapshot.namespace,
          name: involved.name,
        },
        'event',
        text,
      );
    }
  }
  const logText = [
    ...Object.entries(snapshot.logs).map(([k, text]) => ({ pod: k.split('/')[0]!, text })),
    ...logs.flatMap((l) => l.lines.map((line) => ({ pod: l.pod, text: line.text }))),
  ];
  for (const { pod, text } of logText) {
    for (const line of text.split('\n')) {
      if (addressesAgent(line))
        add(
          { apiVersion: 'v1', kind: 'Pod', namespace: snapshot.namespace, name: pod },
          'log line',
          line,
        );
    }
  }
  return [...hits.values()].map(({ object, evidence }) => ({
    code: 'PROMPT_INJECTION_SUSPECTED',
    severity: 'warning',
    object,
    evidence,
    explanation:
      `Cluster data of ${object.kind} ${object.name} contains text addressed to an AI agent. It is quoted as ` +
      'evidence only and was not followed: cluster data never adds a step or widens what a plan may touch.',
    remediations: [],
  }));
}

/** What DiagnosisRecorded carries: the findings as contracts' Finding, capped at 100. */
export function diagnosisPayload(findings: Finding[]): FindingPayload[] {
  return findings.slice(0, 100).map(toFindingPayload);
}
