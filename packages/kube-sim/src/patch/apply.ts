/**
 * Server-side apply (`application/apply-patch+yaml`): merge the applied configuration into
 * the live object, detect conflicts with fields other managers own, and drop fields this
 * manager applied before but no longer does (unless someone else also owns them).
 */
import { ApiError } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import { leafPaths, removeAt, valueAt, type FieldPath } from './fields.ts';
import { readManaged, writeManaged, type ManagerEntry } from './managed-fields.ts';
import { applyStrategicPatch } from './strategic.ts';

export interface ApplyOptions {
  manager: string;
  force: boolean;
  /** managedFields time (the cluster's clock); defaults to wall time. */
  time?: string;
}

interface Conflict {
  manager: string;
  path: string;
}

/** How the API server names a manager in conflicts: Update managers with version and time. */
function describeManager(entry: ManagerEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update')
    text += entry.time
      ? ` using ${entry.apiVersion} at ${entry.time}`
      : ` using ${entry.apiVersion}`;
  return text;
}

function conflictError(conflicts: Conflict[]): ApiError {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts)
    byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const n = conflicts.length;
  const message =
    n === 1
      ? `Apply failed with 1 conflict: conflict with ${conflicts[0]!.manager}: ${conflicts[0]!.path}`
      : `Apply failed with ${n} conflicts: ${[...byManager].map(([m, paths]) => [`conflicts with ${m}:`, ...paths.map((p) => `- ${p}`)].join('\n')).join('\n')}`;
  return new ApiError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${c.manager}`,
      field: c.path,
    })),
  });
}

/** A list item itself (`[name="web"]`): its fields are compared, never the whole item. */
function isItemPath(path: FieldPath): boolean {
  const last = path.segments[path.segments.length - 1];
  return last !== undefined && 'k' in last;
}

/** Returns the new object (live is not modified). */
export function serverSideApply(
  live: KObject | undefined,
  applied: KObject,
  options: ApplyOptions,
): KObject {
  const entries = readManaged(live);
  const appliedPaths = leafPaths(applied);
  const conflicts: Conflict[] = [];
  if (live !== undefined) {
    for (const entry of entries) {
      if (entry.manager === options.manager && entry.operation === 'Apply') continue;
      for (const [text, path] of appliedPaths) {
        if (!entry.paths.has(text) || isItemPath(path)) continue;
        if (JSON.stringify(valueAt(live, path)) === JSON.stringify(valueAt(applied, path)))
          continue;
        if (options.force) entry.paths.delete(text);
        else conflicts.push({ manager: describeManager(entry), path: text });
      }
    }
  }
  if (conflicts.length > 0) throw conflictError(conflicts);
  const { metadata: appliedMeta, ...appliedRest } = applied;
  const base = structuredClone(
    live ?? { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} },
  );
  const merged = applyStrategicPatch(base, {
    ...appliedRest,
    metadata: { ...appliedMeta, managedFields: undefined },
  }) as KObject;
  delete merged.metadata.managedFields;
  const mine = entries.find((e) => e.manager === options.manager && e.operation === 'Apply');
  if (mine) {
    const removed: FieldPath[] = [];
    for (const [text, path] of mine.paths) {
      if (appliedPaths.has(text)) continue;
      const ownedElsewhere = entries.some((e) => e !== mine && e.paths.has(text));
      if (!ownedElsewhere) removed.push(path);
    }
    // Remove deeper paths first so list items disappear after their fields.
    removed
      .sort((a, b) => b.segments.length - a.segments.length)
      .forEach((p) => removeAt(merged, p));
  }
  for (const entry of entries)
    if (entry !== mine)
      for (const text of appliedPaths.keys())
        if (entry.operation === 'Update' && options.force) entry.paths.delete(text);
  const next = entries.filter((e) => e !== mine);
  next.push({
    manager: options.manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    time: options.time ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    paths: appliedPaths,
  });
  writeManaged(merged, next);
  return merged;
}
