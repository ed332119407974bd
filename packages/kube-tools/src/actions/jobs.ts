import { z } from 'zod';
import type { Cluster } from '../cluster.ts';
import { DriftError, KubeApiError, PreconditionError } from '../errors.ts';
import { setOps } from '../json-pointer.ts';
import { refString } from '../types.ts';
import type { KubeObject } from '../types.ts';
import { Name, Namespace } from '../validation.ts';
import { selectorString } from '../analyzers/helpers.ts';
import type { ActionDefinition, PlannedStep } from './types.ts';
import { FIELD_MANAGER } from './types.ts';

const CronArgs = z.strictObject({ namespace: Namespace, name: Name });

function suspendAction(
  name: string,
  suspend: boolean,
  inverse: string,
): ActionDefinition<z.infer<typeof CronArgs>> {
  return {
    name,
    description: suspend
      ? 'Stop a CronJob from starting new Jobs.'
      : 'Let a suspended CronJob start Jobs again.',
    schema: CronArgs,
    risk: 'low',
    target: (a) => ({ kind: 'CronJob', namespace: a.namespace, name: a.name }),
    compute: (live, a) => ({
      ops: setOps(live, ['spec', 'suspend'], suspend),
      summary: `${suspend ? 'suspend' : 'resume'} CronJob ${a.namespace}/${a.name}`,
    }),
    checks: () => [],
    inverse: (step) => ({
      action: inverse,
      args: { namespace: step.args.namespace, name: step.args.name },
    }),
  };
}

export const SuspendCronJob = suspendAction('SuspendCronJob', true, 'ResumeCronJob');
export const ResumeCronJob = suspendAction('ResumeCronJob', false, 'SuspendCronJob');

const RECREATED_FROM = 'opsloop.dev/recreated-from-uid';
const JOB_LABELS = [
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
];

/** A fresh Job from a finished one: same spec, minus what the Job controller generated. */
export function freshJob(job: KubeObject): KubeObject {
  const template = structuredClone(job.spec.template);
  for (const label of JOB_LABELS) delete template.metadata?.labels?.[label];
  const spec = { ...structuredClone(job.spec), template };
  delete spec.selector;
  delete spec.manualSelector;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: job.metadata.name,
      namespace: job.metadata.namespace,
      labels: Object.fromEntries(
        Object.entries(job.metadata.labels ?? {}).filter(([k]) => !JOB_LABELS.includes(k)),
      ),
      annotations: { [RECREATED_FROM]: job.metadata.uid! },
    },
    spec,
  };
}

async function waitGone(
  cluster: Cluster,
  kind: string,
  namespace: string,
  name: string,
  uid: string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const live = await cluster.get(kind, namespace, name);
    if (!live || live.metadata.uid !== uid) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new PreconditionError(
    'RecreateJob',
    `${kind} ${namespace}/${name} was not deleted within 60 s; check its finalizers`,
  );
}

/**
 * RecreateJob = delete the finished Job (preconditions: its uid and the planned
 * resourceVersion, so a changed Job is never deleted) and create a fresh one from the
 * manifest shown in the plan's diff. The new Job carries the old uid in an annotation: a
 * retry after a crash sees either the old Job (delete not done), no Job (create still to
 * do), or the new Job (done) — and never deletes or creates twice.
 */
export const RecreateJob: ActionDefinition<z.infer<typeof CronArgs>> = {
  name: 'RecreateJob',
  description:
    'Run a finished (failed or complete) Job again: delete it and create it anew with the same spec.',
  schema: CronArgs,
  risk: 'medium',
  target: (a) => ({ kind: 'Job', namespace: a.namespace, name: a.name }),
  compute: () => {
    throw new Error('RecreateJob is planned by its custom execution');
  },
  checks: (a) => [{ name: 'JobComplete', args: { namespace: a.namespace, name: a.name } }],
  inverse: () => null,
  custom: {
    async plan(args, live, cluster) {
      const finished = (live.status?.conditions ?? []).some(
        (c: { type: string; status: string }) =>
          ['Failed', 'Complete'].includes(c.type) && c.status === 'True',
      );
      if (!finished)
        throw new PreconditionError(
          'RecreateJob',
          `Job ${args.namespace}/${args.name} is still running; wait for it to finish or fail`,
        );
      const rv = String(live.metadata.resourceVersion);
      await cluster.remove('Job', args.namespace, args.name, {
        dryRun: true,
        preconditions: { uid: live.metadata.uid!, resourceVersion: rv },
      });
      const manifest = freshJob(live);
      return {
        target: {
          apiVersion: 'batch/v1',
          kind: 'Job',
          namespace: args.namespace,
          name: args.name,
          resourceVersion: rv,
        },
        diff: [
          {
            path: 'job',
            before: {
              uid: live.metadata.uid!,
              failed: live.status?.failed ?? 0,
              succeeded: live.status?.succeeded ?? 0,
            },
            after: manifest as never,
          },
        ],
        risk: 'medium',
        checks: [{ name: 'JobComplete', args: { namespace: args.namespace, name: args.name } }],
        summary: `re-run Job ${args.namespace}/${args.name}: delete it and create it again with the same spec`,
      };
    },
    async apply(step, cluster) {
      const { namespace, name } = step.target as { namespace: string; name: string };
      const manifest = step.diff[0]?.after as unknown as KubeObject;
      const oldUid = manifest.metadata.annotations![RECREATED_FROM]!;
      const live = await cluster.get('Job', namespace, name);
      if (live && live.metadata.uid === oldUid) {
        try {
          await cluster.remove('Job', namespace, name, {
            fieldManager: FIELD_MANAGER,
            preconditions: { uid: oldUid, resourceVersion: step.target.resourceVersion },
          });
        } catch (error) {
          if (error instanceof KubeApiError && error.status === 409)
            throw new DriftError(
              refString(step.target),
              step.target.resourceVersion,
              live.metadata.resourceVersion ?? null,
            );
          throw error;
        }
        await waitGone(cluster, 'Job', namespace, name, oldUid);
      } else if (live && live.metadata.annotations?.[RECREATED_FROM] !== oldUid) {
        throw new DriftError(
          refString(step.target),
          step.target.resourceVersion,
          live.metadata.resourceVersion ?? null,
        );
      } else if (live) {
        return; // already recreated by an earlier attempt
      }
      await cluster.create('Job', namespace, manifest, { fieldManager: FIELD_MANAGER });
    },
    async isApplied(step, cluster) {
      const live = await cluster.get('Job', step.target.namespace, step.target.name);
      const oldUid = (step.diff[0]?.before as { uid?: string } | undefined)?.uid;
      return live !== null && live.metadata.annotations?.[RECREATED_FROM] === oldUid;
    },
  },
};

const PodArgs = z.strictObject({ namespace: Namespace, name: Name });
const CONTROLLERS = ['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'];
const GENERATED_LABELS = [
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
];

/**
 * DeletePod removes one pod that a controller will replace (never a bare pod). The delete
 * names the planned uid and resourceVersion as preconditions, so a changed or replaced pod
 * is never deleted; once the planned uid is gone, isApplied is true and nothing repeats.
 */
export const DeletePod: ActionDefinition<z.infer<typeof PodArgs>> = {
  name: 'DeletePod',
  description: 'Delete one controller-owned pod so its controller replaces it.',
  schema: PodArgs,
  risk: 'medium',
  target: (a) => ({ kind: 'Pod', namespace: a.namespace, name: a.name }),
  compute: () => {
    throw new Error('DeletePod is planned by its custom execution');
  },
  checks: () => [],
  inverse: () => null,
  custom: {
    async plan(args, live, cluster) {
      const owner = live.metadata.ownerReferences?.find((o) => o.controller);
      if (!owner || !CONTROLLERS.includes(owner.kind)) {
        throw new PreconditionError(
          'DeletePod',
          `pod ${args.namespace}/${args.name} has no controller that would recreate it; refusing to delete it`,
        );
      }
      const rv = String(live.metadata.resourceVersion);
      await cluster.remove('Pod', args.namespace, args.name, {
        dryRun: true,
        preconditions: { uid: live.metadata.uid!, resourceVersion: rv },
      });
      const labels = Object.fromEntries(
        Object.entries(live.metadata.labels ?? {}).filter(([k]) => !GENERATED_LABELS.includes(k)),
      );
      const selector = selectorString(labels);
      return {
        target: {
          apiVersion: 'v1',
          kind: 'Pod',
          namespace: args.namespace,
          name: args.name,
          resourceVersion: rv,
        },
        diff: [
          {
            path: 'pod',
            before: {
              uid: live.metadata.uid!,
              phase: live.status?.phase ?? 'Unknown',
              owner: `${owner.kind}/${owner.name}`,
            },
            after: null,
          },
        ],
        risk: 'medium',
        checks: selector
          ? [
              {
                name: 'PodsHealthy',
                args: { namespace: args.namespace, selector, stableSeconds: 30 },
              },
            ]
          : [],
        summary: `delete pod ${args.namespace}/${args.name}; ${owner.kind} ${owner.name} creates a replacement`,
      };
    },
    async apply(step, cluster) {
      const uid = (step.diff[0]?.before as { uid: string }).uid;
      try {
        await cluster.remove('Pod', step.target.namespace, step.target.name, {
          preconditions: { uid, resourceVersion: step.target.resourceVersion },
        });
      } catch (error) {
        if (error instanceof KubeApiError && (error.status === 409 || error.status === 404)) {
          const live = await cluster.get('Pod', step.target.namespace, step.target.name);
          throw new DriftError(
            refString(step.target),
            step.target.resourceVersion,
            live?.metadata.resourceVersion ?? null,
          );
        }
        throw error;
      }
    },
    async isApplied(step: PlannedStep, cluster: Cluster) {
      const uid = (step.diff[0]?.before as { uid: string }).uid;
      const live = await cluster.get('Pod', step.target.namespace, step.target.name);
      return !live || live.metadata.uid !== uid || Boolean(live.metadata.deletionTimestamp);
    },
  },
};
