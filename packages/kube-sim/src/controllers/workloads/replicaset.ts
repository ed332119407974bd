/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods, adopting matching orphans,
 * and reports replicas / fullyLabeledReplicas / readyReplicas / availableReplicas. A failed
 * create (quota, limit range) stops this round, records FailedCreate and sets the
 * ReplicaFailure condition, as kube-controller-manager does, and the next attempt waits
 * out a per-ReplicaSet exponential back-off (its rate-limited work queue).
 */
import type { ClusterApi, KObject } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { COMPONENT, controllerUser, R } from './kinds.ts';
import {
  at,
  conditionOf,
  controllerOf,
  controllerRef,
  errorMessage,
  isControlledBy,
  isPodActive,
  isPodAvailable,
  isPodReady,
  keyOf,
  msUntilAvailable,
  ownerKeys,
  podFromTemplate,
  randomSuffix,
  selectorMatches,
  splitKey,
  withCondition,
  withoutCondition,
  writeStatus,
} from './objects.ts';
import type { Reconciler } from './runtime.ts';

const USER = controllerUser('replicaset-controller');
/** Like the real controller's burst limit per sync. */
const MAX_BATCH = 500;

/** Deletion preference (lower sorts first), after controller.ActivePods ordering. */
export function deletionRank(a: KObject, b: KObject): number {
  const assigned = (p: KObject) => (at<string>(p, 'spec', 'nodeName') ? 1 : 0);
  const phase = (p: KObject) =>
    ({ Pending: 0, Unknown: 1, Running: 2 })[at<string>(p, 'status', 'phase') ?? 'Pending'] ?? 0;
  const ready = (p: KObject) => (isPodReady(p) ? 1 : 0);
  const restarts = (p: KObject) =>
    (at<{ restartCount?: number }[]>(p, 'status', 'containerStatuses') ?? []).reduce(
      (s, c) => s + (c.restartCount ?? 0),
      0,
    );
  const created = (p: KObject) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return (
    assigned(a) - assigned(b) ||
    phase(a) - phase(b) ||
    ready(a) - ready(b) ||
    restarts(b) - restarts(a) ||
    created(b) - created(a)
  );
}

/** kube-controller-manager's per-item exponential failure rate limiter: 5 ms doubling, capped. */
const BACKOFF_BASE_MS = 5;
const BACKOFF_MAX_MS = 1_000_000;

/**
 * Per-ReplicaSet back-off after refused pod creations, on the sim clock. Without it every
 * wake-up (the controller's own status write, a pod event, a resync) would retry at once
 * and write another FailedCreate. Keyed by "ns/name" and the uid, so a ReplicaSet
 * recreated under the same name starts afresh; a successful sync forgets the key.
 */
export function createBackoff() {
  const state = new Map<string, { uid: string; failures: number; until: number }>();
  return {
    /** Records a failure at `now`; returns the sim-ms to wait before the next attempt. */
    failed(key: string, uid: string, now: number): number {
      const prev = state.get(key);
      const failures = prev && prev.uid === uid ? prev.failures + 1 : 1;
      const delay = Math.min(BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 40), BACKOFF_MAX_MS);
      state.set(key, { uid, failures, until: now + delay });
      return delay;
    },
    /** Sim-ms still to wait before creating pods again (0: go ahead). */
    waitMs(key: string, uid: string, now: number): number {
      const entry = state.get(key);
      return entry && entry.uid === uid ? Math.max(0, entry.until - now) : 0;
    },
    succeeded(key: string): void {
      state.delete(key);
    },
  };
}

export function replicaSetController(api: ClusterApi, clock: SimClock): Reconciler {
  const backoff = createBackoff();
  const event = (rs: KObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    api.recordEvent(rs, type, reason, message, { component: COMPONENT.replicaSet });

  function reconcile(key: string): number | void {
    const [ns, name] = splitKey(key);
    const rs = api.get(R.replicaSets, ns, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const selector = at(rs, 'spec', 'selector');
    const wanted = at<number>(rs, 'spec', 'replicas') ?? 1;
    const minReady = at<number>(rs, 'spec', 'minReadySeconds') ?? 0;

    const pods: KObject[] = [];
    for (const pod of api.list(R.pods, ns)) {
      if (isControlledBy(pod, rs)) pods.push(pod);
      else if (
        !controllerOf(pod) &&
        isPodActive(pod) &&
        selectorMatches(selector, pod.metadata.labels)
      ) {
        // Adopt an orphan that matches, as the real controller's ClaimPods does.
        pods.push(
          api.patch(
            R.pods,
            ns,
            pod.metadata.name!,
            'merge',
            {
              metadata: {
                ownerReferences: [...(pod.metadata.ownerReferences ?? []), controllerRef(rs)],
              },
            },
            { user: USER },
          ),
        );
      }
    }
    const active = pods.filter(isPodActive);
    let failure: string | undefined;
    const diff = active.length - wanted;
    const uid = rs.metadata.uid ?? '';
    const waitMs = diff < 0 ? backoff.waitMs(key, uid, clock.now()) : 0;
    if (diff < 0 && waitMs > 0) {
      // Backing off after a refused create: no attempt (and no new FailedCreate) this round.
    } else if (diff < 0) {
      for (let i = 0; i < Math.min(-diff, MAX_BATCH); i++) {
        const pod = podFromTemplate(
          at(rs, 'spec', 'template'),
          rs,
          `${name}-${randomSuffix()}`,
          `${name}-`,
        );
        try {
          const created = api.create(R.pods, pod, { user: USER });
          active.push(created);
          event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } catch (error) {
          failure = errorMessage(error);
          event(rs, 'Warning', 'FailedCreate', `Error creating: ${failure}`);
          break;
        }
      }
    } else if (diff > 0) {
      const victims = [...active].sort(deletionRank).slice(0, Math.min(diff, MAX_BATCH));
      for (const pod of victims) {
        api.delete(R.pods, ns, pod.metadata.name!, { user: USER });
        event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        active.splice(active.indexOf(pod), 1);
      }
    }

    const now = clock.now();
    const templateLabels =
      at<Record<string, string>>(rs, 'spec', 'template', 'metadata', 'labels') ?? {};
    const fresh = api.get(R.replicaSets, ns, name);
    if (!fresh) return;
    const old = (fresh.status ?? {}) as Record<string, unknown>;
    let conditions = old.conditions as Parameters<typeof withCondition>[0];
    if (failure !== undefined) {
      conditions = withCondition(conditions, {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: failure,
        lastTransitionTime: clock.nowIso(),
      });
    } else if (waitMs > 0) {
      // Still refused as far as we know: the ReplicaFailure condition stays.
    } else if (diff >= 0 || conditionOf(fresh, 'ReplicaFailure')) {
      conditions = withoutCondition(conditions, 'ReplicaFailure');
    }
    const status: Record<string, unknown> = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) =>
        Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v),
      ).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
      observedGeneration: fresh.metadata.generation ?? 1,
      ...(conditions && conditions.length > 0 ? { conditions } : {}),
    };
    writeStatus(api, R.replicaSets, fresh, status, USER);

    if (failure !== undefined) return backoff.failed(key, uid, now);
    if (waitMs > 0) return waitMs;
    backoff.succeeded(key);
    const waits = active.map((p) => msUntilAvailable(p, minReady, now)).filter((ms) => ms > 0);
    return waits.length > 0 ? Math.min(...waits) + 1 : undefined;
  }

  return {
    name: 'replicaset-controller',
    resyncMs: 30_000,
    allKeys: () => api.list(R.replicaSets, undefined).map(keyOf),
    triggers: [
      { resource: R.replicaSets, keys: (rs) => [keyOf(rs)] },
      {
        resource: R.pods,
        keys: (pod) => {
          const owned = ownerKeys(pod, 'ReplicaSet');
          if (owned.length > 0 || controllerOf(pod)) return owned;
          // An orphan may match some ReplicaSet's selector: wake those for adoption.
          return api
            .list(R.replicaSets, pod.metadata.namespace)
            .filter((rs) => selectorMatches(at(rs, 'spec', 'selector'), pod.metadata.labels))
            .map(keyOf);
        },
      },
    ],
    reconcile,
  };
}
