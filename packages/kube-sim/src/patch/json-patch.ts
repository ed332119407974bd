/** RFC 6902 JSON Patch (add, remove, replace, move, copy, test) and RFC 7386 merge patch. */
import { ApiError } from '../api/errors.ts';

type Json = unknown;
interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

/**
 * JSON equality as the API server's `test` applies it: object members in any order (a
 * client that stored the planned value canonically, keys sorted, must still match).
 */
function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as Json[];
    return a.length === other.length && a.every((item, i) => sameJson(item, other[i]));
  }
  const x = a as Record<string, Json>;
  const y = b as Record<string, Json>;
  const keys = Object.keys(x);
  return (
    keys.length === Object.keys(y).length &&
    keys.every((k) => Object.hasOwn(y, k) && sameJson(x[k], y[k]))
  );
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw patchError(`invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map(unescape);
}

function patchError(message: string): ApiError {
  // The API server answers a patch that cannot be applied with 422 (Invalid) for json patch.
  return new ApiError(422, 'Invalid', message);
}

function parentOf(doc: Json, tokens: string[], path: string): { parent: Json; key: string } {
  let current = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (current !== null && typeof current === 'object')
      current = (current as Record<string, Json>)[token];
    else current = undefined;
    if (current === undefined) throw patchError(`doc is missing path: "${path}": missing value`);
  }
  return { parent: current, key: tokens[tokens.length - 1]! };
}

function read(doc: Json, path: string): Json {
  let current = doc;
  for (const token of pointer(path)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (current !== null && typeof current === 'object')
      current = (current as Record<string, Json>)[token];
    else current = undefined;
    if (current === undefined) throw patchError(`doc is missing path: "${path}": missing value`);
  }
  return current;
}

function add(doc: Json, path: string, value: Json): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw patchError(`add operation does not apply: doc is missing path: "${path}"`);
    parent.splice(index, 0, value);
  } else if (parent !== null && typeof parent === 'object')
    (parent as Record<string, Json>)[key] = value;
  else throw patchError(`doc is missing path: "${path}"`);
  return doc;
}

function remove(doc: Json, path: string): Json {
  const tokens = pointer(path);
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!(index >= 0 && index < parent.length))
      throw patchError(
        `remove operation does not apply: doc is missing path: "${path}": missing value`,
      );
    parent.splice(index, 1);
  } else if (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, key))
    delete (parent as Record<string, Json>)[key];
  else
    throw patchError(
      `remove operation does not apply: doc is missing path: "${path}": missing value`,
    );
  return doc;
}

export function applyJsonPatch(document: Json, operations: unknown): Json {
  if (!Array.isArray(operations))
    throw new ApiError(400, 'BadRequest', 'json patch must be an array of operations');
  let doc = structuredClone(document);
  for (const raw of operations as Operation[]) {
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, structuredClone(raw.value));
        break;
      case 'remove':
        doc = remove(doc, raw.path);
        break;
      case 'replace':
        read(doc, raw.path);
        doc =
          raw.path === ''
            ? structuredClone(raw.value)
            : add(remove(doc, raw.path), raw.path, structuredClone(raw.value));
        break;
      case 'move': {
        const value = read(doc, raw.from ?? '');
        doc = add(remove(doc, raw.from ?? ''), raw.path, value);
        break;
      }
      case 'copy':
        doc = add(doc, raw.path, structuredClone(read(doc, raw.from ?? '')));
        break;
      case 'test':
        if (!sameJson(read(doc, raw.path), raw.value))
          throw patchError(`testing value ${raw.path} failed: test failed`);
        break;
      default:
        throw new ApiError(400, 'BadRequest', `Unexpected kind: ${String(raw.op)}`);
    }
  }
  return doc;
}

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
