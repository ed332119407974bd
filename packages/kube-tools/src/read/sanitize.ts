import { boundList, redact, redactEnvValue } from '../redact.ts';
import type { KubeObject } from '../types.ts';

/**
 * An object as tools show it: no managedFields, annotation values and env values
 * redacted, the last-applied-configuration annotation dropped (it repeats the object and
 * can hold literal env values), Secret data reduced to key names.
 */
export function sanitizeObject(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  delete copy.metadata.managedFields;
  if (copy.metadata.annotations) {
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(copy.metadata.annotations)) {
      if (k === 'kubectl.kubernetes.io/last-applied-configuration') continue;
      annotations[k] = redact(v);
    }
    copy.metadata.annotations = annotations;
  }
  if (copy.kind === 'Secret') {
    copy.data = Object.fromEntries(
      Object.keys(copy.data ?? {}).map((k) => [k, '[value not read]']),
    );
    delete copy.stringData;
  }
  const podSpec =
    copy.kind === 'Pod'
      ? copy.spec
      : (copy.spec?.template?.spec ?? copy.spec?.jobTemplate?.spec?.template?.spec);
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const c of podSpec?.[list] ?? []) {
      for (const e of c.env ?? [])
        if (typeof e.value === 'string') e.value = redactEnvValue(e.name, e.value);
      if (Array.isArray(c.args)) c.args = c.args.map((a: string) => redact(String(a)));
      if (Array.isArray(c.command)) c.command = c.command.map((a: string) => redact(String(a)));
    }
  }
  return copy;
}

export function boundedItems<T>(
  items: T[],
  max: number,
): { items: T[]; truncated: boolean; notes: string[] } {
  const b = boundList(items, max);
  return { items: b.value, truncated: b.truncated, notes: b.note ? [b.note] : [] };
}
