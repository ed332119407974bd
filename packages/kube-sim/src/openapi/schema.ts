/**
 * Turns model definitions into JSON schemas, in the dialect of each document:
 * swagger 2.0 refers to `#/definitions/…` and puts siblings next to `$ref`; OpenAPI 3.0
 * refers to `#/components/schemas/…` and wraps a described reference in `allOf`, as
 * kube-apiserver does (kubectl explain follows both forms).
 */
import type { Definition, Field, ListInfo } from './model.ts';
import { definition, referencedAlias } from './registry.ts';

export type Dialect = 'v2' | 'v3';
type Schema = Record<string, unknown>;

const SCALARS: Record<string, Schema> = {
  string: { type: 'string' },
  integer: { type: 'integer' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  number: { type: 'number', format: 'double' },
  boolean: { type: 'boolean' },
};

function refTo(alias: string, dialect: Dialect): Schema {
  const name = definition(alias).name;
  return { $ref: dialect === 'v2' ? `#/definitions/${name}` : `#/components/schemas/${name}` };
}

/** Schema of a type with no description of its own (list items, map values). */
function typeSchema(type: string, dialect: Dialect): Schema {
  if (type.startsWith('[]')) return { type: 'array', items: typeSchema(type.slice(2), dialect) };
  if (type.startsWith('map[') && type.endsWith(']')) {
    return { type: 'object', additionalProperties: typeSchema(type.slice(4, -1), dialect) };
  }
  if (type === 'time') return typeSchema('@Time', dialect);
  if (type === 'object') {
    return dialect === 'v3'
      ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
      : { type: 'object' };
  }
  const alias = referencedAlias(type);
  if (alias !== undefined) {
    if (dialect === 'v2') return refTo(alias, dialect);
    const scalar = definition(alias).scalar !== undefined;
    return scalar
      ? { allOf: [refTo(alias, dialect)] }
      : { allOf: [refTo(alias, dialect)], default: {} };
  }
  const scalar = SCALARS[type];
  if (scalar === undefined) throw new Error(`openapi model uses unknown type "${type}"`);
  return { ...scalar };
}

function listExtensions(list: ListInfo | undefined): Schema {
  if (list === undefined) return {};
  const out: Schema = {};
  if (list.listType !== undefined) out['x-kubernetes-list-type'] = list.listType;
  if (list.mapKeys !== undefined) out['x-kubernetes-list-map-keys'] = list.mapKeys;
  if (list.mergeKey !== undefined) out['x-kubernetes-patch-merge-key'] = list.mergeKey;
  if (list.strategy !== undefined) out['x-kubernetes-patch-strategy'] = list.strategy;
  return out;
}

export function fieldSchema([type, description, list]: Field, dialect: Dialect): Schema {
  const base = typeSchema(type, dialect);
  return { ...base, description, ...listExtensions(list) };
}

export function definitionSchema(def: Definition, dialect: Dialect): Schema {
  if (def.scalar !== undefined) return { description: def.description, ...def.scalar };
  const properties: Record<string, Schema> = {};
  for (const [name, field] of Object.entries(def.fields))
    properties[name] = fieldSchema(field, dialect);
  const schema: Schema = { description: def.description, type: 'object', properties };
  if (def.required !== undefined) schema.required = def.required;
  if (def.open === true && dialect === 'v3') schema['x-kubernetes-preserve-unknown-fields'] = true;
  if (def.gvk !== undefined) schema['x-kubernetes-group-version-kind'] = def.gvk;
  return schema;
}

/** Every definition alias reachable from `roots`, roots included. */
export function closure(roots: string[]): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const alias = stack.pop() as string;
    if (seen.has(alias)) continue;
    seen.add(alias);
    for (const [type] of Object.values(definition(alias).fields)) {
      const next = referencedAlias(type.replace(/^time$/, '@Time'));
      if (next !== undefined && !seen.has(next)) stack.push(next);
    }
  }
  return [...seen];
}
