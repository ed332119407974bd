/**
 * Deployment status and conditions from its ReplicaSets (calculateStatus and
 * syncRolloutStatus of the real controller), as a pure function of observed objects and the
 * sim time. Condition reasons and messages are the real ones: `kubectl rollout status` and
 * `kubectl wait --for=condition=...` read them.
 */
import type { KObject } from '../../../api/types.ts';
import { at, conditionOf, withCondition, withoutCondition } from '../objects.ts';

type Condition = NonNullable<Parameters<typeof withCondition>[0]>[number];

export interface StatusInput {
  deployment: KObject;
  newRs: KObject | undefined;
  allRs: KObject[];
  maxUnavailable: number;
  nowIso: string;
  nowMs: number;
  /** Set on the sync that created or found the new ReplicaSet. */
  progressReason?: { reason: 'NewReplicaSetCreated' | 'FoundNewReplicaSet'; message: string };
}

const sum = (list: KObject[], ...path: string[]) =>
  list.reduce((s, o) => s + (at<number>(o, ...path) ?? 0), 0);

export function deploymentStatus(input: StatusInput): Record<string, unknown> {
  const { deployment: d, newRs, allRs, nowIso } = input;
  const old = (d.status ?? {}) as Record<string, unknown>;
  const desired = at<number>(d, 'spec', 'replicas') ?? 1;
  const generation = d.metadata.generation ?? 1;
  const status: Record<string, unknown> = {
    observedGeneration: generation,
    replicas: sum(allRs, 'status', 'replicas'),
    updatedReplicas: newRs ? (at<number>(newRs, 'status', 'replicas') ?? 0) : 0,
    readyReplicas: sum(allRs, 'status', 'readyReplicas'),
    availableReplicas: sum(allRs, 'status', 'availableReplicas'),
  };
  status.unavailableReplicas = Math.max(
    0,
    sum(allRs, 'spec', 'replicas') - (status.availableReplicas as number),
  );
  if (old.collisionCount !== undefined) status.collisionCount = old.collisionCount;
  for (const field of [
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
  ]) {
    if (status[field] === 0) delete status[field];
  }

  let conditions = (old.conditions as Condition[] | undefined) ?? [];
  const cond = (
    type: string,
    state: string,
    reason: string,
    message: string,
    keepUpdate = false,
  ): Condition => {
    const prev = conditions.find((c) => c.type === type);
    const lastUpdateTime =
      keepUpdate && prev?.status === state && prev.reason === reason ? prev.lastUpdateTime : nowIso;
    return { type, status: state, lastUpdateTime, lastTransitionTime: nowIso, reason, message };
  };

  const available = (status.availableReplicas as number | undefined) ?? 0;
  conditions =
    available >= desired - input.maxUnavailable
      ? withCondition(
          conditions,
          cond(
            'Available',
            'True',
            'MinimumReplicasAvailable',
            'Deployment has minimum availability.',
            true,
          ),
        )
      : withCondition(
          conditions,
          cond(
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
            true,
          ),
        );

  conditions = progressing(input, status, conditions, cond);

  const failure = allRs
    .map((rs) => conditionOf(rs, 'ReplicaFailure'))
    .find((c) => c?.status === 'True');
  conditions = failure
    ? withCondition(
        conditions,
        cond(
          'ReplicaFailure',
          'True',
          failure.reason ?? 'FailedCreate',
          failure.message ?? '',
          true,
        ),
      )
    : withoutCondition(conditions, 'ReplicaFailure');
  // Keep the order kubectl users know: Available, Progressing, ReplicaFailure.
  const order = ['Available', 'Progressing', 'ReplicaFailure'];
  status.conditions = [...conditions].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  return status;
}

type Make = (
  type: string,
  state: string,
  reason: string,
  message: string,
  keepUpdate?: boolean,
) => Condition;

function progressing(
  input: StatusInput,
  status: Record<string, unknown>,
  conditions: Condition[],
  cond: Make,
): Condition[] {
  const { deployment: d, newRs } = input;
  const deadline = at<number>(d, 'spec', 'progressDeadlineSeconds') ?? 600;
  const current = conditions.find((c) => c.type === 'Progressing');
  if (at<boolean>(d, 'spec', 'paused')) {
    if (current?.reason === 'DeploymentPaused') return conditions;
    return withCondition(
      conditions,
      cond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'),
    );
  }
  if (current?.reason === 'DeploymentPaused') {
    conditions = withCondition(
      conditions,
      cond('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed'),
    );
  }
  if (input.progressReason) {
    const { reason, message } = input.progressReason;
    return withCondition(conditions, cond('Progressing', 'True', reason, message));
  }
  if (!newRs) return conditions;
  const rsName = newRs.metadata.name!;
  const desired = at<number>(d, 'spec', 'replicas') ?? 1;
  const n = (field: string) => (status[field] as number | undefined) ?? 0;
  const complete =
    n('updatedReplicas') === desired &&
    n('replicas') === desired &&
    n('availableReplicas') === desired;
  if (complete) {
    return withCondition(
      conditions,
      cond(
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
        true,
      ),
    );
  }
  const before = (d.status ?? {}) as Record<string, number | undefined>;
  const moved =
    n('updatedReplicas') > (before.updatedReplicas ?? 0) ||
    n('replicas') - n('updatedReplicas') < (before.replicas ?? 0) - (before.updatedReplicas ?? 0) ||
    n('readyReplicas') > (before.readyReplicas ?? 0) ||
    n('availableReplicas') > (before.availableReplicas ?? 0);
  if (moved || !current) {
    return withCondition(
      conditions,
      cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`),
    );
  }
  if (current.reason === 'NewReplicaSetAvailable' || current.reason === 'ProgressDeadlineExceeded')
    return conditions;
  if (input.nowMs >= progressDeadlineAt(current, deadline)) {
    return withCondition(
      conditions,
      cond(
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${rsName}" has timed out progressing.`,
      ),
    );
  }
  return conditions;
}

/** Sim epoch-ms at which a Progressing condition without progress times out. */
export function progressDeadlineAt(
  progressingCondition: { lastUpdateTime?: string } | undefined,
  deadlineSeconds: number,
): number {
  const since = Date.parse(progressingCondition?.lastUpdateTime ?? '');
  return Number.isNaN(since) ? Number.POSITIVE_INFINITY : since + deadlineSeconds * 1000;
}
