/**
 * Unknown-field detection for `fieldValidation=Strict|Warn`, driven by the same model as the
 * documents. Only definitions the model describes completely are checked; open ones (and
 * fields typed `object`) accept anything, so a valid manifest is never rejected for a
 * field the model leaves undescribed.
 */
import type { KObject } from '../api/types.ts';
import { findKind } from '../resources.ts';
import type { Definition } from './model.ts';
import { definition, kindDefinition, referencedAlias } from './registry.ts';

function walkType(type: string, value: unknown, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  if (type.startsWith('[]')) {
    if (Array.isArray(value))
      value.forEach((item, i) => walkType(type.slice(2), item, `${path}[${i}]`, out));
    return;
  }
  if (type.startsWith('map[')) {
    const inner = type.slice(4, -1);
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) walkType(inner, item, `${path}.${key}`, out);
    }
    return;
  }
  const alias = referencedAlias(type);
  if (alias !== undefined) walkDefinition(definition(alias), value, path, out);
}

function walkDefinition(def: Definition, value: unknown, path: string, out: string[]): void {
  if (
    def.scalar !== undefined ||
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value)
  )
    return;
  for (const [key, item] of Object.entries(value)) {
    const field = def.fields[key];
    const at = path === '' ? key : `${path}.${key}`;
    if (field === undefined) {
      if (def.open !== true) out.push(at);
      continue;
    }
    walkType(field[0], item, at, out);
  }
}

/**
 * Paths of the fields of `object` its kind does not have, in the form kube-apiserver
 * reports them (`spec.template.spec.containers[0].imagePullPolicyy`). Empty for an
 * unknown kind. The server answers Strict with 400 `strict decoding error: unknown field
 * "<path>"` (one per field, joined by ", "), and Warn with a Warning header per field.
 */
export function unknownFields(object: KObject): string[] {
  const resource = findKind(object.apiVersion ?? '', object.kind ?? '');
  if (resource === undefined) return [];
  const out: string[] = [];
  walkDefinition(kindDefinition(resource), object, '', out);
  return out;
}
