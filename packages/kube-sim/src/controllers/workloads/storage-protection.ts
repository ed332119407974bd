/**
 * StorageObjectInUseProtection: admission puts `kubernetes.io/pvc-protection` on claims
 * and `kubernetes.io/pv-protection` on volumes; the protection controllers remove them
 * once a deleted claim is no longer mounted by a scheduled, unfinished pod, and a deleted
 * volume is no longer bound to an existing claim.
 */
import type { ClusterApi, KObject } from '../../api/types.ts';
import { controllerUser, R } from './kinds.ts';
import { at } from './objects.ts';

export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

export function protect(object: KObject, finalizer: string): void {
  const finalizers = object.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) object.metadata.finalizers = [...finalizers, finalizer];
}

export function dropFinalizer(
  api: ClusterApi,
  resource: typeof R.pvs,
  object: KObject,
  finalizer: string,
): void {
  const finalizers = object.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return;
  api.update(
    resource,
    {
      ...object,
      metadata: { ...object.metadata, finalizers: finalizers.filter((f) => f !== finalizer) },
    },
    { user: controllerUser('pvc-protection-controller') },
  );
}

/**
 * The pvc-protection controller: a deleted claim goes once no scheduled, unfinished pod
 * mounts it (an unscheduled pod does not hold it, as in Kubernetes).
 */
export function releaseClaim(api: ClusterApi, pvc: KObject): void {
  const name = pvc.metadata.name!;
  const inUse = api
    .list(R.pods, pvc.metadata.namespace)
    .some(
      (p) =>
        at<string>(p, 'spec', 'nodeName') !== undefined &&
        !['Succeeded', 'Failed'].includes(at<string>(p, 'status', 'phase') ?? '') &&
        (at<{ persistentVolumeClaim?: { claimName: string } }[]>(p, 'spec', 'volumes') ?? []).some(
          (v) => v.persistentVolumeClaim?.claimName === name,
        ),
    );
  if (!inUse) dropFinalizer(api, R.pvcs, pvc, PVC_PROTECTION);
}
