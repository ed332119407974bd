/**
 * Strategic merge patch as kubectl sends it: maps merge recursively, lists with a merge key
 * merge item by item, other lists are replaced; directives `$patch` (delete / replace /
 * merge), `$setElementOrder/<field>`, `$retainKeys` and `$deleteFromPrimitiveList/<field>`.
 */
import { badRequest } from '../api/errors.ts';
import { isMergedPrimitiveList, mergeKeyOf } from './merge-keys.ts';

type Json = unknown;
type JsonMap = Record<string, Json>;

function isMap(value: Json): value is JsonMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

export function applyStrategicPatch(original: Json, patch: Json): Json {
  if (!isMap(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeMap(isMap(original) ? original : {}, patch);
}

function mergeMap(original: JsonMap, patch: JsonMap): Json {
  const directive = patch['$patch'];
  if (directive === 'replace') return stripDirectives(patch);
  if (directive === 'delete') return undefined;
  const result: JsonMap = { ...original };
  const retainKeys = patch['$retainKeys'];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const remove = Array.isArray(value) ? value : [];
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((v) => !remove.includes(v));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = mergeValue(key, result[key], value);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER) || !Array.isArray(order)) continue;
    const field = key.slice(SET_ORDER.length);
    const list = result[field];
    if (Array.isArray(list)) result[field] = applyOrder(field, list, order);
  }
  if (Array.isArray(retainKeys)) {
    for (const key of Object.keys(result)) if (!retainKeys.includes(key)) delete result[key];
  }
  return result;
}

function mergeValue(field: string, original: Json, patch: Json): Json {
  if (isMap(patch)) return mergeMap(isMap(original) ? original : {}, patch);
  if (Array.isArray(patch)) return mergeList(field, Array.isArray(original) ? original : [], patch);
  return patch;
}

function mergeList(field: string, original: Json[], patch: Json[]): Json[] {
  const replace = patch.some((item) => isMap(item) && item['$patch'] === 'replace');
  if (replace)
    return patch
      .filter((item) => !(isMap(item) && item['$patch'] === 'replace'))
      .map(stripDirectives);
  const key = mergeKeyOf(field, [original, patch]);
  if (key === undefined) {
    if (isMergedPrimitiveList(field)) {
      const out = [...original];
      for (const item of patch) if (!out.includes(item)) out.push(item);
      return out;
    }
    return patch.map(stripDirectives);
  }
  const result = original.map((item) => item);
  for (const item of patch) {
    if (!isMap(item)) continue;
    const index = result.findIndex((o) => isMap(o) && o[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = mergeMap(result[index] as JsonMap, item);
    else result.push(stripDirectives(item));
  }
  return result;
}

/** Orders merged list items as `$setElementOrder` says; items it does not name keep their relative order at the end. */
function applyOrder(field: string, list: Json[], order: Json[]): Json[] {
  const key = mergeKeyOf(field, [list, order]);
  const identity = (item: Json): Json => (key !== undefined && isMap(item) ? item[key] : item);
  const wanted = order.map(identity);
  const ranked = list.map((item, index) => {
    const pos = wanted.findIndex((w) => w === identity(item));
    return { item, rank: pos === -1 ? wanted.length + index : pos };
  });
  return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.item);
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isMap(value)) return value;
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(value)) {
    if (
      k === '$patch' ||
      k === '$retainKeys' ||
      k.startsWith(SET_ORDER) ||
      k.startsWith(DELETE_PRIMITIVE)
    )
      continue;
    out[k] = stripDirectives(v);
  }
  return out;
}
