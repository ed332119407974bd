/**
 * Server-side printing: `GET …` with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
 * answers a meta.k8s.io/v1 Table whose columns and cells match what kube-apiserver prints,
 * so `kubectl get` shows the familiar output. Wide (priority 1) cells are always present;
 * kubectl hides them unless `-o wide`.
 */
import type { KObject } from '../api/types.ts';
import type { ResourceType } from '../resources.ts';
import * as core from './core.ts';
import type { Json } from './format.ts';
import * as other from './other.ts';
import { podPrinter } from './pods.ts';
import type { Printer } from './printer.ts';
import * as workloads from './workloads.ts';

export { humanDuration } from './format.ts';
export { summarizePod, type PodSummary } from './pods.ts';
export type { Printer } from './printer.ts';

const PRINTERS: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/Service': core.servicePrinter,
  '/Endpoints': core.endpointsPrinter,
  '/Node': core.nodePrinter,
  '/Event': core.eventPrinter,
  'events.k8s.io/Event': core.eventPrinter,
  '/Namespace': core.namespacePrinter,
  '/ConfigMap': core.configMapPrinter,
  '/Secret': core.secretPrinter,
  '/ServiceAccount': core.serviceAccountPrinter,
  '/PersistentVolumeClaim': core.pvcPrinter,
  '/PersistentVolume': core.pvPrinter,
  '/ResourceQuota': core.resourceQuotaPrinter,
  '/LimitRange': other.createdAtPrinter,
  'apps/Deployment': workloads.deploymentPrinter,
  'apps/ReplicaSet': workloads.replicaSetPrinter,
  'apps/StatefulSet': workloads.statefulSetPrinter,
  'apps/DaemonSet': workloads.daemonSetPrinter,
  'apps/ControllerRevision': workloads.controllerRevisionPrinter,
  'batch/Job': workloads.jobPrinter,
  'batch/CronJob': workloads.cronJobPrinter,
  'autoscaling/HorizontalPodAutoscaler': workloads.hpaPrinter,
  'policy/PodDisruptionBudget': workloads.pdbPrinter,
  'networking.k8s.io/Ingress': other.ingressPrinter,
  'networking.k8s.io/IngressClass': other.ingressClassPrinter,
  'networking.k8s.io/NetworkPolicy': other.networkPolicyPrinter,
  'storage.k8s.io/StorageClass': other.storageClassPrinter,
  'rbac.authorization.k8s.io/Role': other.createdAtPrinter,
  'rbac.authorization.k8s.io/ClusterRole': other.createdAtPrinter,
  'rbac.authorization.k8s.io/RoleBinding': other.roleBindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': other.roleBindingPrinter,
  'discovery.k8s.io/EndpointSlice': other.endpointSlicePrinter,
  'coordination.k8s.io/Lease': other.leasePrinter,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': other.webhookPrinter,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': other.webhookPrinter,
};

export function printerFor(resource: Pick<ResourceType, 'group' | 'kind'>): Printer {
  return PRINTERS[`${resource.group}/${resource.kind}`] ?? other.genericPrinter;
}

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export interface TableOptions {
  /** What each row carries in `object`; the API server's default is Metadata. */
  includeObject?: IncludeObject;
  /** The clock ages are measured against (tests pin it). */
  now?: Date;
}

function rowObject(object: KObject, include: IncludeObject): unknown {
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/**
 * A meta.k8s.io/v1 Table of `objects`. The caller sets metadata.resourceVersion (and
 * continue) from the list it printed.
 */
export function toTable(resource: ResourceType, objects: KObject[], options: TableOptions = {}) {
  const printer = printerFor(resource);
  const now = options.now ?? new Date();
  const include = options.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {} as { resourceVersion?: string; continue?: string },
    columnDefinitions: printer.columns.map(([name, type, format, priority, description]) => ({
      name,
      type,
      format,
      description,
      priority,
    })),
    rows: objects.map((object) => {
      const json = object as unknown as Json;
      const row: { cells: unknown[]; conditions?: unknown[]; object?: unknown } = {
        cells: printer.row(json, now),
      };
      const conditions = printer.conditions?.(json);
      if (conditions !== undefined) row.conditions = conditions;
      if (include !== 'None') row.object = rowObject(object, include);
      return row;
    }),
  };
}
