import { z } from 'zod';
import type { Cluster } from '../cluster.ts';
import { DriftError, KubeApiError, PreconditionError, StepMismatchError } from '../errors.ts';
import { deepEqual } from '../json-pointer.ts';
import { refString } from '../types.ts';
import type { KubeObject } from '../types.ts';
import { Name, Namespace } from '../validation.ts';
import { dryRunIfAllowed } from './dry-run.ts';
import type { ActionDefinition, PlannedStep } from './types.ts';
import { FIELD_MANAGER } from './types.ts';
import { OPERATION_ANNOTATION } from './write.ts';

const ClaimArgs = z.strictObject({ namespace: Namespace, name: Name, storageClassName: Name });

const RECREATED_FROM = 'opsloop.dev/recreated-from-uid';
/** Annotations the provisioning machinery wrote for the old claim. */
const GENERATED = /^(volume\.kubernetes\.io\/|volume\.beta\.kubernetes\.io\/|pv\.kubernetes\.io\/)/;

/** A claim that never bound holds no data: only such a claim is ever recreated. */
function neverBound(pvc: KubeObject): boolean {
  return (pvc.status?.phase ?? 'Pending') === 'Pending' && !pvc.spec?.volumeName;
}

/** The claim again, with the new class, minus what the cluster generated for the old one. */
export function freshClaim(pvc: KubeObject, storageClassName: string): KubeObject {
  const spec = structuredClone(pvc.spec ?? {});
  delete spec.volumeName;
  spec.storageClassName = storageClassName;
  const annotations = Object.fromEntries(
    Object.entries(pvc.metadata.annotations ?? {}).filter(
      ([k]) => !GENERATED.test(k) && k !== OPERATION_ANNOTATION,
    ),
  );
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: pvc.metadata.name,
      namespace: pvc.metadata.namespace,
      labels: { ...(pvc.metadata.labels ?? {}) },
      annotations: { ...annotations, [RECREATED_FROM]: pvc.metadata.uid! },
    },
    spec,
  };
}

function precondition(pvc: KubeObject, storageClassName: string, classExists: boolean): void {
  const ref = `PersistentVolumeClaim ${pvc.metadata.namespace}/${pvc.metadata.name}`;
  if (!neverBound(pvc))
    throw new PreconditionError(
      'RecreateClaim',
      `${ref} is ${String(pvc.status?.phase)}${pvc.spec?.volumeName ? ` on volume ${pvc.spec.volumeName}` : ''}; a claim that ever bound may hold data and is never recreated`,
    );
  if (pvc.spec?.storageClassName === storageClassName)
    throw new PreconditionError('RecreateClaim', `${ref} already asks for ${storageClassName}`);
  if (!classExists)
    throw new PreconditionError(
      'RecreateClaim',
      `no StorageClass named ${storageClassName}; a claim is only recreated with a class that exists`,
    );
}

async function waitGone(cluster: Cluster, pvc: KubeObject): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const live = await cluster.get(
      'PersistentVolumeClaim',
      pvc.metadata.namespace!,
      pvc.metadata.name,
    );
    if (!live || live.metadata.uid !== pvc.metadata.uid) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new PreconditionError(
    'RecreateClaim',
    `PersistentVolumeClaim ${pvc.metadata.namespace}/${pvc.metadata.name} was not deleted within 60 s; a running pod still mounts it, or a finalizer holds it`,
  );
}

const plannedUid = (step: PlannedStep): string => {
  const uid = (step.diff[0]?.before as { uid?: unknown } | null | undefined)?.uid;
  if (typeof uid !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(uid))
    throw new StepMismatchError('RecreateClaim', 'diff', 'the step names no planned uid');
  return uid;
};

/**
 * A claim's storageClassName cannot change, so a claim that names a class the cluster lacks
 * is deleted and created again with one that exists. Only a claim that never bound (Pending,
 * no volume: it holds no data) is touched; the delete is pinned to the planned uid and
 * resourceVersion, and the new claim is derived from the live one again at apply time (the
 * plan's diff is only what the approver saw, and must equal it). Like RecreateJob, the new
 * claim carries the old uid, so a retry never deletes twice.
 *
 * Observed: before = the deleted claim's resourceVersion, after = the new claim's.
 */
export const RecreateClaim: ActionDefinition<z.infer<typeof ClaimArgs>> = {
  name: 'RecreateClaim',
  description:
    'Recreate a PersistentVolumeClaim that never bound (no data) with an existing StorageClass.',
  schema: ClaimArgs,
  risk: 'medium',
  target: (a) => ({ kind: 'PersistentVolumeClaim', namespace: a.namespace, name: a.name }),
  compute: () => {
    throw new Error('RecreateClaim is planned by its custom execution');
  },
  checks: (a) => [{ name: 'PvcBound', args: { namespace: a.namespace, name: a.name } }],
  // The old class does not exist; there is nothing to go back to.
  inverse: () => null,
  custom: {
    async plan(args, live, cluster) {
      const sc = await cluster.get('StorageClass', null, args.storageClassName);
      precondition(live, args.storageClassName, sc !== null);
      const rv = String(live.metadata.resourceVersion);
      await dryRunIfAllowed(() =>
        cluster.remove('PersistentVolumeClaim', args.namespace, args.name, {
          dryRun: true,
          preconditions: { uid: live.metadata.uid!, resourceVersion: rv },
        }),
      );
      return {
        target: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: args.namespace,
          name: args.name,
          resourceVersion: rv,
        },
        diff: [
          {
            path: 'claim',
            before: {
              uid: live.metadata.uid!,
              phase: String(live.status?.phase ?? 'Pending'),
              storageClassName: String(live.spec?.storageClassName ?? ''),
            },
            after: freshClaim(live, args.storageClassName) as never,
          },
        ],
        risk: 'medium',
        checks: [{ name: 'PvcBound', args: { namespace: args.namespace, name: args.name } }],
        summary: `recreate PersistentVolumeClaim ${args.namespace}/${args.name} (never bound, no data) with StorageClass ${args.storageClassName} instead of ${String(live.spec?.storageClassName)}`,
      };
    },
    async apply(step, cluster, write) {
      const { namespace, name } = step.target as { namespace: string; name: string };
      const args = write.args as z.infer<typeof ClaimArgs> | undefined;
      if (!args)
        throw new StepMismatchError(
          'RecreateClaim',
          'diff',
          'the step was not re-derived from its args',
        );
      const oldUid = plannedUid(step);
      const live = await cluster.get('PersistentVolumeClaim', namespace, name);
      if (live && live.metadata.annotations?.[RECREATED_FROM] === oldUid) {
        const rv = String(live.metadata.resourceVersion);
        return { resourceVersionBefore: step.target.resourceVersion, resourceVersionAfter: rv };
      }
      if (!live)
        throw new PreconditionError(
          'RecreateClaim',
          `PersistentVolumeClaim ${namespace}/${name} was deleted but not created again (an earlier attempt stopped in between); create it from the claim shown in the plan`,
        );
      if (live.metadata.uid !== oldUid)
        throw new DriftError(
          refString(step.target),
          step.target.resourceVersion,
          live.metadata.resourceVersion ?? null,
          '/metadata/uid',
        );
      const sc = await cluster.get('StorageClass', null, args.storageClassName);
      precondition(live, args.storageClassName, sc !== null);
      const manifest = freshClaim(live, args.storageClassName);
      const shown = step.diff[0]?.after as unknown as KubeObject | undefined;
      if (
        !shown ||
        !deepEqual(manifest.spec, shown.spec) ||
        !deepEqual(manifest.metadata.labels, shown.metadata?.labels)
      )
        throw new StepMismatchError(
          'RecreateClaim',
          'diff',
          'the claim shown differs from the live claim',
        );
      if (write.operationId)
        manifest.metadata.annotations![OPERATION_ANNOTATION] = write.operationId;
      const before = String(live.metadata.resourceVersion);
      try {
        await cluster.remove('PersistentVolumeClaim', namespace, name, {
          fieldManager: FIELD_MANAGER,
          preconditions: { uid: oldUid, resourceVersion: before },
        });
      } catch (error) {
        if (error instanceof KubeApiError && [404, 409].includes(error.status)) {
          const now = await cluster.get('PersistentVolumeClaim', namespace, name);
          throw new DriftError(
            refString(step.target),
            step.target.resourceVersion,
            now?.metadata.resourceVersion ?? null,
            now ? '/metadata/resourceVersion' : null,
          );
        }
        throw error;
      }
      await waitGone(cluster, live);
      const created = await cluster.create('PersistentVolumeClaim', namespace, manifest, {
        fieldManager: FIELD_MANAGER,
      });
      return {
        resourceVersionBefore: before,
        resourceVersionAfter: String(created.metadata.resourceVersion),
      };
    },
    async isApplied(step, cluster) {
      const live = await cluster.get(
        'PersistentVolumeClaim',
        step.target.namespace,
        step.target.name,
      );
      const oldUid = (step.diff[0]?.before as { uid?: string } | undefined)?.uid;
      return live !== null && live.metadata.annotations?.[RECREATED_FROM] === oldUid;
    },
  },
};
