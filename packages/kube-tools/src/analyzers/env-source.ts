import type { Snapshot } from './snapshot.ts';

/** Env var names a log line says are missing. Only C identifiers are taken; the rest of the line is ignored. */
export function missingEnvNames(log: string): string[] {
  const names = new Set<string>();
  const patterns = [
    /\b([A-Z][A-Z0-9_]{1,63})\b[^\n]{0,40}?\b(?:is not set|not set|must be set|is required|is missing|missing|undefined|is empty)/g,
    /(?:missing|required|undefined|unset)[^\n]{0,40}?(?:environment variable|env var|variable)s?\s*:?\s*["'`]?([A-Z][A-Z0-9_]{1,63})\b/gi,
  ];
  for (const pattern of patterns) for (const m of log.matchAll(pattern)) names.add(m[1]!);
  return [...names];
}

export interface EnvSource {
  valueFrom:
    | { configMapKeyRef: { name: string; key: string } }
    | { secretKeyRef: { name: string; key: string } };
  /** "ConfigMap x" / "Secret y", for the reasoning. */
  source: string;
}

/**
 * The one ConfigMap or Secret in the namespace that has a key named exactly like the
 * variable; none or several: undefined (which one is meant is a person's call). Only key
 * names are compared; no value is read or copied.
 */
export function envSource(s: Snapshot, name: string): EnvSource | undefined {
  const cms = s.configMaps.filter((cm) => cm.keys.includes(name));
  const secrets = s.secrets.filter((sec) => sec.keys.includes(name));
  if (cms.length + secrets.length !== 1) return undefined;
  return cms.length
    ? {
        valueFrom: { configMapKeyRef: { name: cms[0]!.name, key: name } },
        source: `ConfigMap ${cms[0]!.name}`,
      }
    : {
        valueFrom: { secretKeyRef: { name: secrets[0]!.name, key: name } },
        source: `Secret ${secrets[0]!.name}`,
      };
}
