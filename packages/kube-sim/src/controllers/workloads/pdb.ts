/**
 * PodDisruptionBudgets: the disruption controller's status (expectedPods, currentHealthy,
 * desiredHealthy, disruptionsAllowed, condition DisruptionAllowed) and the eviction check.
 * An eviction that would take a budget below its floor answers 429 "Cannot evict pod as it
 * would violate the pod's disruption budget." like the real API server; the budget is
 * computed fresh at eviction time, so two quick evictions cannot both pass.
 */
import { ApiError } from '../../api/errors.ts';
import type { AdmissionPlugin, ClusterApi, KObject } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { scaledValue, type IntOrString } from './deployment/rollout.ts';
import { controllerUser, R } from './kinds.ts';
import {
  at,
  controllerOf,
  isPodActive,
  isPodReady,
  keyOf,
  selectorMatches,
  splitKey,
  withCondition,
  writeStatus,
} from './objects.ts';
import type { Reconciler } from './runtime.ts';

const USER = controllerUser('disruption-controller');

export interface Budget {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

/** The scale of the controllers owning `pods` (RS→Deployment, StatefulSet), else the pod count. */
function expectedCount(api: ClusterApi, ns: string, pods: KObject[]): number {
  const seen = new Map<string, number>();
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) return pods.length;
    let owner: KObject | undefined;
    if (ref.kind === 'ReplicaSet') {
      const rs = api.get(R.replicaSets, ns, ref.name);
      const up = rs ? controllerOf(rs) : undefined;
      owner = up?.kind === 'Deployment' ? api.get(R.deployments, ns, up.name) : rs;
    } else if (ref.kind === 'StatefulSet') owner = api.get(R.statefulSets, ns, ref.name);
    if (!owner) return pods.length;
    seen.set(owner.metadata.uid!, at<number>(owner, 'spec', 'replicas') ?? 1);
  }
  return [...seen.values()].reduce((s, n) => s + n, 0);
}

export function budgetOf(api: ClusterApi, pdb: KObject): { budget: Budget; pods: KObject[] } {
  const ns = pdb.metadata.namespace!;
  const pods = api
    .list(R.pods, ns)
    .filter(
      (p) => isPodActive(p) && selectorMatches(at(pdb, 'spec', 'selector'), p.metadata.labels),
    );
  const minAvailable = at<IntOrString>(pdb, 'spec', 'minAvailable');
  const maxUnavailable = at<IntOrString>(pdb, 'spec', 'maxUnavailable');
  // An integer minAvailable needs no controller scale; everything else is relative to it.
  const expected = typeof minAvailable === 'number' ? pods.length : expectedCount(api, ns, pods);
  let desired: number;
  if (maxUnavailable !== undefined)
    desired = Math.max(0, expected - scaledValue(maxUnavailable, expected, true));
  else if (typeof minAvailable === 'string') desired = scaledValue(minAvailable, expected, true);
  else desired = minAvailable ?? 0;
  const healthy = pods.filter(isPodReady).length;
  return {
    pods,
    budget: {
      expectedPods: expected,
      currentHealthy: healthy,
      desiredHealthy: desired,
      disruptionsAllowed: Math.max(0, healthy - desired),
    },
  };
}

export function pdbController(api: ClusterApi, clock: SimClock): Reconciler {
  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const pdb = api.get(R.pdbs, ns, name);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const { budget } = budgetOf(api, pdb);
    const allowed = budget.disruptionsAllowed > 0;
    const conditions = withCondition(
      at<{ type: string; status: string }[]>(pdb, 'status', 'conditions'),
      {
        type: 'DisruptionAllowed',
        status: allowed ? 'True' : 'False',
        reason: allowed ? 'SufficientPods' : 'InsufficientPods',
        message: '',
        lastTransitionTime: clock.nowIso(),
        observedGeneration: pdb.metadata.generation ?? 1,
      } as { type: string; status: string },
    );
    writeStatus(
      api,
      R.pdbs,
      pdb,
      { ...budget, observedGeneration: pdb.metadata.generation ?? 1, conditions },
      USER,
    );
  }
  const pdbsFor = (pod: KObject) =>
    api
      .list(R.pdbs, pod.metadata.namespace)
      .filter((pdb) => selectorMatches(at(pdb, 'spec', 'selector'), pod.metadata.labels))
      .map(keyOf);
  return {
    name: 'disruption-controller',
    resyncMs: 30_000,
    allKeys: () => api.list(R.pdbs, undefined).map(keyOf),
    triggers: [
      { resource: R.pdbs, keys: (pdb) => [keyOf(pdb)] },
      { resource: R.pods, keys: pdbsFor },
      { resource: R.deployments, keys: (d) => api.list(R.pdbs, d.metadata.namespace).map(keyOf) },
      { resource: R.statefulSets, keys: (s) => api.list(R.pdbs, s.metadata.namespace).map(keyOf) },
    ],
    reconcile,
  };
}

/** Admission on pods/eviction: refuses with 429 when a budget has no disruption left. */
export function evictionAdmission(api: ClusterApi): AdmissionPlugin {
  return ({ operation, resource, subresource, oldObject: pod }) => {
    if (operation !== 'CREATE' || resource.kind !== 'Pod' || subresource !== 'eviction' || !pod)
      return;
    // A pod that is not running (pending, finished) can always be evicted.
    if (!isPodActive(pod) || at<string>(pod, 'status', 'phase') !== 'Running') return;
    const pdbs = api
      .list(R.pdbs, pod.metadata.namespace)
      .filter((pdb) => selectorMatches(at(pdb, 'spec', 'selector'), pod.metadata.labels));
    if (pdbs.length === 0) return;
    if (pdbs.length > 1) {
      throw new ApiError(
        500,
        'InternalError',
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      );
    }
    const pdb = pdbs[0]!;
    const { budget } = budgetOf(api, pdb);
    // An unready pod does not count as healthy, so evicting it costs nothing.
    if (!isPodReady(pod) || budget.disruptionsAllowed > 0) return;
    throw new ApiError(
      429,
      'TooManyRequests',
      "Cannot evict pod as it would violate the pod's disruption budget.",
      {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: `The disruption budget ${pdb.metadata.name} needs ${budget.desiredHealthy} healthy pods and has ${budget.currentHealthy} currently`,
          },
        ],
      },
    );
  };
}
