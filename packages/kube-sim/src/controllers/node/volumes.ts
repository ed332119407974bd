/**
 * Volumes as shared, persistent directories. Every write a container's process makes (its
 * command's timeline, or `kubectl exec`) lands in the store of the volume mounted at that
 * path, stamped with its sim time; a container reads what was written up to now. Keys:
 * an emptyDir lives as long as its pod (all its containers share it, restarts keep it), a
 * PVC's data as long as the claim (pod deletion keeps it), and what a container writes
 * elsewhere lives in that container instance's own writable layer.
 */
import type { FileOp } from '../../sim/runtime-types.ts';
import type { ContainerSpec, PodObject } from './pod-model.ts';

interface Entry {
  atMs: number;
  op: FileOp;
  text: string;
  /** Which container instance wrote it (its future writes are dropped when it dies). */
  writer: string;
}

/** Writes beyond this per file are dropped (a week-long append loop would grow without end). */
const MAX_ENTRIES_PER_FILE = 5000;

export interface Mounted {
  /** Absolute mount path without a trailing slash ('' for the container's own layer at /). */
  mountPath: string;
  key: string;
}

export class VolumeStore {
  private readonly files = new Map<string, Map<string, Entry[]>>();

  write(key: string, path: string, entry: Entry): void {
    let volume = this.files.get(key);
    if (!volume) this.files.set(key, (volume = new Map()));
    const list = volume.get(path) ?? [];
    if (list.length >= MAX_ENTRIES_PER_FILE) return;
    list.push(entry);
    list.sort((a, b) => a.atMs - b.atMs);
    volume.set(path, list);
  }

  /** Contents of every file of `key` as of `nowMs` (deleted files omitted). */
  read(key: string, nowMs: number): Map<string, string> {
    const out = new Map<string, string>();
    for (const [path, entries] of this.files.get(key) ?? []) {
      let text: string | undefined;
      for (const e of entries) {
        if (e.atMs > nowMs) break;
        if (e.op === 'delete') text = undefined;
        else if (e.op === 'write') text = e.text;
        else text = (text ?? '') + e.text;
      }
      if (text !== undefined) out.set(path, text);
    }
    return out;
  }

  /** A container instance ended at `atMs`: what its timeline would have written later never happens. */
  dropAfter(writer: string, atMs: number): void {
    for (const volume of this.files.values())
      for (const [path, entries] of volume)
        volume.set(
          path,
          entries.filter((e) => e.writer !== writer || e.atMs <= atMs),
        );
  }

  /** Forgets every volume whose key starts with `prefix` (an emptyDir with its pod). */
  drop(prefix: string): void {
    for (const key of [...this.files.keys()]) if (key.startsWith(prefix)) this.files.delete(key);
  }
}

/** The store-backed mounts of a container, longest mount path first; `instance` adds its own layer. */
export function mountsOf(
  pod: PodObject,
  container: ContainerSpec,
  claimUid: (claimName: string) => string | undefined,
  instance: string | undefined,
): Mounted[] {
  const uid = pod.metadata.uid ?? '';
  const mounts: Mounted[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = (pod.spec.volumes ?? []).find((v) => v.name === mount.name);
    const mountPath = mount.mountPath.replace(/\/$/, '');
    if (volume?.emptyDir !== undefined)
      mounts.push({ mountPath, key: `emptyDir/${uid}/${volume.name}` });
    const claim = volume?.persistentVolumeClaim?.claimName;
    if (claim)
      mounts.push({ mountPath, key: `pvc/${pod.metadata.namespace}/${claimUid(claim) ?? claim}` });
  }
  mounts.sort((a, b) => b.mountPath.length - a.mountPath.length);
  if (instance !== undefined) mounts.push({ mountPath: '', key: `layer/${instance}` });
  return mounts;
}

/** Paths no volume holds: kernel and kubelet-managed files. */
const UNSTORED = /^\/(dev|proc|sys)\/|^\/etc\/(hosts|hostname|resolv\.conf)$/;

export function mountFor(
  mounts: Mounted[],
  path: string,
): { mount: Mounted; rel: string } | undefined {
  if (UNSTORED.test(path) && !path.startsWith('/dev/shm/')) return undefined;
  for (const mount of mounts) {
    if (mount.mountPath === '' || path.startsWith(`${mount.mountPath}/`))
      return { mount, rel: path.slice(mount.mountPath.length) };
  }
  return undefined;
}
