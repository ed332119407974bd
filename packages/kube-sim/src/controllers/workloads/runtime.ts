/**
 * A minimal controller runtime (the shape of controller-runtime's workqueue): changes wake
 * controllers by key, each key is reconciled from the live objects, and a reconcile may ask
 * to run again after some sim time. Reconciles run on a later macrotask, never inside the
 * write that triggered them, so a controller's own writes cannot re-enter it.
 */
import type { ClusterApi, KObject, WatchEvent } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import type { ResourceType } from '../../resources.ts';
import { errorCode, errorMessage } from './objects.ts';

export interface Trigger {
  resource: Pick<ResourceType, 'group' | 'kind'>;
  /** Keys ("namespace/name" or any string the reconciler understands) to wake. */
  keys: (object: KObject, event: WatchEvent) => string[];
}

export interface Reconciler {
  name: string;
  triggers: Trigger[];
  /** Every key to reconcile on a periodic resync. */
  allKeys: () => string[];
  resyncMs: number;
  /** Returns sim-ms after which to reconcile the key again, or nothing. */
  reconcile: (key: string) => number | void;
}

/** A change caused only by another reconcile of the same key stops retrying after this many rounds. */
const MAX_ROUNDS_PER_TICK = 20;
const ERROR_RETRY_MS = 5_000;

export function runReconcilers(
  api: ClusterApi,
  clock: SimClock,
  reconcilers: Reconciler[],
): () => void {
  let stopped = false;
  const pending = reconcilers.map(() => new Set<string>());
  const timers = reconcilers.map(() => new Map<string, { at: number; cancel: () => void }>());
  let scheduled: NodeJS.Immediate | undefined;

  const schedule = () => {
    if (!scheduled && !stopped) scheduled = setImmediate(flush);
  };
  const enqueue = (index: number, key: string) => {
    pending[index]!.add(key);
    schedule();
  };
  const requeueAfter = (index: number, key: string, ms: number) => {
    const at = clock.now() + ms;
    const existing = timers[index]!.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = clock.after(ms, () => {
      timers[index]!.delete(key);
      enqueue(index, key);
    });
    timers[index]!.set(key, { at, cancel });
  };

  function flush(): void {
    scheduled = undefined;
    for (let round = 0; round < MAX_ROUNDS_PER_TICK && !stopped; round++) {
      let worked = false;
      reconcilers.forEach((reconciler, index) => {
        const keys = [...pending[index]!];
        pending[index]!.clear();
        for (const key of keys) {
          worked = true;
          try {
            const again = reconciler.reconcile(key);
            if (typeof again === 'number') requeueAfter(index, key, again);
          } catch (error) {
            // 409: someone wrote in between; read again at once. Anything else: back off.
            if (errorCode(error) === 409) pending[index]!.add(key);
            else {
              if (errorCode(error) === undefined) {
                console.error(`kube-sim ${reconciler.name} ${key}: ${errorMessage(error)}`);
              }
              requeueAfter(index, key, ERROR_RETRY_MS);
            }
          }
        }
      });
      if (!worked) return;
    }
    // Still busy: yield to I/O (HTTP requests, watches) and continue on the next macrotask.
    if (pending.some((p) => p.size > 0)) schedule();
  }

  const unsubscribe = api.onChange((event, resource) => {
    reconcilers.forEach((reconciler, index) => {
      for (const trigger of reconciler.triggers) {
        if (trigger.resource.group !== resource.group || trigger.resource.kind !== resource.kind)
          continue;
        for (const key of trigger.keys(event.object, event)) enqueue(index, key);
      }
    });
  });
  const resyncs = reconcilers.map((reconciler, index) => {
    const all = () => {
      for (const key of reconciler.allKeys()) enqueue(index, key);
    };
    all();
    return clock.every(reconciler.resyncMs, all);
  });

  return () => {
    stopped = true;
    unsubscribe();
    for (const cancel of resyncs) cancel();
    for (const map of timers) for (const t of map.values()) t.cancel();
    if (scheduled) clearImmediate(scheduled);
  };
}
