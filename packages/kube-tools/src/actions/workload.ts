import { z } from 'zod';
import { PreconditionError } from '../errors.ts';
import { pointer, setOps } from '../json-pointer.ts';
import type { KubeObject } from '../types.ts';
import { ImageRef, Name, Namespace } from '../validation.ts';
import {
  POD_SPEC,
  containerFields,
  containerStepArgs,
  diffBefore,
  findContainer,
  rolloutChecks,
  workloadArgs,
  workloadFields,
  workloadTarget,
} from './common.ts';
import type { ActionDefinition } from './types.ts';

const ScaleArgs = z.strictObject({
  namespace: Namespace,
  kind: z.enum(['Deployment', 'StatefulSet', 'ReplicaSet']),
  name: Name,
  replicas: z.number().int().min(0).max(1000),
});

export const ScaleWorkload: ActionDefinition<z.infer<typeof ScaleArgs>> = {
  name: 'ScaleWorkload',
  description: 'Set the replica count of a Deployment, StatefulSet or ReplicaSet.',
  schema: ScaleArgs,
  risk: 'low',
  target: workloadTarget,
  compute(live, a) {
    const before = Number(live.spec?.replicas ?? 1);
    const risk = a.replicas === 0 ? 'high' : a.replicas < before ? 'medium' : 'low';
    return {
      ops: setOps(live, ['spec', 'replicas'], a.replicas),
      summary: `scale ${a.kind} ${a.namespace}/${a.name} from ${before} to ${a.replicas} replicas`,
      risk,
    };
  },
  checks: (a, live) => (a.kind === 'ReplicaSet' ? [] : rolloutChecks(a, live)),
  inverse: (step) => ({
    action: 'ScaleWorkload',
    args: { ...workloadArgs(step), replicas: Number(diffBefore(step, 'spec.replicas') ?? 1) },
  }),
};

const SetImageArgs = z.strictObject({ ...containerFields, image: ImageRef });

export const SetImage: ActionDefinition<z.infer<typeof SetImageArgs>> = {
  name: 'SetImage',
  description:
    "Change one container's image (init containers included) in a workload's pod template.",
  schema: SetImageArgs,
  risk: 'medium',
  target: workloadTarget,
  compute(live, a) {
    const at = findContainer('SetImage', live, a.container);
    return {
      ops: setOps(live, [...at.segments, 'image'], a.image),
      summary: `set image of container ${a.container} in ${a.kind} ${a.namespace}/${a.name} from ${String(at.container.image)} to ${a.image}`,
    };
  },
  checks: rolloutChecks,
  inverse(step) {
    const before = diffBefore(step, '.image');
    return typeof before === 'string'
      ? {
          action: 'SetImage',
          args: { ...containerStepArgs(step), image: before },
        }
      : null;
  },
};

const RestartArgs = z.strictObject({ ...workloadFields });
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const STAMP_PATH = ['spec', 'template', 'metadata', 'annotations', RESTARTED_AT];

/**
 * Whether a stored op value is a restart stamp at `path`: setOps writes the timestamp at the
 * annotation itself, or at the first missing level wrapped in exactly the levels below it.
 */
function isRestartStamp(path: string, value: unknown): boolean {
  const depth = STAMP_PATH.findIndex((_, i) => pointer(STAMP_PATH.slice(0, i + 1)) === path);
  if (depth < 2) return false;
  let leaf = value;
  for (const key of STAMP_PATH.slice(depth + 1)) {
    if (!leaf || typeof leaf !== 'object' || Object.keys(leaf).join() !== key) return false;
    leaf = (leaf as Record<string, unknown>)[key];
  }
  return typeof leaf === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(leaf);
}

export const RolloutRestart: ActionDefinition<z.infer<typeof RestartArgs>> = {
  name: 'RolloutRestart',
  description:
    'Restart all pods of a workload by a rolling update (as kubectl rollout restart does).',
  schema: RestartArgs,
  risk: 'medium',
  target: workloadTarget,
  compute(live, a) {
    // Millisecond precision: two restarts planned within one second still differ.
    const at = new Date().toISOString();
    return {
      ops: setOps(live, STAMP_PATH, at),
      summary: `rolling restart of ${a.kind} ${a.namespace}/${a.name}`,
    };
  },
  // The planned timestamp, not the executor's clock, is what the approver approved.
  volatile: isRestartStamp,
  checks: rolloutChecks,
  inverse: () => null,
};

const UndoArgs = z.strictObject({
  namespace: Namespace,
  kind: z.literal('Deployment'),
  name: Name,
  /** Revision to return to; omitted means the one before the current. */
  toRevision: z.number().int().min(1).max(1_000_000).optional(),
});
const REVISION = 'deployment.kubernetes.io/revision';

export const RolloutUndo: ActionDefinition<z.infer<typeof UndoArgs>> = {
  name: 'RolloutUndo',
  description:
    "Roll a Deployment's pod template back to an earlier revision (kept in its ReplicaSets).",
  schema: UndoArgs,
  risk: 'medium',
  target: workloadTarget,
  async compute(live, a, cluster) {
    const uid = live.metadata.uid;
    const all = await cluster.list('ReplicaSet', a.namespace);
    const owned = all.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === uid));
    const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);
    const current = Number(
      live.metadata.annotations?.[REVISION] ?? Math.max(0, ...owned.map(revisionOf)),
    );
    const candidates = owned
      .filter((rs) => revisionOf(rs) !== current)
      .sort((x, y) => revisionOf(y) - revisionOf(x));
    const chosen =
      a.toRevision === undefined
        ? candidates[0]
        : candidates.find((rs) => revisionOf(rs) === a.toRevision);
    if (!chosen) {
      const known = owned.map(revisionOf).sort((x, y) => x - y);
      throw new PreconditionError(
        'RolloutUndo',
        `Deployment ${a.namespace}/${a.name} has no revision ${a.toRevision ?? 'before ' + current} to return to (revisions: ${known.join(', ') || 'none'})`,
      );
    }
    const template = structuredClone(chosen.spec.template) as KubeObject;
    delete template.metadata?.labels?.['pod-template-hash'];
    return {
      ops: [
        // Records the revision we leave, so the inverse can return to it; the server checks it too.
        ...(live.metadata.annotations?.[REVISION] === undefined
          ? []
          : [
              {
                op: 'test' as const,
                path: `/metadata/annotations/${REVISION.replace('/', '~1')}`,
                value: String(current),
              },
            ]),
        ...setOps(live, ['spec', 'template'], template),
      ],
      summary: `roll back Deployment ${a.namespace}/${a.name} from revision ${current} to revision ${revisionOf(chosen)}`,
    };
  },
  checks: rolloutChecks,
  inverse(step) {
    const ops = (step.patch?.body ?? []) as { op: string; path: string; value?: unknown }[];
    const left = ops.find((op) => op.op === 'test' && op.path.endsWith('revision'));
    return left
      ? {
          action: 'RolloutUndo',
          args: { ...workloadArgs(step), kind: 'Deployment', toRevision: Number(left.value) },
        }
      : null;
  },
};

export { POD_SPEC };
