/** Saving and reloading the whole cluster as one JSON file (written atomically via rename). */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Cluster } from './api/cluster.ts';
import type { KObject } from './api/types.ts';
import { deepFreeze } from './api/cluster.ts';

interface SavedState {
  version: 1;
  resourceVersion: number;
  cluster: { nextIp: number };
  objects: { key: string; object: KObject }[];
}

export function saveState(cluster: Cluster, path: string): void {
  const state: SavedState = {
    version: 1,
    resourceVersion: cluster.store.resourceVersion,
    cluster: cluster.state.toJSON(),
    objects: cluster.store.dump(),
  };
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

/** Returns false when there is no saved state at `path`. */
export function loadState(cluster: Cluster, path: string): boolean {
  if (!existsSync(path)) return false;
  let state: SavedState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as SavedState;
  } catch (error) {
    throw new Error(
      `${path}: not a kube-sim state file (${error instanceof Error ? error.message : String(error)}); move it away or pass another --state`,
      { cause: error },
    );
  }
  if (state.version !== 1)
    throw new Error(`${path}: unsupported state version ${String(state.version)}`);
  cluster.store.load(
    state.objects.map((o) => ({ key: o.key, object: deepFreeze(o.object) })),
    state.resourceVersion,
  );
  cluster.state.restore(state.cluster);
  return true;
}
