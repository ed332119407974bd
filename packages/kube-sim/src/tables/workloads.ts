/** Printers of the workload kinds: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, HPA, PDB. */
import {
  arr,
  boolPtr,
  conditionTrue,
  containerCells,
  formatLabels,
  formatSelector,
  has,
  humanDuration,
  num,
  obj,
  selectorString,
  since,
  str,
  type Json,
} from './format.ts';
import {
  AGE,
  CONTAINERS,
  IMAGES,
  NAME,
  SELECTOR,
  ageCell,
  nameCell,
  type Printer,
} from './printer.ts';

const podSpec = (o: Json) => obj(obj(obj(o.spec).template).spec);

/** AGE, CONTAINERS, IMAGES and SELECTOR: the trailing columns of the pod-template owners. */
const TEMPLATE_COLUMNS = [AGE, CONTAINERS, IMAGES, SELECTOR];

/** The cells of TEMPLATE_COLUMNS; without a selector, the first three only. */
function templateCells(o: Json, now: Date, spec: Json, selector?: string): unknown[] {
  const [containers, images] = containerCells(spec);
  const cells = [ageCell(o, now), containers, images];
  return selector === undefined ? cells : [...cells, selector];
}

export const deploymentPrinter: Printer = {
  columns: [
    NAME,
    ['Ready', 'string', '', 0, 'Number of the pod with ready state'],
    ['Up-to-date', 'string', '', 0, 'Replicas updated to the current template.'],
    ['Available', 'string', '', 0, 'Replicas available for at least minReadySeconds.'],
    ...TEMPLATE_COLUMNS,
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    return [
      nameCell(o),
      `${num(status.readyReplicas)}/${num(spec.replicas)}`,
      num(status.updatedReplicas),
      num(status.availableReplicas),
      ...templateCells(o, now, podSpec(o), selectorString(spec.selector)),
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    NAME,
    ['Desired', 'integer', '', 0, 'Number of desired pods.'],
    ['Current', 'integer', '', 0, 'Number of pods that exist.'],
    ['Ready', 'integer', '', 0, 'Number of ready pods.'],
    ...TEMPLATE_COLUMNS,
  ],
  row(o, now) {
    const status = obj(o.status);
    return [
      nameCell(o),
      num(obj(o.spec).replicas),
      num(status.replicas),
      num(status.readyReplicas),
      ...templateCells(o, now, podSpec(o), formatSelector(obj(o.spec).selector)),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [
    NAME,
    ['Ready', 'string', '', 0, 'Number of the pod with ready state'],
    AGE,
    CONTAINERS,
    IMAGES,
  ],
  row: (o, now) => [
    nameCell(o),
    `${num(obj(o.status).readyReplicas)}/${num(obj(o.spec).replicas)}`,
    ...templateCells(o, now, podSpec(o)),
  ],
};

export const daemonSetPrinter: Printer = {
  columns: [
    NAME,
    ['Desired', 'integer', '', 0, 'Nodes that should run the daemon pod.'],
    ['Current', 'integer', '', 0, 'Nodes running at least one daemon pod.'],
    ['Ready', 'integer', '', 0, 'Nodes whose daemon pod is ready.'],
    ['Up-to-date', 'integer', '', 0, 'Nodes running the updated daemon pod.'],
    ['Available', 'integer', '', 0, 'Nodes whose daemon pod is available.'],
    ['Node Selector', 'string', '', 0, 'Node selector of the pod template.'],
    ...TEMPLATE_COLUMNS,
  ],
  row(o, now) {
    const status = obj(o.status);
    return [
      nameCell(o),
      num(status.desiredNumberScheduled),
      num(status.currentNumberScheduled),
      num(status.numberReady),
      num(status.updatedNumberScheduled),
      num(status.numberAvailable),
      formatLabels(podSpec(o).nodeSelector),
      ...templateCells(o, now, podSpec(o), formatSelector(obj(o.spec).selector)),
    ];
  },
};

export function jobStatus(job: Json): string {
  const status = obj(job.status);
  if (conditionTrue(status, 'Complete')) return 'Complete';
  if (conditionTrue(status, 'Failed')) return 'Failed';
  if (has(obj(job.metadata).deletionTimestamp)) return 'Terminating';
  if (conditionTrue(status, 'Suspended')) return 'Suspended';
  if (conditionTrue(status, 'FailureTarget')) return 'FailureTarget';
  if (conditionTrue(status, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export function jobCompletions(job: Json): string {
  const spec = obj(job.spec);
  const succeeded = num(obj(job.status).succeeded);
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = num(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDuration(job: Json, now: Date): string {
  const status = obj(job.status);
  const start = Date.parse(str(status.startTime));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(status.completionTime));
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

export const jobPrinter: Printer = {
  columns: [
    NAME,
    ['Status', 'string', '', 0, 'Status of the job.'],
    ['Completions', 'string', '', 0, 'Succeeded pods out of the desired completions.'],
    ['Duration', 'string', '', 0, 'Time required to complete the job.'],
    ...TEMPLATE_COLUMNS,
  ],
  row: (o, now) => [
    nameCell(o),
    jobStatus(o),
    jobCompletions(o),
    jobDuration(o, now),
    ...templateCells(o, now, podSpec(o), formatSelector(obj(o.spec).selector)),
  ],
};

export const cronJobPrinter: Printer = {
  columns: [
    NAME,
    ['Schedule', 'string', '', 0, 'The schedule in Cron format.'],
    ['Timezone', 'string', '', 0, 'The time zone the schedule is read in.'],
    ['Suspend', 'boolean', '', 0, 'Whether new runs are suspended.'],
    ['Active', 'integer', '', 0, 'Number of running jobs.'],
    ['Last Schedule', 'string', '', 0, 'When a job was last scheduled.'],
    ...TEMPLATE_COLUMNS,
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const jobSpec = obj(obj(spec.jobTemplate).spec);
    return [
      nameCell(o),
      str(spec.schedule),
      str(spec.timeZone) || '<none>',
      boolPtr(spec.suspend),
      arr(status.active).length,
      has(status.lastScheduleTime) ? since(status.lastScheduleTime, now) : '<none>',
      ...templateCells(o, now, podSpec(obj(spec.jobTemplate)), formatSelector(jobSpec.selector)),
    ];
  },
};

function quantity(value: unknown): string {
  return str(value) || '<unknown>';
}

/** One metric as `cpu: 45%/80%` (autoscaling/v2 shape; v1 objects are converted first). */
function formatMetric(spec: Json, status: Json | undefined): string {
  const type = str(spec.type);
  if (type === 'Resource' || type === 'ContainerResource') {
    const source = obj(type === 'Resource' ? spec.resource : spec.containerResource);
    const target = obj(source.target);
    const current = obj(
      obj(type === 'Resource' ? status?.resource : status?.containerResource).current,
    );
    const metric = str(source.name);
    if (has(target.averageValue)) {
      return `${metric}: ${has(current.averageValue) ? quantity(current.averageValue) : '<unknown>'}/${quantity(target.averageValue)}`;
    }
    const cur = has(current.averageUtilization)
      ? `${num(current.averageUtilization)}%`
      : '<unknown>';
    const tgt = has(target.averageUtilization) ? `${num(target.averageUtilization)}%` : '<auto>';
    return `${metric}: ${cur}/${tgt}`;
  }
  const key = type === 'Pods' ? 'pods' : type === 'Object' ? 'object' : 'external';
  const target = obj(obj(spec[key]).target);
  const current = obj(obj(status?.[key]).current);
  if (has(target.averageValue)) {
    const avg = type === 'Pods' ? '' : ' (avg)';
    return `${has(current.averageValue) ? quantity(current.averageValue) : '<unknown>'}/${quantity(target.averageValue)}${avg}`;
  }
  return `${has(current.value) ? quantity(current.value) : '<unknown>'}/${quantity(target.value)}`;
}

function hpaMetrics(hpa: Json): { specs: Json[]; statuses: Json[] } {
  const spec = obj(hpa.spec);
  const status = obj(hpa.status);
  if (has(spec.targetCPUUtilizationPercentage)) {
    const resource = {
      name: 'cpu',
      target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage },
    };
    const current = has(status.currentCPUUtilizationPercentage)
      ? [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              current: { averageUtilization: status.currentCPUUtilizationPercentage },
            },
          },
        ]
      : [];
    return { specs: [{ type: 'Resource', resource }], statuses: current };
  }
  return { specs: arr(spec.metrics), statuses: arr(status.currentMetrics) };
}

export function hpaTargets(hpa: Json): string {
  const { specs, statuses } = hpaMetrics(hpa);
  if (specs.length === 0) return '<none>';
  const list = specs.map((s, i) => formatMetric(s, statuses[i]));
  const shown = list.slice(0, 2).join(', ');
  return list.length > 2 ? `${shown} + ${list.length - 2} more...` : shown;
}

export const hpaPrinter: Printer = {
  columns: [
    NAME,
    ['Reference', 'string', '', 0, 'The object whose scale is controlled.'],
    ['Targets', 'string', '', 0, 'Current and target values of each metric.'],
    ['MinPods', 'string', '', 0, 'Lower limit of replicas.'],
    ['MaxPods', 'string', '', 0, 'Upper limit of replicas.'],
    ['Replicas', 'string', '', 0, 'Current number of replicas.'],
    AGE,
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const ref = obj(spec.scaleTargetRef);
    return [
      nameCell(o),
      `${str(ref.kind)}/${str(ref.name)}`,
      hpaTargets(o),
      has(spec.minReplicas) ? String(num(spec.minReplicas)) : '<unset>',
      num(spec.maxReplicas),
      num(obj(o.status).currentReplicas),
      ageCell(o, now),
    ];
  },
};

export const pdbPrinter: Printer = {
  columns: [
    NAME,
    ['Min Available', 'string', '', 0, 'The minimum number of pods that must be available.'],
    ['Max Unavailable', 'string', '', 0, 'The maximum number of pods that may be unavailable.'],
    [
      'Allowed Disruptions',
      'integer',
      '',
      0,
      'Calculated number of pods that may be disrupted at this time.',
    ],
    AGE,
  ],
  row(o, now) {
    const spec = obj(o.spec);
    return [
      nameCell(o),
      has(spec.minAvailable) ? str(spec.minAvailable) : 'N/A',
      has(spec.maxUnavailable) ? str(spec.maxUnavailable) : 'N/A',
      num(obj(o.status).disruptionsAllowed),
      ageCell(o, now),
    ];
  },
};

export const controllerRevisionPrinter: Printer = {
  columns: [
    NAME,
    ['Controller', 'string', '', 0, 'Controller of the object'],
    ['Revision', 'string', '', 0, 'Revision number of the state.'],
    AGE,
  ],
  row(o, now) {
    const owner = arr(obj(o.metadata).ownerReferences).find((r) => r.controller === true);
    let controller = '<none>';
    if (owner !== undefined) {
      const apiVersion = str(owner.apiVersion);
      const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
      const kind = str(owner.kind).toLowerCase();
      controller = `${group ? `${kind}.${group}` : kind}/${str(owner.name)}`;
    }
    return [nameCell(o), controller, num(o.revision), ageCell(o, now)];
  },
};
