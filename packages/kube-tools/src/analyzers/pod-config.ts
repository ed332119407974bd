import { quote } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import {
  containerStates,
  editDistance,
  eventEvidence,
  eventsFor,
  groupByOwner,
  isWorkloadKind,
} from './helpers.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

type Ref = {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  key?: string;
  optional?: boolean;
  /** Set for env[].valueFrom references: the container and variable that hold it. */
  env?: { container: string; variable: string };
  /** Set for a plain ConfigMap volume: its name and the keys its `items` select. */
  volume?: { name: string; keys: string[] };
};

/** Every Secret/ConfigMap a pod spec refers to (env, envFrom, volumes, projected sources). */
export function podRefs(pod: KubeObject): Ref[] {
  const refs: Ref[] = [];
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    for (const e of c.env ?? []) {
      const env = { container: c.name, variable: e.name };
      if (e.valueFrom?.secretKeyRef)
        refs.push({ kind: 'Secret', ...e.valueFrom.secretKeyRef, env });
      if (e.valueFrom?.configMapKeyRef)
        refs.push({ kind: 'ConfigMap', ...e.valueFrom.configMapKeyRef, env });
    }
    for (const f of c.envFrom ?? []) {
      if (f.secretRef)
        refs.push({ kind: 'Secret', name: f.secretRef.name, optional: f.secretRef.optional });
      if (f.configMapRef)
        refs.push({
          kind: 'ConfigMap',
          name: f.configMapRef.name,
          optional: f.configMapRef.optional,
        });
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v.secret)
      refs.push({ kind: 'Secret', name: v.secret.secretName, optional: v.secret.optional });
    if (v.configMap)
      refs.push({
        kind: 'ConfigMap',
        name: v.configMap.name,
        optional: v.configMap.optional,
        volume: {
          name: v.name,
          keys: (v.configMap.items ?? []).map((i: { key: string }) => i.key),
        },
      });
    for (const src of v.projected?.sources ?? []) {
      if (src.secret)
        refs.push({ kind: 'Secret', name: src.secret.name, optional: src.secret.optional });
      if (src.configMap)
        refs.push({
          kind: 'ConfigMap',
          name: src.configMap.name,
          optional: src.configMap.optional,
        });
    }
  }
  return refs;
}

// A pod that refers to a Secret/ConfigMap (or a key of one) that does not exist. Opsloop
// names exactly what is missing; it only repoints a reference at an object or key that
// exists under a near-identical name, and never creates one or writes a value.
/** Same name once case and separators are ignored ("stripe-api-key" ~ "stripe_api_key"), or a 1–2 letter typo. */
function near(wanted: string, candidates: string[]): string | undefined {
  const norm = (x: string) => x.toLowerCase().replace(/[-_.]/g, '');
  const same = candidates.filter((c) => norm(c) === norm(wanted));
  if (same.length === 1) return same[0];
  const close = candidates.filter((c) => editDistance(c, wanted) <= 2);
  return close.length === 1 ? close[0] : undefined;
}

function nearHint(ref: Ref, keys: string[] | undefined, pool: Map<string, string[]>): string {
  const guess =
    keys && ref.key !== undefined
      ? near(ref.key, keys)
      : !keys
        ? near(ref.name, [...pool.keys()])
        : undefined;
  if (guess)
    return `${ref.kind} ${keys ? `${ref.name} has key "${guess}"` : `"${guess}" exists`}: probably what was meant. `;
  if (!keys && pool.size)
    return `Existing ${ref.kind}s: ${[...pool.keys()].slice(0, 8).join(', ')}. `;
  return '';
}

/**
 * Only an env var reference can be corrected with a catalog action (SetContainerEnv); the
 * fix points it at the key or object that exists under a near-identical name. Values are
 * never copied: the variable still reads them from the cluster.
 */
function referenceFix(
  owner: KubeObject,
  ref: Ref,
  code: string,
  pool: Map<string, string[]>,
): Remediation[] {
  if (ref.volume && code === 'CONFIGMAP_MISSING') return volumeFix(owner, ref, ref.volume, pool);
  if (!ref.env || !isWorkloadKind(owner.kind)) return [];
  const keys = pool.get(ref.name);
  const refKey = ref.kind === 'Secret' ? 'secretKeyRef' : 'configMapKeyRef';
  let target: { name: string; key: string } | undefined;
  if (code.endsWith('_KEY_MISSING') && keys && ref.key !== undefined) {
    const key = near(ref.key, keys);
    if (key) target = { name: ref.name, key };
  } else if (code.endsWith('_MISSING') && !keys && ref.key !== undefined) {
    const name = near(ref.name, [...pool.keys()]);
    if (name && pool.get(name)!.includes(ref.key)) target = { name, key: ref.key };
  }
  if (!target) return [];
  return [
    {
      action: 'SetContainerEnv',
      args: {
        namespace: owner.metadata.namespace,
        kind: owner.kind,
        name: owner.metadata.name,
        container: ref.env.container,
        set: [
          {
            name: ref.env.variable,
            valueFrom: { [refKey]: { name: target.name, key: target.key } },
          },
        ],
        remove: [],
      },
      confidence: 0.7,
      reasoning: `${ref.env.variable} refers to ${ref.kind} ${ref.name} key "${ref.key}", which does not exist; ${ref.kind} ${target.name} has key "${target.key}", the same name up to case, separators or a typo`,
    },
  ];
}

/**
 * A ConfigMap volume naming a ConfigMap that does not exist, when exactly one existing
 * ConfigMap has a near-identical name and every key the volume selects: repoint the volume
 * (SetConfigMapVolume). Nothing is created, so the content is still the cluster's own.
 */
function volumeFix(
  owner: KubeObject,
  ref: Ref,
  volume: { name: string; keys: string[] },
  pool: Map<string, string[]>,
): Remediation[] {
  if (!isWorkloadKind(owner.kind)) return [];
  const name = near(ref.name, [...pool.keys()]);
  if (!name || !volume.keys.every((k) => pool.get(name)!.includes(k))) return [];
  return [
    {
      action: 'SetConfigMapVolume',
      args: {
        namespace: owner.metadata.namespace,
        kind: owner.kind,
        name: owner.metadata.name,
        volume: volume.name,
        configMap: name,
      },
      confidence: 0.6,
      reasoning: `volume ${volume.name} mounts ConfigMap ${ref.name}, which does not exist; ConfigMap ${name} exists under a near-identical name (keys: ${pool.get(name)!.join(', ') || 'none'}). Check that its content is what the workload expects`,
    },
  ];
}

export const missingConfigAnalyzer: Analyzer = {
  name: 'pod-missing-config',
  codes: ['SECRET_MISSING', 'SECRET_KEY_MISSING', 'CONFIGMAP_MISSING', 'CONFIGMAP_KEY_MISSING'],
  analyze(s) {
    // Where Secrets may not be read (the deployed planner's identity), the snapshot has
    // none: a Secret reference is then judged only by what the kubelet reports.
    const secretsReadable = !s.unreadable.some((u) => u.resource === 'secrets');
    const secrets = new Map(s.secrets.map((x) => [x.name, x.keys]));
    const configMaps = new Map(s.configMaps.map((x) => [x.name, x.keys]));
    const items: { pod: KubeObject; ref: Ref; code: string }[] = [];
    for (const pod of s.pods) {
      if (pod.status?.phase === 'Running' || pod.status?.phase === 'Succeeded') {
        const allReady = containerStates(pod).every((c) => c.status.ready || c.init);
        if (allReady) continue;
      }
      for (const ref of podRefs(pod)) {
        if (ref.optional) continue;
        if (ref.kind === 'Secret' && !secretsReadable) {
          const code = reportedSecretProblem(s, pod, ref);
          if (code) items.push({ pod, ref, code });
          continue;
        }
        const keys = (ref.kind === 'Secret' ? secrets : configMaps).get(ref.name);
        const prefix = ref.kind === 'Secret' ? 'SECRET' : 'CONFIGMAP';
        if (!keys) items.push({ pod, ref, code: `${prefix}_MISSING` });
        else if (ref.key !== undefined && !keys.includes(ref.key))
          items.push({ pod, ref, code: `${prefix}_KEY_MISSING` });
      }
    }
    const findings: Finding[] = [];
    for (const [owner, group] of groupByOwner(s, items)) {
      const seen = new Set<string>();
      for (const item of group) {
        const id = `${item.code}/${item.ref.name}/${item.ref.key ?? ''}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const { ref } = item;
        const keys = (ref.kind === 'Secret' ? secrets : configMaps).get(ref.name);
        const events = eventsFor(s, 'Pod', item.pod)
          .filter((e) => e.type === 'Warning')
          .slice(0, 2);
        const waiting = containerStates(item.pod)
          .map((c) => c.status.state?.waiting)
          .find((w) => w?.reason);
        const keyMissing = item.code.endsWith('_KEY_MISSING');
        const what =
          ref.key !== undefined && (keys || keyMissing)
            ? `key "${ref.key}" of ${ref.kind} ${ref.name}`
            : `${ref.kind} ${ref.name}`;
        const unread = ref.kind === 'Secret' && !secretsReadable;
        findings.push({
          code: item.code,
          severity: 'critical',
          object: objectOf(owner),
          evidence: [
            `pod ${item.pod.metadata.name} refers to ${what}${ref.key !== undefined && !keys && !keyMissing ? ` (key "${ref.key}")` : ''}`,
            unread
              ? `Secrets are not read with this identity: the kubelet's report is the evidence`
              : keys
                ? `${ref.kind} ${ref.name} has keys: ${keys.length ? keys.join(', ') : '(none)'}`
                : `no ${ref.kind} named ${quote(ref.name)} exists in ${s.namespace}`,
            ...(waiting
              ? [
                  `container waiting: ${waiting.reason}${waiting.message ? ` ${quote(String(waiting.message))}` : ''}`,
                ]
              : []),
            ...events.map(eventEvidence),
          ],
          explanation: `The pod cannot start because ${what} does not exist${keys || keyMissing ? '' : ' in the namespace'}.`,
          remediations: referenceFix(
            owner,
            ref,
            item.code,
            ref.kind === 'Secret' ? secrets : configMaps,
          ),
          humanAction:
            nearHint(ref, keys, ref.kind === 'Secret' ? secrets : configMaps) +
            (ref.kind === 'Secret'
              ? `Create ${what} in namespace ${s.namespace} with the right value (Opsloop never reads or writes secret values), or correct the reference if it names the wrong ${ref.key !== undefined ? 'key' : 'Secret'}.`
              : `Create ${what} in namespace ${s.namespace}, or correct the reference if it names the wrong ${ref.key !== undefined ? 'key' : 'ConfigMap'}.`),
        });
      }
    }
    return mergeEnvFixes(findings);
  },
};

/**
 * Several broken env references of one container (REDIS_URL and REDIS_DB both naming keys
 * that exist only in lower case) are one fix: a plan takes one step per object, and a
 * step that repaired one variable would leave the pod just as stuck on the next. So every
 * finding's SetContainerEnv on a container becomes the same step setting all of them.
 */
export function mergeEnvFixes(findings: Finding[]): Finding[] {
  const byContainer = new Map<string, Remediation[]>();
  const keyOf = (r: Remediation) =>
    `${String(r.args.kind)}/${String(r.args.name)}/${String(r.args.container)}`;
  for (const f of findings)
    for (const r of f.remediations)
      if (r.action === 'SetContainerEnv')
        byContainer.set(keyOf(r), [...(byContainer.get(keyOf(r)) ?? []), r]);
  const merged = new Map<string, Remediation>();
  for (const [key, fixes] of byContainer) {
    if (fixes.length < 2) continue;
    const set = new Map<string, unknown>();
    for (const r of fixes)
      for (const v of r.args.set as { name: string }[]) if (!set.has(v.name)) set.set(v.name, v);
    merged.set(key, {
      ...fixes[0]!,
      args: { ...fixes[0]!.args, set: [...set.values()] },
      confidence: Math.min(...fixes.map((r) => r.confidence)),
      reasoning: [...new Set(fixes.map((r) => r.reasoning))].join('; '),
    });
  }
  for (const f of findings)
    f.remediations = f.remediations.map((r) =>
      r.action === 'SetContainerEnv' ? (merged.get(keyOf(r)) ?? r) : r,
    );
  return findings;
}

export const mountAnalyzer: Analyzer = {
  name: 'pod-mount',
  codes: ['VOLUME_MOUNT_FAILED'],
  analyze(s) {
    const items = s.pods
      .filter((pod) => pod.status?.phase === 'Pending')
      .map((pod) => ({
        pod,
        event: eventsFor(s, 'Pod', pod).find(
          (e) => e.reason === 'FailedMount' || e.reason === 'FailedAttachVolume',
        ),
      }))
      .filter((x): x is { pod: KubeObject; event: KubeObject } => x.event !== undefined)
      // Missing Secrets/ConfigMaps are reported with their exact name by pod-missing-config.
      .filter((x) => !/(secret|configmap) "[^"]+" not found/i.test(String(x.event.message ?? '')));
    return [...groupByOwner(s, items)].map(([owner, group]) => ({
      code: 'VOLUME_MOUNT_FAILED',
      severity: 'critical' as const,
      object: objectOf(owner),
      evidence: [eventEvidence(group[0]!.event), `${group.length} pod(s) waiting on the mount`],
      explanation: 'A volume of the pod cannot be mounted, so its containers never start.',
      remediations: [],
      humanAction:
        'Fix the volume source named in the event (claim, storage backend or referenced object).',
    }));
  },
};

/**
 * What the kubelet says about a Secret reference it could not resolve (CreateContainerConfigError):
 * `secret "NAME" not found` or `couldn't find key KEY in Secret NS/NAME`, in the container's
 * waiting message or the pod's Warning events. Null when it reports nothing about this one.
 */
function reportedSecretProblem(s: Snapshot, pod: KubeObject, ref: Ref): string | null {
  const messages = [
    ...containerStates(pod).map((c) => String(c.status.state?.waiting?.message ?? '')),
    ...eventsFor(s, 'Pod', pod)
      .filter((e) => e.type === 'Warning')
      .map((e) => String(e.message ?? '')),
  ];
  const keyMissing =
    ref.key !== undefined && `couldn't find key ${ref.key} in Secret ${s.namespace}/${ref.name}`;
  if (keyMissing && messages.some((m) => m.includes(keyMissing))) return 'SECRET_KEY_MISSING';
  if (messages.some((m) => m.includes(`secret "${ref.name}" not found`))) return 'SECRET_MISSING';
  return null;
}
