import { dryRunIfAllowed } from './dry-run.ts';
import { z } from 'zod';
import type { Cluster } from '../cluster.ts';
import { DriftError, KubeApiError, PreconditionError, StepMismatchError } from '../errors.ts';
import { deepEqual, setOps } from '../json-pointer.ts';
import { refString } from '../types.ts';
import type { KubeObject } from '../types.ts';
import { ContainerName, Name, Namespace } from '../validation.ts';
import { selectorString } from '../analyzers/helpers.ts';
import { EnvVar } from './pod-template.ts';
import type { ActionDefinition, PlannedStep } from './types.ts';
import { FIELD_MANAGER } from './types.ts';
import { OPERATION_ANNOTATION } from './write.ts';

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

/**
 * A Job's pod template cannot be changed, so a fix to it (a missing variable) is applied by
 * re-running the Job with the change: only env vars of one container, set by value or by
 * reference, like SetContainerEnv.
 */
const EnvChange = z.strictObject({
  container: ContainerName,
  set: z.array(EnvVar).min(1).max(20),
});
type EnvChange = z.infer<typeof EnvChange>;

const RecreateArgs = z.strictObject({
  namespace: Namespace,
  name: Name,
  env: EnvChange.optional(),
});

function withEnv(template: KubeObject['spec'], change: EnvChange, job: string) {
  const container = (template.spec?.containers ?? []).find(
    (c: { name: string }) => c.name === change.container,
  );
  if (!container)
    throw new PreconditionError(
      'RecreateJob',
      `Job ${job} has no container ${change.container} to set variables on`,
    );
  const env = [...((container.env ?? []) as EnvVar[])];
  for (const variable of change.set) {
    const index = env.findIndex((v) => v.name === variable.name);
    if (index >= 0) env[index] = variable;
    else env.push(variable);
  }
  container.env = env;
}

/**
 * A fresh Job from a finished one: same spec, minus what the Job controller generated, with
 * the env change when one is given.
 */
export function freshJob(job: KubeObject, env?: EnvChange): KubeObject {
  const template = structuredClone(job.spec.template);
  for (const label of JOB_LABELS) delete template.metadata?.labels?.[label];
  if (env) withEnv(template, env, `${job.metadata.namespace}/${job.metadata.name}`);
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
 * RecreateJob = delete the finished Job (preconditions: its planned uid and the
 * resourceVersion just read) and create a fresh one derived from that live Job again —
 * never from the plan's diff, which is only what the approver was shown. The derived
 * manifest must still equal the one shown (its spec, labels), else nothing is written
 * (DriftError on "/spec"). The new Job carries the old uid in an annotation: a retry after
 * a crash sees the old Job (delete not done), the new Job (done), or no Job — the one case
 * it refuses, because the only spec left is the diff's (a person re-creates it from there).
 *
 * Observed: before = the deleted Job's resourceVersion, after = the new Job's.
 */
export const RecreateJob: ActionDefinition<z.infer<typeof RecreateArgs>> = {
  name: 'RecreateJob',
  description:
    'Run a finished (failed or complete) Job again: delete it and create it anew with the same spec, or with env vars of one container set.',
  schema: RecreateArgs,
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
      await dryRunIfAllowed(() =>
        cluster.remove('Job', args.namespace, args.name, {
          dryRun: true,
          preconditions: { uid: live.metadata.uid!, resourceVersion: rv },
        }),
      );
      const manifest = freshJob(live, args.env);
      const change = args.env
        ? `, with ${args.env.set.map((v) => v.name).join(', ')} set in container ${args.env.container}`
        : ' with the same spec';
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
        summary: `re-run Job ${args.namespace}/${args.name}: delete it and create it again${change}`,
      };
    },
    async apply(step, cluster, write) {
      const { namespace, name } = step.target as { namespace: string; name: string };
      const oldUid = plannedUid('RecreateJob', step);
      const shown = step.diff[0]?.after as unknown as KubeObject | undefined;
      const drift = (live: KubeObject | null, changed: string | null) =>
        new DriftError(
          refString(step.target),
          step.target.resourceVersion,
          live?.metadata.resourceVersion ?? null,
          changed,
        );
      const live = await cluster.get('Job', namespace, name);
      if (live && live.metadata.annotations?.[RECREATED_FROM] === oldUid) {
        // An earlier attempt finished the step; nothing is written again.
        const rv = String(live.metadata.resourceVersion);
        return { resourceVersionBefore: step.target.resourceVersion, resourceVersionAfter: rv };
      }
      if (!live)
        throw new PreconditionError(
          'RecreateJob',
          `Job ${namespace}/${name} was deleted but not created again (an earlier attempt stopped in between); ` +
            'create it from the spec shown in the plan, then plan again if needed',
        );
      if (live.metadata.uid !== oldUid) throw drift(live, '/metadata/uid');
      const manifest = freshJob(
        live,
        (write.args as z.infer<typeof RecreateArgs> | undefined)?.env,
      );
      // What the approver was shown must be what the live Job gives; the diff is never used.
      if (!shown || !deepEqual(manifest.spec, shown.spec))
        throw new StepMismatchError(
          'RecreateJob',
          'diff',
          'the Job spec shown differs from the live Job',
        );
      if (!deepEqual(manifest.metadata.labels, shown.metadata?.labels))
        throw new StepMismatchError(
          'RecreateJob',
          'diff',
          'the Job labels shown differ from the live Job',
        );
      if (write.operationId)
        manifest.metadata.annotations![OPERATION_ANNOTATION] = write.operationId;
      const before = String(live.metadata.resourceVersion);
      try {
        await cluster.remove('Job', namespace, name, {
          fieldManager: FIELD_MANAGER,
          preconditions: { uid: live.metadata.uid!, resourceVersion: before },
        });
      } catch (error) {
        if (error instanceof KubeApiError && [404, 409].includes(error.status)) {
          const now = await cluster.get('Job', namespace, name);
          throw drift(now, now ? '/metadata/resourceVersion' : null);
        }
        throw error;
      }
      await waitGone(cluster, 'Job', namespace, name, live.metadata.uid!);
      const created = await cluster.create('Job', namespace, manifest, {
        fieldManager: FIELD_MANAGER,
      });
      return {
        resourceVersionBefore: before,
        resourceVersionAfter: String(created.metadata.resourceVersion),
      };
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

function controllerOf(pod: KubeObject) {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (!owner || !CONTROLLERS.includes(owner.kind)) {
    throw new PreconditionError(
      'DeletePod',
      `pod ${pod.metadata.namespace}/${pod.metadata.name} has no controller that would recreate it; refusing to delete it`,
    );
  }
  return owner;
}

/** The uid the step was planned against (its diff's before), which the write is pinned to. */
function plannedUid(action: string, step: PlannedStep): string {
  const uid = (step.diff[0]?.before as { uid?: unknown } | null | undefined)?.uid;
  if (typeof uid !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(uid))
    throw new StepMismatchError(action, 'diff', 'the step names no planned uid');
  return uid;
}

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
      const owner = controllerOf(live);
      const rv = String(live.metadata.resourceVersion);
      await dryRunIfAllowed(() =>
        cluster.remove('Pod', args.namespace, args.name, {
          dryRun: true,
          preconditions: { uid: live.metadata.uid!, resourceVersion: rv },
        }),
      );
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
    /**
     * Observed: before = the resourceVersion of the pod deleted (the delete is pinned to it
     * and to the planned uid), after = null. A pod with a grace period is Terminating for a
     * while after the delete; the step is done when the delete is accepted.
     */
    async apply(step, cluster) {
      const uid = plannedUid('DeletePod', step);
      const { namespace, name } = step.target;
      for (let attempt = 1; ; attempt += 1) {
        const live = await cluster.get('Pod', namespace, name);
        if (!live || live.metadata.uid !== uid)
          throw new DriftError(
            refString(step.target),
            step.target.resourceVersion,
            live?.metadata.resourceVersion ?? null,
            live ? '/metadata/uid' : null,
          );
        // Re-derived like planning: only a pod some controller recreates is ever deleted.
        controllerOf(live);
        const before = String(live.metadata.resourceVersion);
        try {
          await cluster.remove('Pod', namespace, name, {
            preconditions: { uid, resourceVersion: before },
          });
          return { resourceVersionBefore: before, resourceVersionAfter: null };
        } catch (error) {
          // A status write in between (a crashlooping pod's restarts): read again.
          const raced = error instanceof KubeApiError && [404, 409].includes(error.status);
          if (!raced || attempt >= 5) throw error;
        }
      }
    },
    async isApplied(step: PlannedStep, cluster: Cluster) {
      const uid = (step.diff[0]?.before as { uid: string }).uid;
      const live = await cluster.get('Pod', step.target.namespace, step.target.name);
      return !live || live.metadata.uid !== uid || Boolean(live.metadata.deletionTimestamp);
    },
  },
};
