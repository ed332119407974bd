/**
 * The Deployment controller: owns ReplicaSets named `<deployment>-<pod-template-hash>`,
 * rolls from old to new with RollingUpdate (maxSurge / maxUnavailable) or Recreate, keeps
 * revisions in `deployment.kubernetes.io/revision` (so `kubectl rollout history/undo` work),
 * prunes old ReplicaSets past revisionHistoryLimit and reports status and conditions.
 */
import type { ClusterApi, KObject } from '../../../api/types.ts';
import type { SimClock } from '../../../clock/clock.ts';
import { COMPONENT, controllerUser, R } from '../kinds.ts';
import {
  at,
  conditionOf,
  controllerRef,
  errorCode,
  isControlledBy,
  isPodTerminal,
  keyOf,
  ownerKeys,
  splitKey,
  writeStatus,
} from '../objects.ts';
import type { Reconciler } from '../runtime.ts';
import {
  fenceposts,
  newReplicaSetTarget,
  oldReplicaSetTargets,
  podTemplateHash,
  sameTemplate,
  type IntOrString,
} from './rollout.ts';
import { deploymentStatus, progressDeadlineAt, type StatusInput } from './status.ts';

const USER = controllerUser('deployment-controller');
export const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
/** Deployment annotations that are not copied onto its ReplicaSets. */
const NOT_COPIED = new Set([
  REVISION,
  DESIRED,
  MAX,
  'deployment.kubernetes.io/revision-history',
  'kubectl.kubernetes.io/last-applied-configuration',
]);

const revisionOf = (rs: KObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
const replicasOf = (rs: KObject) => at<number>(rs, 'spec', 'replicas') ?? 0;
const availableOf = (rs: KObject) => at<number>(rs, 'status', 'availableReplicas') ?? 0;
const byCreation = (a: KObject, b: KObject) =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  a.metadata.name!.localeCompare(b.metadata.name!);

export function deploymentController(api: ClusterApi, clock: SimClock): Reconciler {
  const event = (d: KObject, reason: string, message: string) =>
    api.recordEvent(d, 'Normal', reason, message, { component: COMPONENT.deployment });

  /** Sets replicas and the desired/max annotations; records ScalingReplicaSet when the size changes. */
  function scale(d: KObject, rs: KObject, replicas: number, surge: number): KObject {
    const desired = at<number>(d, 'spec', 'replicas') ?? 1;
    const annotations = {
      ...rs.metadata.annotations,
      [DESIRED]: String(desired),
      [MAX]: String(desired + surge),
    };
    const from = replicasOf(rs);
    if (
      from === replicas &&
      rs.metadata.annotations?.[DESIRED] === annotations[DESIRED] &&
      rs.metadata.annotations?.[MAX] === annotations[MAX]
    ) {
      return rs;
    }
    const updated = api.update(
      R.replicaSets,
      {
        ...rs,
        metadata: { ...rs.metadata, annotations },
        spec: { ...(rs.spec as object), replicas },
      },
      { user: USER },
    );
    if (from !== replicas) {
      event(
        d,
        'ScalingReplicaSet',
        `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} to ${replicas} from ${from}`,
      );
    }
    return updated;
  }

  function createNewRs(
    d: KObject,
    replicas: number,
    revision: number,
    surge: number,
  ): KObject | 'retry' {
    const template = at<Record<string, unknown>>(d, 'spec', 'template') ?? {};
    const collisions = at<number>(d, 'status', 'collisionCount') ?? 0;
    const hash = podTemplateHash(template, collisions);
    const name = `${d.metadata.name}-${hash}`;
    const templateMeta = (template.metadata ?? {}) as { labels?: Record<string, string> };
    const labels = { ...templateMeta.labels, 'pod-template-hash': hash };
    const selector = (at<Record<string, unknown>>(d, 'spec', 'selector') ?? {}) as {
      matchLabels?: Record<string, string>;
    };
    const copied = Object.fromEntries(
      Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.has(k)),
    );
    const desired = at<number>(d, 'spec', 'replicas') ?? 1;
    const rs: KObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace!,
        labels,
        annotations: {
          ...copied,
          [DESIRED]: String(desired),
          [MAX]: String(desired + surge),
          [REVISION]: String(revision),
        },
        ownerReferences: [controllerRef(d)],
      },
      spec: {
        replicas,
        minReadySeconds: at<number>(d, 'spec', 'minReadySeconds') ?? 0,
        selector: {
          ...selector,
          matchLabels: { ...selector.matchLabels, 'pod-template-hash': hash },
        },
        template: { ...template, metadata: { ...templateMeta, labels } },
      },
    };
    try {
      const created = api.create(R.replicaSets, rs, { user: USER });
      if (replicas > 0)
        event(d, 'ScalingReplicaSet', `Scaled up replica set ${name} to ${replicas}`);
      return created;
    } catch (error) {
      if (errorCode(error) !== 409) throw error;
      // A ReplicaSet of that name with another template: hash again with a bumped collisionCount.
      const fresh = api.get(R.deployments, d.metadata.namespace, d.metadata.name!)!;
      writeStatus(
        api,
        R.deployments,
        fresh,
        { ...(fresh.status ?? {}), collisionCount: collisions + 1 },
        USER,
      );
      return 'retry';
    }
  }

  function reconcile(key: string): number | void {
    const [ns, name] = splitKey(key);
    const d = api.get(R.deployments, ns, name);
    if (!d || d.metadata.deletionTimestamp || !at(d, 'spec', 'selector')) return;
    const desired = at<number>(d, 'spec', 'replicas') ?? 1;
    const template = at(d, 'spec', 'template');
    const rolling =
      (at<string>(d, 'spec', 'strategy', 'type') ?? 'RollingUpdate') === 'RollingUpdate';
    const [surge, unavailable] = rolling
      ? fenceposts(
          at<IntOrString>(d, 'spec', 'strategy', 'rollingUpdate', 'maxSurge'),
          at<IntOrString>(d, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable'),
          desired,
        )
      : [0, 0];
    const paused = at<boolean>(d, 'spec', 'paused') === true;

    let owned = api
      .list(R.replicaSets, ns)
      .filter((rs) => isControlledBy(rs, d) && !rs.metadata.deletionTimestamp);
    let newRs = owned
      .filter((rs) => sameTemplate(at(rs, 'spec', 'template'), template))
      .sort(byCreation)[0];
    let old = owned.filter((rs) => rs !== newRs).sort(byCreation);
    const maxOldRevision = Math.max(0, ...old.map(revisionOf));
    let progressReason: StatusInput['progressReason'];

    // The new ReplicaSet always carries the highest revision (rollout undo re-promotes an old one).
    if (newRs && revisionOf(newRs) <= maxOldRevision) {
      newRs = api.update(
        R.replicaSets,
        {
          ...newRs,
          metadata: {
            ...newRs.metadata,
            annotations: { ...newRs.metadata.annotations, [REVISION]: String(maxOldRevision + 1) },
          },
        },
        { user: USER },
      );
      if (
        !conditionOf(d, 'Progressing') ||
        conditionOf(d, 'Progressing')?.reason === 'NewReplicaSetAvailable'
      ) {
        progressReason = {
          reason: 'FoundNewReplicaSet',
          message: `Found new replica set "${newRs.metadata.name}"`,
        };
      }
    }

    if (!paused) {
      if (rolling) {
        if (!newRs) {
          const all = old.map((rs) => ({ replicas: replicasOf(rs), available: availableOf(rs) }));
          const created = createNewRs(
            d,
            newReplicaSetTarget(desired, surge, { replicas: 0, available: 0 }, all),
            maxOldRevision + 1,
            surge,
          );
          if (created === 'retry') return 0;
          newRs = created;
          progressReason = {
            reason: 'NewReplicaSetCreated',
            message: `Created new replica set "${newRs.metadata.name}"`,
          };
        } else {
          const counts = (rs: KObject) => ({
            replicas: replicasOf(rs),
            available: availableOf(rs),
          });
          const target =
            replicasOf(newRs) > desired
              ? desired
              : newReplicaSetTarget(desired, surge, counts(newRs), [newRs, ...old].map(counts));
          newRs = scale(d, newRs, target, surge);
          const targets = oldReplicaSetTargets(
            desired,
            unavailable,
            counts(newRs),
            old.map(counts),
          );
          old = old.map((rs, i) => scale(d, rs, targets[i]!, surge));
        }
      } else {
        old = old.map((rs) => (replicasOf(rs) > 0 ? scale(d, rs, 0, 0) : rs));
        const oldPodsRunning = api
          .list(R.pods, ns)
          .some((pod) => !isPodTerminal(pod) && old.some((rs) => isControlledBy(pod, rs)));
        if (!oldPodsRunning) {
          if (!newRs) {
            const created = createNewRs(d, desired, maxOldRevision + 1, 0);
            if (created === 'retry') return 0;
            newRs = created;
            progressReason = {
              reason: 'NewReplicaSetCreated',
              message: `Created new replica set "${newRs.metadata.name}"`,
            };
          } else newRs = scale(d, newRs, desired, 0);
        }
      }
    } else {
      // Paused: no rollout, but a scale change still reaches the current ReplicaSet.
      const active = [newRs, ...old].filter(
        (rs): rs is KObject => rs !== undefined && replicasOf(rs) > 0,
      );
      if (active.length === 1 && replicasOf(active[0]!) !== desired)
        scale(d, active[0]!, desired, surge);
    }

    if (newRs && d.metadata.annotations?.[REVISION] !== newRs.metadata.annotations?.[REVISION]) {
      const revision = newRs.metadata.annotations?.[REVISION] ?? '1';
      api.patch(
        R.deployments,
        ns,
        name,
        'merge',
        { metadata: { annotations: { [REVISION]: revision } } },
        { user: USER },
      );
    }

    owned = api
      .list(R.replicaSets, ns)
      .filter((rs) => isControlledBy(rs, d) && !rs.metadata.deletionTimestamp);
    newRs = newRs ? owned.find((rs) => rs.metadata.uid === newRs!.metadata.uid) : undefined;
    const fresh = api.get(R.deployments, ns, name);
    if (!fresh) return;
    const status = deploymentStatus({
      deployment: fresh,
      newRs,
      allRs: owned,
      maxUnavailable: unavailable,
      nowIso: clock.nowIso(),
      nowMs: clock.now(),
      ...(progressReason ? { progressReason } : {}),
    });
    writeStatus(api, R.deployments, fresh, status, USER);

    const progressing = (
      status.conditions as { type: string; reason?: string; lastUpdateTime?: string }[]
    ).find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'NewReplicaSetAvailable' && !paused) cleanup(d, owned, newRs);
    if (
      progressing &&
      (progressing.reason === 'ReplicaSetUpdated' ||
        progressing.reason === 'NewReplicaSetCreated' ||
        progressing.reason === 'FoundNewReplicaSet')
    ) {
      const deadline = progressDeadlineAt(
        progressing,
        at<number>(d, 'spec', 'progressDeadlineSeconds') ?? 600,
      );
      return Math.max(0, deadline - clock.now()) + 1;
    }
  }

  /** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
  function cleanup(d: KObject, owned: KObject[], newRs: KObject | undefined): void {
    const limit = at<number>(d, 'spec', 'revisionHistoryLimit') ?? 10;
    const idle = owned
      .filter(
        (rs) =>
          rs !== newRs && replicasOf(rs) === 0 && (at<number>(rs, 'status', 'replicas') ?? 0) === 0,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      api.delete(R.replicaSets, rs.metadata.namespace, rs.metadata.name!, { user: USER });
    }
  }

  return {
    name: 'deployment-controller',
    resyncMs: 30_000,
    allKeys: () => api.list(R.deployments, undefined).map(keyOf),
    triggers: [
      { resource: R.deployments, keys: (d) => [keyOf(d)] },
      { resource: R.replicaSets, keys: (rs) => ownerKeys(rs, 'Deployment') },
      {
        // Recreate waits for old pods to be gone: their deletion must wake the Deployment.
        resource: R.pods,
        keys: (pod, ev) => {
          if (ev.type !== 'DELETED' && !isPodTerminal(pod)) return [];
          const rsKey = ownerKeys(pod, 'ReplicaSet')[0];
          if (!rsKey) return [];
          const [ns, rsName] = splitKey(rsKey);
          const rs = api.get(R.replicaSets, ns, rsName);
          return rs ? ownerKeys(rs, 'Deployment') : [];
        },
      },
    ],
    reconcile,
  };
}
