/**
 * Field paths as server-side apply names them in conflict messages
 * (`.spec.template.spec.containers[name="web"].image`), and their `FieldsV1` form
 * (`{"f:spec":{"f:replicas":{}}}`) as stored in metadata.managedFields.
 */
import { isMergedPrimitiveList, mergeKeyOf } from './merge-keys.ts';

type Json = unknown;
type JsonMap = Record<string, Json>;

function isMap(value: Json): value is JsonMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Paths never owned by a manager. */
const IGNORED = new Set([
  '.apiVersion',
  '.kind',
  '.metadata.name',
  '.metadata.namespace',
  '.metadata.resourceVersion',
  '.metadata.uid',
  '.metadata.creationTimestamp',
  '.metadata.generation',
  '.metadata.managedFields',
  '.metadata.selfLink',
  '.metadata.deletionTimestamp',
  '.status',
]);

/** A path segment: a field (`f`), a list item by merge key (`k`) or a set value (`v`). */
type Segment = { f: string } | { k: string; key: string; value: Json } | { v: Json };

export interface FieldPath {
  text: string;
  segments: Segment[];
}

export function leafPaths(object: Json, includeStatus = false): Map<string, FieldPath> {
  return changedPaths(NONE, object, includeStatus);
}

/** Marks "no previous object": every leaf of the new one counts as changed. */
const NONE = Symbol('none');

/**
 * Leaf paths of `object` whose value differs from `previous` (all of them when previous is
 * NONE). One walk over both objects; subtrees are compared only where they can differ.
 */
export function changedPaths(
  previous: Json,
  object: Json,
  includeStatus = false,
): Map<string, FieldPath> {
  const out = new Map<string, FieldPath>();
  walk(object, previous, [], '', out);
  for (const key of [...out.keys()]) {
    if (IGNORED.has(key) && !(includeStatus && key === '.status')) out.delete(key);
    if (!includeStatus && key.startsWith('.status.')) out.delete(key);
  }
  return out;
}

function sameLeaf(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function walk(
  value: Json,
  old: Json,
  segments: Segment[],
  text: string,
  out: Map<string, FieldPath>,
): void {
  if (isMap(value) && Object.keys(value).length > 0) {
    const oldMap = isMap(old) ? old : undefined;
    for (const [k, v] of Object.entries(value))
      walk(
        v,
        oldMap === undefined ? NONE : Object.hasOwn(oldMap, k) ? oldMap[k] : NONE,
        [...segments, { f: k }],
        `${text}.${k}`,
        out,
      );
    return;
  }
  const last = segments[segments.length - 1];
  const field = last !== undefined && 'f' in last ? last.f : '';
  if (Array.isArray(value) && value.length > 0) {
    const oldList = Array.isArray(old) ? old : [];
    const key = mergeKeyOf(field, [value]);
    if (key !== undefined && value.every((item) => isMap(item) && item[key] !== undefined)) {
      for (const item of value as JsonMap[]) {
        const id = item[key];
        const itemText = `${text}[${key}=${JSON.stringify(id)}]`;
        const itemSegs: Segment[] = [...segments, { k: field, key, value: id }];
        const oldItem = oldList.find((o) => isMap(o) && o[key] === id);
        if (oldItem === undefined) out.set(itemText, { text: itemText, segments: itemSegs });
        for (const [k, v] of Object.entries(item))
          walk(
            v,
            isMap(oldItem) && Object.hasOwn(oldItem, k) ? oldItem[k] : NONE,
            [...itemSegs, { f: k }],
            `${itemText}.${k}`,
            out,
          );
      }
      return;
    }
    if (isMergedPrimitiveList(field)) {
      for (const item of value) {
        if (oldList.includes(item)) continue;
        const itemText = `${text}[=${JSON.stringify(item)}]`;
        out.set(itemText, { text: itemText, segments: [...segments, { v: item }] });
      }
      return;
    }
  }
  if (old === NONE || !sameLeaf(value, old)) out.set(text, { text, segments });
}

/** Reads the value at a path (undefined when absent). */
export function valueAt(object: Json, path: FieldPath): Json {
  let current: Json = object;
  for (const seg of path.segments) {
    if ('f' in seg) current = isMap(current) ? current[seg.f] : undefined;
    else if ('k' in seg)
      current = Array.isArray(current)
        ? current.find((i) => isMap(i) && i[seg.key] === seg.value)
        : undefined;
    else current = Array.isArray(current) && current.includes(seg.v) ? seg.v : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Removes the value at a path; returns whether something was removed. */
export function removeAt(object: Json, path: FieldPath): boolean {
  const parentPath = { text: '', segments: path.segments.slice(0, -1) };
  const last = path.segments[path.segments.length - 1];
  if (last === undefined) return false;
  // The container of the last segment: for `k`/`v` segments it is the list under the previous field.
  const parent = valueAt(object, parentPath);
  if ('f' in last) {
    if (!isMap(parent) || !(last.f in parent)) return false;
    delete parent[last.f];
    return true;
  }
  if (!Array.isArray(parent)) return false;
  const index =
    'k' in last
      ? parent.findIndex((i) => isMap(i) && i[last.key] === last.value)
      : parent.indexOf(last.v);
  if (index < 0) return false;
  parent.splice(index, 1);
  return true;
}

export function toFieldsV1(paths: Iterable<FieldPath>): JsonMap {
  const root: JsonMap = {};
  for (const path of paths) {
    let node = root;
    for (const seg of path.segments) {
      if ('k' in seg) {
        // The list field itself was the previous `f` segment; the item key nests inside it.
        const name = `k:${JSON.stringify({ [seg.key]: seg.value })}`;
        node = (node[name] ??= { '.': {} }) as JsonMap;
      } else if ('v' in seg) node = (node[`v:${JSON.stringify(seg.v)}`] ??= {}) as JsonMap;
      else node = (node[`f:${seg.f}`] ??= {}) as JsonMap;
    }
  }
  return root;
}

/** The inverse of toFieldsV1 (used to read managedFields back). */
export function fromFieldsV1(fields: Json): FieldPath[] {
  const out: FieldPath[] = [];
  const visit = (node: Json, segments: Segment[], text: string): void => {
    const entries = isMap(node) ? Object.entries(node).filter(([k]) => k !== '.') : [];
    if (entries.length === 0 && segments.length > 0) out.push({ text, segments });
    for (const [name, child] of entries) {
      if (name.startsWith('f:')) {
        const f = name.slice(2);
        visit(child, [...segments, { f }], `${text}.${f}`);
      } else if (name.startsWith('k:')) {
        const obj = JSON.parse(name.slice(2)) as JsonMap;
        const [key, value] = Object.entries(obj)[0] ?? ['', ''];
        const last = segments[segments.length - 1];
        const field = last !== undefined && 'f' in last ? last.f : '';
        const itemText = `${text}[${key}=${JSON.stringify(value)}]`;
        const segs: Segment[] = [...segments, { k: field, key, value }];
        out.push({ text: itemText, segments: segs });
        if (isMap(child) && Object.keys(child).some((k) => k !== '.')) visit(child, segs, itemText);
      } else if (name.startsWith('v:')) {
        const v = JSON.parse(name.slice(2)) as Json;
        out.push({ text: `${text}[=${JSON.stringify(v)}]`, segments: [...segments, { v }] });
      }
    }
  };
  visit(fields, [], '');
  return out;
}
