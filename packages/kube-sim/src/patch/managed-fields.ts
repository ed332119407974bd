/**
 * metadata.managedFields bookkeeping: which manager owns which field paths, for server-side
 * apply conflicts and for the `Update` entries every other write leaves behind.
 */
import type { KObject } from '../api/types.ts';
import { changedPaths, fromFieldsV1, leafPaths, toFieldsV1, type FieldPath } from './fields.ts';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  paths: Map<string, FieldPath>;
}

export function readManaged(object: KObject | undefined): ManagerEntry[] {
  const raw = (object?.metadata.managedFields ?? []) as Record<string, unknown>[];
  return raw.map((e) => ({
    manager: String(e['manager'] ?? ''),
    operation: e['operation'] === 'Apply' ? 'Apply' : 'Update',
    apiVersion: String(e['apiVersion'] ?? ''),
    time: String(e['time'] ?? ''),
    ...(e['subresource'] ? { subresource: String(e['subresource']) } : {}),
    paths: new Map(fromFieldsV1(e['fieldsV1']).map((p) => [p.text, p])),
  }));
}

export function writeManaged(object: KObject, entries: ManagerEntry[]): void {
  const kept = entries.filter((e) => e.paths.size > 0);
  if (kept.length === 0) {
    delete object.metadata.managedFields;
    return;
  }
  object.metadata.managedFields = kept.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(e.paths.values()),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

/**
 * Records an Update by `manager`: it takes ownership of every field whose value changed
 * (or appeared), and other managers lose those fields.
 */
export function recordUpdate(
  oldObject: KObject | undefined,
  newObject: KObject,
  manager: string,
  subresource: string | undefined,
  time = new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
): void {
  const entries = readManaged(oldObject);
  const includeStatus = subresource === 'status';
  const changed: Map<string, FieldPath> =
    oldObject === undefined
      ? leafPaths(newObject, includeStatus)
      : changedPaths(oldObject, newObject, includeStatus);
  if (subresource === 'status')
    for (const text of [...changed.keys()]) if (!text.startsWith('.status')) changed.delete(text);
  if (changed.size === 0 && oldObject !== undefined) {
    writeManaged(newObject, entries);
    return;
  }
  for (const entry of entries) for (const text of changed.keys()) entry.paths.delete(text);
  let mine = entries.find(
    (e) => e.manager === manager && e.operation === 'Update' && e.subresource === subresource,
  );
  if (!mine) {
    mine = {
      manager,
      operation: 'Update',
      apiVersion: newObject.apiVersion,
      time: '',
      paths: new Map(),
      ...(subresource ? { subresource } : {}),
    };
    entries.push(mine);
  }
  mine.time = time;
  for (const [text, path] of changed) mine.paths.set(text, path);
  writeManaged(newObject, entries);
}
