/**
 * The workload side of the simulated kube-controller-manager: Deployment, ReplicaSet,
 * StatefulSet, DaemonSet, Job, CronJob, Endpoints/EndpointSlice, volume binding and
 * expansion, ResourceQuota, HPA and PodDisruptionBudget controllers, plus the admission
 * plugins that belong to them (LimitRanger, DefaultStorageClass, PVC resize, ResourceQuota,
 * eviction vs. PodDisruptionBudget). Pods are scheduled and run by src/controllers/node.
 */
import type { ClusterApi } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { cronJobController } from './cronjob.ts';
import { daemonSetController } from './daemonset.ts';
import { deploymentController } from './deployment/controller.ts';
import { endpointSliceController, endpointsController } from './endpoints.ts';
import { hpaController, type PodMetricsSource } from './hpa.ts';
import { jobController } from './job.ts';
import { limitRangeAdmission } from './limitrange.ts';
import { evictionAdmission, pdbController } from './pdb.ts';
import { quotaAdmission, quotaController } from './quota.ts';
import { replicaSetController } from './replicaset.ts';
import { runReconcilers } from './runtime.ts';
import { statefulSetController } from './statefulset.ts';
import { storageAdmission, storageController } from './storage.ts';

export type { PodMetricsSource } from './hpa.ts';

export interface WorkloadOptions {
  /** Per-pod usage for the HPA (the kubelet's simulated usage). Without it, HPAs report no metrics. */
  podMetrics?: PodMetricsSource;
}

const admitted = new WeakSet<ClusterApi>();

/**
 * Registers the admission plugins (once per API) and starts every workload controller.
 * Returns stop(). Order matters: LimitRanger defaults pods before ResourceQuota counts them.
 */
export function startWorkloadControllers(
  api: ClusterApi,
  clock: SimClock,
  options: WorkloadOptions = {},
): () => void {
  if (!admitted.has(api)) {
    admitted.add(api);
    api.addAdmission(limitRangeAdmission(api));
    api.addAdmission(storageAdmission(api));
    api.addAdmission(quotaAdmission(api));
    api.addAdmission(evictionAdmission(api));
  }
  return runReconcilers(api, clock, [
    deploymentController(api, clock),
    replicaSetController(api, clock),
    statefulSetController(api, clock),
    daemonSetController(api, clock),
    jobController(api, clock),
    cronJobController(api, clock),
    endpointsController(api),
    endpointSliceController(api),
    storageController(api, clock),
    quotaController(api),
    hpaController(api, clock, options.podMetrics),
    pdbController(api, clock),
  ]);
}
