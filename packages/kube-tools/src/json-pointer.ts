import type { KubeObject } from './types.ts';

/** RFC 6901 helpers, plus the readable paths shown to approvers. */
export type Segment = string | number;

export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

export function pointer(segments: Segment[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function parsePointer(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getAt(value: unknown, segments: Segment[]): unknown {
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

/**
 * Ops that make `segments` hold `value` on `live`: `replace` when the member exists, else
 * one `add` at the first missing level carrying the nested rest (JSON patch cannot create
 * intermediate objects itself).
 */
export function setOps(live: unknown, segments: Segment[], value: unknown): JsonPatchOp[] {
  for (let depth = 0; depth < segments.length; depth += 1) {
    const parent = getAt(live, segments.slice(0, depth));
    const key = segments[depth]!;
    const present =
      parent !== null && typeof parent === 'object' && String(key) in (parent as object);
    if (!present) {
      let nested: unknown = value;
      for (let i = segments.length - 1; i > depth; i -= 1)
        nested = { [String(segments[i])]: nested };
      return [{ op: 'add', path: pointer(segments.slice(0, depth + 1)), value: nested }];
    }
  }
  return [{ op: 'replace', path: pointer(segments), value }];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((item, i) => deepEqual(item, bb[i]));
  }
  const ka = Object.keys(a as object).filter(
    (k) => (a as Record<string, unknown>)[k] !== undefined,
  );
  const kb = Object.keys(b as object).filter(
    (k) => (b as Record<string, unknown>)[k] !== undefined,
  );
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** True when every add/replace op's value is already what `live` holds at its path. */
export function opsHold(live: unknown, ops: JsonPatchOp[]): boolean {
  return ops
    .filter((op) => op.op === 'add' || op.op === 'replace' || op.op === 'remove')
    .every((op) => {
      const at = getAt(live, parsePointer(op.path));
      return op.op === 'remove' ? at === undefined : deepEqual(at, op.value);
    });
}

/**
 * Human path: `spec.template.spec.containers[app].image`. Array items with a `name` are
 * shown by name so an approver sees which container changes, not an index.
 */
export function readablePath(object: KubeObject | unknown, path: string): string {
  const segments = parsePointer(path);
  let current: unknown = object;
  let out = '';
  for (const segment of segments) {
    if (Array.isArray(current)) {
      const item = current[Number(segment)] as { name?: unknown } | undefined;
      out += item && typeof item.name === 'string' ? `[${item.name}]` : `[${segment}]`;
      current = item;
    } else {
      out += out === '' ? segment : `.${segment}`;
      current =
        current !== null && typeof current === 'object'
          ? (current as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return out || '.';
}

export function toJson(value: unknown): unknown {
  return value === undefined ? null : value;
}
