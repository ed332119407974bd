/**
 * Volume provisioning and expansion (the PV controller plus a dynamic provisioner and the
 * expand controller): a Pending claim whose StorageClass exists gets a PersistentVolume
 * `pvc-<claim uid>` and both become Bound; a missing class leaves it Pending with
 * ProvisioningFailed; WaitForFirstConsumer classes wait for a scheduled pod that uses the
 * claim. Admission: DefaultStorageClass (names the default class on create) and
 * PersistentVolumeClaimResize (growing a claim needs a class with allowVolumeExpansion).
 */
import { ApiError } from '../../api/errors.ts';
import type { AdmissionPlugin, ClusterApi, KObject } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { COMPONENT, controllerUser, R } from './kinds.ts';
import { at, keyOf, splitKey, writeStatus } from './objects.ts';
import { milliOf } from '../../quantity.ts';
import type { Reconciler } from './runtime.ts';
import {
  dropFinalizer,
  protect,
  PV_PROTECTION,
  PVC_PROTECTION,
  releaseClaim,
} from './storage-protection.ts';

const USER = controllerUser('persistent-volume-binder');
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

export function defaultStorageClass(api: ClusterApi): KObject | undefined {
  return api
    .list(R.storageClasses, undefined)
    .filter((sc) => sc.metadata.annotations?.[DEFAULT_CLASS] === 'true')
    .sort((a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
    )[0];
}

export function storageAdmission(api: ClusterApi): AdmissionPlugin {
  return ({ operation, resource, subresource, object, oldObject }) => {
    if (operation === 'CREATE' && !subresource && object && resource.kind === 'PersistentVolume')
      protect(object, PV_PROTECTION);
    if (resource.kind !== 'PersistentVolumeClaim' || subresource || !object) return;
    if (operation === 'CREATE') protect(object, PVC_PROTECTION);
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    if (operation === 'CREATE' && spec.storageClassName === undefined) {
      const sc = defaultStorageClass(api);
      if (sc) object.spec = { ...spec, storageClassName: sc.metadata.name };
      return;
    }
    if (operation !== 'UPDATE' || !oldObject) return;
    const before = milliOf(at(oldObject, 'spec', 'resources', 'requests', 'storage'));
    const after = milliOf(at(object, 'spec', 'resources', 'requests', 'storage'));
    if (after <= before) return;
    const className = at<string>(oldObject, 'spec', 'storageClassName');
    const sc = className ? api.get(R.storageClasses, undefined, className) : undefined;
    if (!sc || sc.allowVolumeExpansion !== true) {
      throw new ApiError(
        403,
        'Forbidden',
        `persistentvolumeclaims "${object.metadata.name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`,
        { name: object.metadata.name!, kind: 'persistentvolumeclaims' },
      );
    }
  };
}

export function storageController(api: ClusterApi, clock: SimClock): Reconciler {
  const warned = new Set<string>();
  const event = (
    obj: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string = COMPONENT.pv,
  ) => api.recordEvent(obj, type, reason, message, { component });

  function provision(pvc: KObject, sc: KObject, selectedNode: string | undefined): void {
    const ns = pvc.metadata.namespace!;
    const name = pvc.metadata.name!;
    const pvName = `pvc-${pvc.metadata.uid}`;
    const storage = at<string>(pvc, 'spec', 'resources', 'requests', 'storage') ?? '1Gi';
    const accessModes = at<string[]>(pvc, 'spec', 'accessModes') ?? ['ReadWriteOnce'];
    const provisioner = (sc.provisioner as string | undefined) ?? 'kube-sim.io/hostpath';
    let pv = api.get(R.pvs, undefined, pvName);
    if (!pv) {
      pv = api.create(
        R.pvs,
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: {
            name: pvName,
            annotations: { 'pv.kubernetes.io/provisioned-by': provisioner },
          },
          spec: {
            capacity: { storage },
            accessModes,
            persistentVolumeReclaimPolicy: (sc.reclaimPolicy as string | undefined) ?? 'Delete',
            storageClassName: sc.metadata.name,
            volumeMode: at<string>(pvc, 'spec', 'volumeMode') ?? 'Filesystem',
            hostPath: { path: `/var/lib/kube-sim/volumes/${pvName}`, type: '' },
            claimRef: {
              kind: 'PersistentVolumeClaim',
              namespace: ns,
              name,
              uid: pvc.metadata.uid,
              apiVersion: 'v1',
              resourceVersion: pvc.metadata.resourceVersion,
            },
            ...(selectedNode
              ? {
                  nodeAffinity: {
                    required: {
                      nodeSelectorTerms: [
                        {
                          matchExpressions: [
                            {
                              key: 'kubernetes.io/hostname',
                              operator: 'In',
                              values: [selectedNode],
                            },
                          ],
                        },
                      ],
                    },
                  },
                }
              : {}),
          },
        },
        { user: USER },
      );
      event(
        pvc,
        'Normal',
        'ProvisioningSucceeded',
        `Successfully provisioned volume ${pvName}`,
        `${provisioner}_kube-sim`,
      );
    }
    writeStatus(api, R.pvs, pv, { phase: 'Bound', lastPhaseTransitionTime: clock.nowIso() }, USER);
    const bound = api.update(
      R.pvcs,
      {
        ...pvc,
        metadata: {
          ...pvc.metadata,
          annotations: {
            ...pvc.metadata.annotations,
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
            'volume.beta.kubernetes.io/storage-provisioner': provisioner,
            'volume.kubernetes.io/storage-provisioner': provisioner,
            ...(selectedNode ? { 'volume.kubernetes.io/selected-node': selectedNode } : {}),
          },
        },
        spec: { ...(pvc.spec as object), volumeName: pvName },
      },
      { user: USER },
    );
    writeStatus(api, R.pvcs, bound, { phase: 'Bound', accessModes, capacity: { storage } }, USER);
  }

  function reconcile(key: string): void {
    if (key.startsWith('pv:')) return reclaim(api, key.slice(3));
    const [ns, name] = splitKey(key);
    let pvc = api.get(R.pvcs, ns, name);
    if (!pvc) return;
    if (pvc.metadata.deletionTimestamp) return releaseClaim(api, pvc);
    let className = at<string>(pvc, 'spec', 'storageClassName');
    const fallback = className === undefined ? defaultStorageClass(api) : undefined;
    if (fallback) {
      // Retroactive default StorageClass (GA in 1.28): an unset class gets today's default.
      className = fallback.metadata.name;
      pvc = api.update(
        R.pvcs,
        { ...pvc, spec: { ...(pvc.spec as object), storageClassName: className } },
        { user: USER },
      );
    }
    const phase = at<string>(pvc, 'status', 'phase');
    if (at<string>(pvc, 'spec', 'volumeName') && phase === 'Bound') return expand(pvc, className);
    if (phase !== 'Pending')
      writeStatus(api, R.pvcs, pvc, { ...(pvc.status ?? {}), phase: 'Pending' }, USER);
    const current = api.get(R.pvcs, ns, name)!;
    if (!className) {
      once(
        current,
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
      return;
    }
    const sc = api.get(R.storageClasses, undefined, className);
    if (!sc) {
      once(current, 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    let selectedNode: string | undefined;
    if (sc.volumeBindingMode === 'WaitForFirstConsumer') {
      const consumer = api
        .list(R.pods, ns)
        .find((p) =>
          (
            at<{ persistentVolumeClaim?: { claimName: string } }[]>(p, 'spec', 'volumes') ?? []
          ).some((v) => v.persistentVolumeClaim?.claimName === name),
        );
      selectedNode = consumer ? at<string>(consumer, 'spec', 'nodeName') : undefined;
      if (!selectedNode) {
        once(
          current,
          'WaitForFirstConsumer',
          'waiting for first consumer to be created before binding',
          'Normal',
        );
        return;
      }
    }
    provision(current, sc, selectedNode);
  }

  /** Records a Pending reason once per claim and reason (the real controller repeats it with a count). */
  function once(
    pvc: KObject,
    reason: string,
    message: string,
    type: 'Normal' | 'Warning' = 'Warning',
  ): void {
    // By uid: a claim deleted and recreated under the same name is a new claim and warns again.
    const mark = `${pvc.metadata.uid}|${reason}`;
    if (warned.has(mark)) return;
    warned.add(mark);
    event(pvc, type, reason, message);
  }

  function expand(pvc: KObject, className: string | undefined): void {
    const requested = at<string>(pvc, 'spec', 'resources', 'requests', 'storage');
    const capacity = at<string>(pvc, 'status', 'capacity', 'storage');
    if (!requested || milliOf(requested) <= milliOf(capacity)) return;
    const sc = className ? api.get(R.storageClasses, undefined, className) : undefined;
    if (!sc || sc.allowVolumeExpansion !== true) return;
    const pv = api.get(R.pvs, undefined, at<string>(pvc, 'spec', 'volumeName')!);
    if (pv)
      api.update(
        R.pvs,
        { ...pv, spec: { ...(pv.spec as object), capacity: { storage: requested } } },
        { user: USER },
      );
    writeStatus(
      api,
      R.pvcs,
      pvc,
      { ...(pvc.status ?? {}), capacity: { storage: requested } },
      USER,
    );
    event(
      pvc,
      'Normal',
      'VolumeResizeSuccessful',
      `ExpandVolume succeeded for volume ${ns(pvc)}`,
      COMPONENT.expand,
    );
  }

  const ns = (pvc: KObject) => `${pvc.metadata.namespace}/${pvc.metadata.name}`;

  return {
    name: 'persistentvolume-controller',
    resyncMs: 15_000,
    allKeys: () => api.list(R.pvcs, undefined).map(keyOf),
    triggers: [
      {
        resource: R.pvcs,
        keys: (pvc, ev) => {
          const volume = at<string>(pvc, 'spec', 'volumeName');
          return ev.type === 'DELETED' ? (volume ? [`pv:${volume}`] : []) : [keyOf(pvc)];
        },
      },
      // A class created later, or a consumer pod scheduled, unblocks Pending claims.
      {
        resource: R.storageClasses,
        keys: () =>
          api
            .list(R.pvcs, undefined)
            .filter((c) => at(c, 'status', 'phase') !== 'Bound')
            .map(keyOf),
      },
      {
        resource: R.pods,
        keys: (pod) =>
          (at<{ persistentVolumeClaim?: { claimName: string } }[]>(pod, 'spec', 'volumes') ?? [])
            .filter((v) => v.persistentVolumeClaim)
            .map((v) => `${pod.metadata.namespace}/${v.persistentVolumeClaim!.claimName}`),
      },
      { resource: R.pvs, keys: (pv) => [`pv:${pv.metadata.name}`] },
    ],
    reconcile,
  };
}

/** A volume whose claim is gone is released; with reclaimPolicy Delete it is deleted. */
function reclaim(api: ClusterApi, pvName: string): void {
  const pv = api.get(R.pvs, undefined, pvName);
  const ref = pv
    ? at<{ namespace: string; name: string; uid?: string }>(pv, 'spec', 'claimRef')
    : undefined;
  if (!pv) return;
  const claim = ref ? api.get(R.pvcs, ref.namespace, ref.name) : undefined;
  const claimed = claim !== undefined && (!ref?.uid || claim.metadata.uid === ref.uid);
  // pv-protection: a deleted volume goes once no existing claim is bound to it.
  if (pv.metadata.deletionTimestamp) {
    if (!claimed) dropFinalizer(api, R.pvs, pv, PV_PROTECTION);
    return;
  }
  if (!ref || claimed) return;
  if (at<string>(pv, 'spec', 'persistentVolumeReclaimPolicy') === 'Delete')
    api.delete(R.pvs, undefined, pvName, { user: USER });
  else writeStatus(api, R.pvs, pv, { phase: 'Released' }, USER);
}
