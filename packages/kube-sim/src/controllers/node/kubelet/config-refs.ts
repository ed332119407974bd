/**
 * What the kubelet checks before it creates a container: every ConfigMap/Secret (and key)
 * referenced by env/envFrom must exist (else CreateContainerConfigError), and every
 * configMap/secret/PVC volume must exist (else the pod stays ContainerCreating with a
 * FailedMount event). Secrets are read here and only here; their values go into the
 * simulated process environment and are never written anywhere else.
 */
import type { KObject } from '../../../api/types.ts';
import type { ContainerSpec, PodObject } from '../pod-model.ts';

export interface ConfigLookup {
  configMap(namespace: string, name: string): KObject | undefined;
  secret(namespace: string, name: string): KObject | undefined;
  pvc(namespace: string, name: string): KObject | undefined;
}

function dataOf(object: KObject, secret: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const data = (object['data'] ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(data)) {
    out[k] = secret ? Buffer.from(v, 'base64').toString('utf8') : v;
  }
  if (secret) Object.assign(out, (object['stringData'] ?? {}) as Record<string, string>);
  else for (const k of Object.keys((object['binaryData'] ?? {}) as object)) out[k] ??= '';
  return out;
}

export type EnvResult = { env: Record<string, string> } | { error: string };

/** The container's environment, or the kubelet's CreateContainerConfigError message. */
export function resolveEnv(
  pod: PodObject,
  container: ContainerSpec,
  lookup: ConfigLookup,
  extra: Record<string, string>,
): EnvResult {
  const ns = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = { ...extra };
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.configMapRef) {
      const cm = lookup.configMap(ns, source.configMapRef.name);
      if (!cm) {
        if (source.configMapRef.optional) continue;
        return { error: `configmap "${source.configMapRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(dataOf(cm, false))) env[prefix + k] = v;
    }
    if (source.secretRef) {
      const s = lookup.secret(ns, source.secretRef.name);
      if (!s) {
        if (source.secretRef.optional) continue;
        return { error: `secret "${source.secretRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(dataOf(s, true))) env[prefix + k] = v;
    }
  }
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (!from) {
      env[e.name] = expand(e.value ?? '', env);
      continue;
    }
    if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const cm = lookup.configMap(ns, ref.name);
      if (!cm) {
        if (ref.optional) continue;
        return { error: `configmap "${ref.name}" not found` };
      }
      const data = dataOf(cm, false);
      if (!Object.hasOwn(data, ref.key)) {
        if (ref.optional) continue;
        return { error: `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` };
      }
      env[e.name] = data[ref.key]!;
    } else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const s = lookup.secret(ns, ref.name);
      if (!s) {
        if (ref.optional) continue;
        return { error: `secret "${ref.name}" not found` };
      }
      const data = dataOf(s, true);
      if (!Object.hasOwn(data, ref.key)) {
        if (ref.optional) continue;
        return { error: `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` };
      }
      env[e.name] = data[ref.key]!;
    } else if (from.fieldRef) {
      env[e.name] = fieldValue(pod, from.fieldRef.fieldPath);
    } else {
      env[e.name] = '';
    }
  }
  return { env };
}

/** $(VAR) references to earlier variables, as the kubelet expands them; $$ escapes. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name: string | undefined) =>
    name === undefined ? '$' : (env[name] ?? all),
  );
}

function fieldValue(pod: PodObject, path: string): string {
  const status = (pod.status ?? {}) as Record<string, unknown>;
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata[m[1] as 'labels'] ?? {})[m[2]!] ?? '';
  const table: Record<string, unknown> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec.nodeName,
    'spec.serviceAccountName': pod.spec.serviceAccountName,
    'status.podIP': status['podIP'],
    'status.hostIP': status['hostIP'],
  };
  const v = table[path];
  return typeof v === 'string' ? v : '';
}

/** The first volume whose source is missing, as the FailedMount event words it. */
export function missingVolume(pod: PodObject, lookup: ConfigLookup): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap && !v.configMap.optional && !lookup.configMap(ns, v.configMap.name)) {
      return `MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found`;
    }
    if (v.secret && !v.secret.optional && !lookup.secret(ns, v.secret.secretName)) {
      return `MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found`;
    }
  }
  return undefined;
}
