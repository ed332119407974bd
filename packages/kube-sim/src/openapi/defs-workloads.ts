/** Workload kinds: apps/v1 and batch/v1. */
import { kindDef } from './kinds.ts';
import type { Definition, Field } from './model.ts';
import { ATOMIC } from './model.ts';

const gvk = (group: string, version: string, kind: string) => ({ group, version, kind });
const status = (what: string): Field => [
  'object',
  `Most recently observed status of the ${what}. Read-only.`,
];
const selector: Field = [
  '@LabelSelector',
  'Label query over the pods it manages; must match the template labels.',
];
const template: Field = ['@PodTemplateSpec', 'The pods it creates.'];
const minReady: Field = ['int32', 'Seconds a new pod must be ready to count as available.'];
const history: Field = ['int32', 'Old revisions kept to allow rollback.'];

const APPS = 'io.k8s.api.apps.v1';
const BATCH = 'io.k8s.api.batch.v1';

export const workloadDefs: Record<string, Definition> = {
  Deployment: kindDef(
    `${APPS}.Deployment`,
    gvk('apps', 'v1', 'Deployment'),
    'Declarative updates for pods and ReplicaSets.',
    {
      spec: ['@DeploymentSpec', 'Desired behaviour of the deployment.'],
      status: status('deployment'),
    },
  ),
  DeploymentSpec: {
    name: `${APPS}.DeploymentSpec`,
    description: 'The desired state of a deployment.',
    required: ['selector', 'template'],
    fields: {
      minReadySeconds: minReady,
      paused: ['boolean', 'Stops rollouts while true.'],
      progressDeadlineSeconds: [
        'int32',
        'Seconds before a stalled rollout is reported as failed. Default 600.',
      ],
      replicas: ['int32', 'Number of desired pods. Default 1.'],
      revisionHistoryLimit: history,
      selector,
      strategy: ['@DeploymentStrategy', 'How old pods are replaced by new ones.'],
      template,
    },
  },
  DeploymentStrategy: {
    name: `${APPS}.DeploymentStrategy`,
    description: 'How a deployment replaces pods.',
    fields: {
      rollingUpdate: ['@RollingUpdateDeployment', 'Parameters of a RollingUpdate.'],
      type: ['string', 'RollingUpdate (default) or Recreate.'],
    },
  },
  RollingUpdateDeployment: {
    name: `${APPS}.RollingUpdateDeployment`,
    description: 'Bounds on pods during a rolling update.',
    fields: {
      maxSurge: [
        '@IntOrString',
        'Pods allowed above the desired count, as a number or percentage. Default 25%.',
      ],
      maxUnavailable: [
        '@IntOrString',
        'Pods allowed to be unavailable, as a number or percentage. Default 25%.',
      ],
    },
  },
  ReplicaSet: kindDef(
    `${APPS}.ReplicaSet`,
    gvk('apps', 'v1', 'ReplicaSet'),
    'Keeps a number of identical pods running.',
    {
      spec: ['@ReplicaSetSpec', 'Desired behaviour of the replica set.'],
      status: status('replica set'),
    },
  ),
  ReplicaSetSpec: {
    name: `${APPS}.ReplicaSetSpec`,
    description: 'The desired state of a replica set.',
    required: ['selector'],
    fields: {
      minReadySeconds: minReady,
      replicas: ['int32', 'Number of desired pods.'],
      selector,
      template,
    },
  },
  StatefulSet: kindDef(
    `${APPS}.StatefulSet`,
    gvk('apps', 'v1', 'StatefulSet'),
    'Pods with stable identities and storage.',
    {
      spec: ['@StatefulSetSpec', 'Desired behaviour of the stateful set.'],
      status: status('stateful set'),
    },
  ),
  StatefulSetSpec: {
    name: `${APPS}.StatefulSetSpec`,
    description: 'The desired state of a stateful set.',
    required: ['selector', 'template'],
    fields: {
      minReadySeconds: minReady,
      ordinals: ['object', 'Numbering of the replicas.'],
      persistentVolumeClaimRetentionPolicy: [
        'object',
        'Whether claims are deleted with the set or on scale-down.',
      ],
      podManagementPolicy: ['string', 'OrderedReady (default) or Parallel.'],
      replicas: ['int32', 'Number of desired pods. Default 1.'],
      revisionHistoryLimit: history,
      selector,
      serviceName: ['string', 'Headless service giving the pods their DNS names.'],
      template,
      updateStrategy: ['object', 'RollingUpdate (default) or OnDelete.'],
      volumeClaimTemplates: ['[]object', 'Claims created for every pod.', ATOMIC],
    },
  },
  DaemonSet: kindDef(
    `${APPS}.DaemonSet`,
    gvk('apps', 'v1', 'DaemonSet'),
    'Runs a copy of a pod on every (selected) node.',
    {
      spec: ['@DaemonSetSpec', 'Desired behaviour of the daemon set.'],
      status: status('daemon set'),
    },
  ),
  DaemonSetSpec: {
    name: `${APPS}.DaemonSetSpec`,
    description: 'The desired state of a daemon set.',
    required: ['selector', 'template'],
    fields: {
      minReadySeconds: minReady,
      revisionHistoryLimit: history,
      selector,
      template,
      updateStrategy: ['object', 'RollingUpdate (default) or OnDelete.'],
    },
  },
  ControllerRevision: kindDef(
    `${APPS}.ControllerRevision`,
    gvk('apps', 'v1', 'ControllerRevision'),
    'An immutable snapshot of state.',
    {},
    true,
  ),
  Job: kindDef(
    `${BATCH}.Job`,
    gvk('batch', 'v1', 'Job'),
    'Runs pods until a number of them complete.',
    {
      spec: ['@JobSpec', 'Desired behaviour of the job.'],
      status: status('job'),
    },
  ),
  JobSpec: {
    name: `${BATCH}.JobSpec`,
    description: 'The desired behaviour of a job.',
    required: ['template'],
    fields: {
      activeDeadlineSeconds: ['int64', 'Seconds the job may run before it is failed.'],
      backoffLimit: ['int32', 'Retries before the job is failed. Default 6.'],
      backoffLimitPerIndex: ['int32', 'Retries per index for Indexed jobs.'],
      completionMode: ['string', 'NonIndexed (default) or Indexed.'],
      completions: ['int32', 'Successful pods needed to finish.'],
      managedBy: ['string', 'Controller that manages the job.'],
      manualSelector: ['boolean', 'Use the given selector instead of a generated one.'],
      maxFailedIndexes: ['int32', 'Failed indexes tolerated before the job fails.'],
      parallelism: ['int32', 'Pods running at once.'],
      podFailurePolicy: ['object', 'How pod failures count.'],
      podReplacementPolicy: ['string', 'When replacement pods are created.'],
      selector,
      successPolicy: ['object', 'When the job counts as succeeded.'],
      suspend: ['boolean', 'Suspends the job while true.'],
      template,
      ttlSecondsAfterFinished: ['int32', 'Seconds after finishing before the job is deleted.'],
    },
  },
  CronJob: kindDef(`${BATCH}.CronJob`, gvk('batch', 'v1', 'CronJob'), 'Runs a job on a schedule.', {
    spec: ['@CronJobSpec', 'Desired behaviour of the cron job.'],
    status: status('cron job'),
  }),
  CronJobSpec: {
    name: `${BATCH}.CronJobSpec`,
    description: 'The schedule and the job to run.',
    required: ['schedule', 'jobTemplate'],
    fields: {
      concurrencyPolicy: ['string', 'Allow (default), Forbid or Replace.'],
      failedJobsHistoryLimit: ['int32', 'Failed jobs kept. Default 1.'],
      jobTemplate: ['@JobTemplateSpec', 'The job created at each run.'],
      schedule: ['string', 'Schedule in Cron format.'],
      startingDeadlineSeconds: ['int64', 'Deadline for starting a missed run.'],
      successfulJobsHistoryLimit: ['int32', 'Successful jobs kept. Default 3.'],
      suspend: ['boolean', 'Suspends future runs while true.'],
      timeZone: ['string', 'Time zone of the schedule.'],
    },
  },
  JobTemplateSpec: {
    name: `${BATCH}.JobTemplateSpec`,
    description: 'The jobs a cron job creates.',
    fields: {
      metadata: ['@ObjectMeta', 'Metadata of the created jobs.'],
      spec: ['@JobSpec', 'Spec of the created jobs.'],
    },
  },
};
