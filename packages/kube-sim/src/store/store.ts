/**
 * The object store: per storage key (one per resource, shared by versions of the same
 * objects), per namespace maps of entries. Invariant: a stored object is never mutated;
 * every write stores a new object, so its cached JSON text stays valid and lists can be
 * answered by joining cached strings.
 */
import type { KObject, WatchEventType } from '../api/types.ts';

export interface Entry {
  readonly object: KObject;
  readonly rv: number;
  /** JSON text of `object`, computed on first use. */
  json(): string;
}

export interface StoredChange {
  rv: number;
  key: string;
  type: Exclude<WatchEventType, 'BOOKMARK' | 'ERROR'>;
  entry: Entry;
  /** The object before this change (undefined for ADDED); selectors use it. */
  previous: Entry | undefined;
}

export type ChangeListener = (change: StoredChange) => void;

function makeEntry(object: KObject, rv: number): Entry {
  let text: string | undefined;
  return {
    object,
    rv,
    json: () => (text ??= JSON.stringify(object)),
  };
}

class Bucket {
  readonly byNamespace = new Map<string, Map<string, Entry>>();
  private sorted: Entry[] | undefined;
  count = 0;

  invalidate(): void {
    this.sorted = undefined;
  }

  /** Every entry ordered by namespace then name (pagination needs a stable order). */
  all(): Entry[] {
    if (this.sorted) return this.sorted;
    const namespaces = [...this.byNamespace.keys()].sort();
    const result: Entry[] = [];
    for (const ns of namespaces) result.push(...sortedValues(this.byNamespace.get(ns)!));
    this.sorted = result;
    return result;
  }
}

function sortedValues(map: Map<string, Entry>): Entry[] {
  return [...map.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((e) => e[1]);
}

export class Store {
  private readonly buckets = new Map<string, Bucket>();
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private readonly history: StoredChange[] = [];
  private historyStart = 0;
  private rv: number;
  /** Watches may resume from any resourceVersion >= floorRv: every later change is retained. */
  private floorRv: number;
  readonly historyLimit: number;

  constructor(options: { historyLimit?: number; startRv?: number } = {}) {
    this.historyLimit = options.historyLimit ?? 10_000;
    this.rv = options.startRv ?? 1;
    this.floorRv = this.rv;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch may resume from without a 410. */
  get oldestWatchableRv(): number {
    return this.floorRv;
  }

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = new Bucket()));
    return b;
  }

  get(key: string, namespace: string, name: string): Entry | undefined {
    return this.buckets.get(key)?.byNamespace.get(namespace)?.get(name);
  }

  /** Entries of one namespace (sorted by name) or of all namespaces when namespace is undefined. */
  list(key: string, namespace: string | undefined): Entry[] {
    const bucket = this.buckets.get(key);
    if (!bucket) return [];
    if (namespace === undefined) return bucket.all();
    const map = bucket.byNamespace.get(namespace);
    return map ? sortedValues(map) : [];
  }

  keys(): string[] {
    return [...this.buckets.keys()];
  }

  count(key: string): number {
    return this.buckets.get(key)?.count ?? 0;
  }

  nextRv(): number {
    return ++this.rv;
  }

  /** Stores `object` (already carrying metadata.resourceVersion === String(rv)). */
  put(key: string, object: KObject, rv: number): Entry {
    const ns = object.metadata.namespace ?? '';
    const name = object.metadata.name!;
    const bucket = this.bucket(key);
    let map = bucket.byNamespace.get(ns);
    if (!map) bucket.byNamespace.set(ns, (map = new Map()));
    const previous = map.get(name);
    const entry = makeEntry(object, rv);
    map.set(name, entry);
    if (!previous) {
      bucket.count++;
      bucket.invalidate();
    } else bucket.invalidate();
    this.emit({ rv, key, type: previous ? 'MODIFIED' : 'ADDED', entry, previous });
    return entry;
  }

  remove(
    key: string,
    namespace: string,
    name: string,
    finalObject: KObject,
    rv: number,
  ): Entry | undefined {
    const bucket = this.buckets.get(key);
    const map = bucket?.byNamespace.get(namespace);
    const previous = map?.get(name);
    if (!bucket || !map || !previous) return undefined;
    map.delete(name);
    if (map.size === 0) bucket.byNamespace.delete(namespace);
    bucket.count--;
    bucket.invalidate();
    const entry = makeEntry(finalObject, rv);
    this.emit({ rv, key, type: 'DELETED', entry, previous });
    return entry;
  }

  private emit(change: StoredChange): void {
    this.history.push(change);
    if (this.history.length - this.historyStart > this.historyLimit) {
      this.floorRv = this.history[this.historyStart]!.rv;
      this.historyStart++;
      // Compact now and then instead of shifting on every write.
      if (this.historyStart > this.historyLimit) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const listener of this.listeners.get(change.key) ?? []) listener(change);
    for (const listener of this.listeners.get('*') ?? []) listener(change);
  }

  /** Changes of `key` with rv > afterRv, or undefined when the window no longer reaches back that far. */
  changesSince(key: string, afterRv: number): StoredChange[] | undefined {
    if (afterRv < this.floorRv) return undefined;
    const out: StoredChange[] = [];
    for (let i = this.historyStart; i < this.history.length; i++) {
      const c = this.history[i]!;
      if (c.rv > afterRv && c.key === key) out.push(c);
    }
    return out;
  }

  /** Listens to changes of one storage key, or of every key with "*". */
  subscribe(key: string, listener: ChangeListener): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Replaces everything (state reload). */
  load(objects: { key: string; object: KObject }[], rv: number): void {
    this.buckets.clear();
    for (const { key, object } of objects) {
      const bucket = this.bucket(key);
      const ns = object.metadata.namespace ?? '';
      let map = bucket.byNamespace.get(ns);
      if (!map) bucket.byNamespace.set(ns, (map = new Map()));
      map.set(object.metadata.name!, makeEntry(object, Number(object.metadata.resourceVersion)));
      bucket.count++;
    }
    this.rv = Math.max(this.rv, rv);
    // No history survives a reload: older resourceVersions must re-list (410).
    this.history.length = 0;
    this.historyStart = 0;
    this.floorRv = this.rv;
  }

  dump(): { key: string; object: KObject }[] {
    const out: { key: string; object: KObject }[] = [];
    for (const [key, bucket] of this.buckets)
      for (const e of bucket.all()) out.push({ key, object: e.object });
    return out;
  }
}
