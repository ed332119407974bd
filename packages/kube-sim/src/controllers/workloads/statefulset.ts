/**
 * The StatefulSet controller: pods `<sts>-<ordinal>` with stable identity, PVCs from
 * volumeClaimTemplates named `<claim>-<sts>-<ordinal>`, OrderedReady (one pod at a time,
 * each waiting for the previous to be Running and Ready) or Parallel management, scale down
 * from the highest ordinal, and RollingUpdate from the highest ordinal down.
 */
import type { ClusterApi, KObject } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { revisionHash } from './deployment/rollout.ts';
import { COMPONENT, controllerUser, R } from './kinds.ts';
import {
  at,
  controllerRef,
  errorMessage,
  isControlledBy,
  isPodAvailable,
  isPodReady,
  isPodTerminal,
  keyOf,
  ownerKeys,
  podFromTemplate,
  splitKey,
  writeStatus,
} from './objects.ts';
import type { Reconciler } from './runtime.ts';

const USER = controllerUser('statefulset-controller');
const REVISION_LABEL = 'controller-revision-hash';

const ordinalOf = (sts: KObject, pod: KObject): number => {
  const m = new RegExp(`^${sts.metadata.name!.replace(/[.]/g, '\\.')}-(\\d+)$`).exec(
    pod.metadata.name ?? '',
  );
  return m ? Number(m[1]) : -1;
};

export function statefulSetController(api: ClusterApi, clock: SimClock): Reconciler {
  const event = (sts: KObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    api.recordEvent(sts, type, reason, message, { component: COMPONENT.statefulSet });

  function ensureClaims(sts: KObject, ordinal: number): { name: string; claimName: string }[] {
    const claims: { name: string; claimName: string }[] = [];
    for (const template of at<KObject[]>(sts, 'spec', 'volumeClaimTemplates') ?? []) {
      const claimName = `${template.metadata.name}-${sts.metadata.name}-${ordinal}`;
      claims.push({ name: template.metadata.name!, claimName });
      if (api.get(R.pvcs, sts.metadata.namespace, claimName)) continue;
      const labels = {
        ...at<Record<string, string>>(sts, 'spec', 'selector', 'matchLabels'),
        ...template.metadata.labels,
      };
      api.create(
        R.pvcs,
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: claimName,
            namespace: sts.metadata.namespace!,
            labels,
            ...(template.metadata.annotations
              ? { annotations: template.metadata.annotations }
              : {}),
          },
          spec: structuredClone(template.spec ?? {}),
        },
        { user: USER },
      );
      event(
        sts,
        'Normal',
        'SuccessfulCreate',
        `create Claim ${claimName} Pod ${sts.metadata.name}-${ordinal} in StatefulSet ${sts.metadata.name} success`,
      );
    }
    return claims;
  }

  function createPod(sts: KObject, ordinal: number, revision: string): string | undefined {
    const name = `${sts.metadata.name}-${ordinal}`;
    try {
      const claims = ensureClaims(sts, ordinal);
      const templateSpec = at<Record<string, unknown>>(sts, 'spec', 'template', 'spec') ?? {};
      const volumes = [
        ...((templateSpec.volumes as { name: string }[] | undefined) ?? []).filter(
          (v) => !claims.some((c) => c.name === v.name),
        ),
        ...claims.map((c) => ({ name: c.name, persistentVolumeClaim: { claimName: c.claimName } })),
      ];
      const pod = podFromTemplate(at(sts, 'spec', 'template'), sts, name, '', {
        labels: {
          [REVISION_LABEL]: revision,
          'statefulset.kubernetes.io/pod-name': name,
          'apps.kubernetes.io/pod-index': String(ordinal),
        },
        spec: {
          hostname: name,
          ...(at<string>(sts, 'spec', 'serviceName')
            ? { subdomain: at<string>(sts, 'spec', 'serviceName') }
            : {}),
          ...(volumes.length > 0 ? { volumes } : {}),
        },
      });
      delete pod.metadata.generateName;
      api.create(R.pods, pod, { user: USER });
      event(
        sts,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`,
      );
      return undefined;
    } catch (error) {
      const message = errorMessage(error);
      event(
        sts,
        'Warning',
        'FailedCreate',
        `create Pod ${name} in StatefulSet ${sts.metadata.name} failed error: ${message}`,
      );
      return message;
    }
  }

  function deletePod(sts: KObject, pod: KObject): void {
    api.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, { user: USER });
    event(
      sts,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`,
    );
  }

  function reconcile(key: string): number | void {
    const [ns, name] = splitKey(key);
    const sts = api.get(R.statefulSets, ns, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const replicas = at<number>(sts, 'spec', 'replicas') ?? 1;
    const parallel = at<string>(sts, 'spec', 'podManagementPolicy') === 'Parallel';
    const onDelete = at<string>(sts, 'spec', 'updateStrategy', 'type') === 'OnDelete';
    const minReady = at<number>(sts, 'spec', 'minReadySeconds') ?? 0;
    const revision = `${name}-${revisionHash(at(sts, 'spec', 'template'))}`;
    ensureRevision(sts, revision);

    const pods = new Map<number, KObject>();
    for (const pod of api.list(R.pods, ns))
      if (isControlledBy(pod, sts) && ordinalOf(sts, pod) >= 0) pods.set(ordinalOf(sts, pod), pod);
    const healthy = (pod: KObject | undefined) =>
      !!pod &&
      !pod.metadata.deletionTimestamp &&
      at<string>(pod, 'status', 'phase') === 'Running' &&
      isPodReady(pod);

    let blocked = false;
    // Failed pods are replaced; missing ordinals below `replicas` are created in order.
    for (let i = 0; i < replicas && !blocked; i++) {
      const pod = pods.get(i);
      if (pod && isPodTerminal(pod) && !pod.metadata.deletionTimestamp) {
        deletePod(sts, pod);
        blocked = !parallel;
        continue;
      }
      if (!pod) {
        if (createPod(sts, i, revision) !== undefined) break;
        blocked = !parallel;
        continue;
      }
      if (!parallel && !healthy(pod)) blocked = true;
    }
    // Scale down: highest ordinal first, one at a time unless Parallel.
    const extra = [...pods.keys()].filter((i) => i >= replicas).sort((a, b) => b - a);
    for (const i of extra) {
      if (blocked) break;
      const pod = pods.get(i)!;
      if (!pod.metadata.deletionTimestamp) deletePod(sts, pod);
      if (!parallel) blocked = true;
    }
    // RollingUpdate: replace the highest-ordinal pod of an older revision once all are healthy.
    if (!blocked && !onDelete) {
      const partition =
        at<number>(sts, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
      const allHealthy = [...Array(replicas).keys()].every((i) => healthy(pods.get(i)));
      const stale = [...Array(replicas).keys()]
        .filter(
          (i) => i >= partition && pods.get(i)?.metadata.labels?.[REVISION_LABEL] !== revision,
        )
        .sort((a, b) => b - a)[0];
      if (allHealthy && stale !== undefined) deletePod(sts, pods.get(stale)!);
    }

    const live = api
      .list(R.pods, ns)
      .filter((p) => isControlledBy(p, sts) && !p.metadata.deletionTimestamp && !isPodTerminal(p));
    const updated = live.filter((p) => p.metadata.labels?.[REVISION_LABEL] === revision).length;
    const fresh = api.get(R.statefulSets, ns, name);
    if (!fresh) return;
    const status: Record<string, unknown> = {
      observedGeneration: fresh.metadata.generation ?? 1,
      replicas: live.length,
      readyReplicas: live.filter(isPodReady).length,
      availableReplicas: live.filter((p) => isPodAvailable(p, minReady, clock.now())).length,
      currentReplicas: updated === live.length ? live.length : live.length - updated,
      updatedReplicas: updated,
      currentRevision:
        updated === live.length
          ? revision
          : (at<string>(fresh, 'status', 'currentRevision') ?? revision),
      updateRevision: revision,
      collisionCount: 0,
    };
    writeStatus(api, R.statefulSets, fresh, status, USER);
    return minReady > 0 ? minReady * 1000 : undefined;
  }

  /** A ControllerRevision per template, so `kubectl rollout history statefulset` lists revisions. */
  function ensureRevision(sts: KObject, name: string): void {
    if (api.get(R.controllerRevisions, sts.metadata.namespace, name)) return;
    const existing = api
      .list(R.controllerRevisions, sts.metadata.namespace)
      .filter((r) => isControlledBy(r, sts));
    const revision =
      Math.max(0, ...existing.map((r) => (r as { revision?: number }).revision ?? 0)) + 1;
    api.create(
      R.controllerRevisions,
      {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name,
          namespace: sts.metadata.namespace!,
          labels: {
            ...at<Record<string, string>>(sts, 'spec', 'selector', 'matchLabels'),
            [REVISION_LABEL]: name.slice(sts.metadata.name!.length + 1),
          },
          ownerReferences: [controllerRef(sts)],
        },
        data: {
          spec: { template: { ...(at<object>(sts, 'spec', 'template') ?? {}), $patch: 'replace' } },
        },
        revision,
      },
      { user: USER },
    );
  }

  return {
    name: 'statefulset-controller',
    resyncMs: 30_000,
    allKeys: () => api.list(R.statefulSets, undefined).map(keyOf),
    triggers: [
      { resource: R.statefulSets, keys: (sts) => [keyOf(sts)] },
      { resource: R.pods, keys: (pod) => ownerKeys(pod, 'StatefulSet') },
    ],
    reconcile,
  };
}
