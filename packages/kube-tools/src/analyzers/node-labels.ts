import type { KubeObject } from '../types.ts';
import { editDistance } from './helpers.ts';

/** A nodeSelector rewritten to labels nodes carry, and what changed, in words. */
export interface SelectorRepair {
  nodeSelector: Record<string, string>;
  changes: string[];
  /** Schedulable nodes the repaired selector matches. */
  matches: string[];
}

/** A node that can take new pods: not cordoned, not tainted by the node controller. */
export function schedulable(node: KubeObject): boolean {
  if (node.spec?.unschedulable) return false;
  return !(node.spec?.taints ?? []).some((t: { key: string }) =>
    t.key.startsWith('node.kubernetes.io/'),
  );
}

export function selects(selector: Record<string, string>, node: KubeObject): boolean {
  return Object.entries(selector).every(([k, v]) => node.metadata.labels?.[k] === v);
}

/** Letters and digits only, lower case: `disktype`, `disk-type` and `Disk_Type` are one key. */
const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
const near = (a: string, b: string) => squash(a) === squash(b) || editDistance(a, b) <= 2;

/**
 * Repairs the entries of a nodeSelector that no node carries, from the labels the nodes
 * actually have: a value one or two edits away from a value nodes carry under the same key
 * (`egde` → `edge`), the only value nodes carry under that key, or a key that differs only
 * in spelling (`disktype` → `disk-type`) under which nodes carry the value. Each repair
 * must be the only candidate, and the repaired selector must match a schedulable node;
 * otherwise which nodes a workload belongs on is a person's call, and this returns null.
 */
export function repairSelector(
  nodes: KubeObject[],
  selector: Record<string, string>,
): SelectorRepair | null {
  const next: Record<string, string> = {};
  const changes: string[] = [];
  const labels = nodes.map((n) => n.metadata.labels ?? {});
  const valuesOf = (key: string) => [
    ...new Set(labels.map((l) => l[key]).filter((v): v is string => v !== undefined)),
  ];
  for (const [key, value] of Object.entries(selector)) {
    if (labels.some((l) => l[key] === value)) {
      next[key] = value;
      continue;
    }
    const values = valuesOf(key);
    if (values.length > 0) {
      const close = values.filter((v) => near(v, value));
      const chosen = close.length === 1 ? close[0]! : values.length === 1 ? values[0]! : null;
      if (chosen === null) return null;
      next[key] = chosen;
      changes.push(
        `${key}=${value} → ${key}=${chosen} (${close.length === 1 ? 'the near-identical value' : 'the only value'} nodes carry under ${key})`,
      );
      continue;
    }
    const keys = [...new Set(labels.flatMap((l) => Object.keys(l)))].filter(
      (k) => k !== key && near(k, key) && !(k in selector),
    );
    const candidates = keys.flatMap((k) => {
      const vs = valuesOf(k);
      if (vs.includes(value)) return [{ key: k, value }];
      const close = vs.filter((v) => near(v, value));
      return close.length === 1 ? [{ key: k, value: close[0]! }] : [];
    });
    if (candidates.length !== 1) return null;
    const { key: k, value: v } = candidates[0]!;
    next[k] = v;
    changes.push(`${key}=${value} → ${k}=${v} (no node has the key ${key}; nodes carry ${k})`);
  }
  if (changes.length === 0) return null;
  const matches = nodes
    .filter((n) => schedulable(n) && selects(next, n))
    .map((n) => n.metadata.name);
  if (matches.length === 0) return null;
  return { nodeSelector: next, changes, matches };
}
