/**
 * A compact description of the API's object shapes, from which both OpenAPI documents
 * (v2 definitions, v3 components) are generated. Each field is
 * `[type, description, list?]` where type is one of:
 *   string | integer | int32 | int64 | boolean | number | time | object
 *   @Name          a reference to another definition (short name, resolved by `defs`)
 *   []T            a list of T            map[T]   an object with values of T
 * A definition is closed (its fields are all the fields there are; strict validation
 * reports others) unless `open` is set, which keeps unknown fields.
 */

export interface ListInfo {
  /** x-kubernetes-patch-merge-key: the field identifying an item in strategic merge. */
  mergeKey?: string;
  strategy?: 'merge' | 'merge,retainKeys' | 'replace';
  listType?: 'atomic' | 'map' | 'set';
  mapKeys?: string[];
}

export type Field = [type: string, description: string, list?: ListInfo];

export interface Definition {
  /** Full definition name, e.g. io.k8s.api.apps.v1.Deployment. */
  name: string;
  description: string;
  fields: Record<string, Field>;
  open?: boolean;
  required?: string[];
  /** Set on top-level kinds: the x-kubernetes-group-version-kind entries. */
  gvk?: { group: string; version: string; kind: string }[];
  /** A scalar definition (Quantity, IntOrString, Time): its JSON schema type and format. */
  scalar?: { type: string; format?: string };
}

/** `name` merges by key `key` (and is a list-map keyed by it). */
export function byKey(key: string, mapKeys: string[] = [key]): ListInfo {
  return { mergeKey: key, strategy: 'merge', listType: 'map', mapKeys };
}
export const ATOMIC: ListInfo = { listType: 'atomic' };
export const SET: ListInfo = { listType: 'set' };
