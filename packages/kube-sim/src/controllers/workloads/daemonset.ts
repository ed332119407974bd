/**
 * The DaemonSet controller: one pod per eligible node. A node is eligible when it matches
 * the template's nodeSelector and required node affinity and every NoSchedule/NoExecute
 * taint is tolerated (DaemonSet pods get the controller's automatic tolerations). Pods are
 * pinned with a `metadata.name` node affinity so the scheduler places them, as in
 * Kubernetes ≥ 1.12. Template changes roll one node at a time (RollingUpdate, maxUnavailable 1).
 */
import type { ClusterApi, KObject } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { labelSelectorMatches } from '../../store/selectors.ts';
import { revisionHash } from './deployment/rollout.ts';
import { COMPONENT, controllerUser, R } from './kinds.ts';
import {
  at,
  errorMessage,
  isControlledBy,
  isPodActive,
  isPodAvailable,
  isPodReady,
  keyOf,
  ownerKeys,
  podFromTemplate,
  randomSuffix,
  splitKey,
  writeStatus,
} from './objects.ts';
import type { Reconciler } from './runtime.ts';

const USER = controllerUser('daemon-set-controller');
const HASH_LABEL = 'controller-revision-hash';

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}
interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** Tolerations every DaemonSet pod gets (AddOrUpdateDaemonPodTolerations). */
export const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function tolerated(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key && t.key !== taint.key) return false;
    if ((t.operator ?? 'Equal') === 'Exists') return true;
    return (t.key ?? '') === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** Whether a DaemonSet with this pod template should run a pod on `node`. */
export function nodeEligible(templateSpec: Record<string, unknown>, node: KObject): boolean {
  const labels = node.metadata.labels ?? {};
  const nodeSelector = (templateSpec.nodeSelector as Record<string, string> | undefined) ?? {};
  if (!Object.entries(nodeSelector).every(([k, v]) => labels[k] === v)) return false;
  const terms = at<{ matchExpressions?: { key: string; operator: string; values?: string[] }[] }[]>(
    templateSpec,
    'affinity',
    'nodeAffinity',
    'requiredDuringSchedulingIgnoredDuringExecution',
    'nodeSelectorTerms',
  );
  if (
    terms &&
    terms.length > 0 &&
    !terms.some((t) => labelSelectorMatches({ matchExpressions: t.matchExpressions ?? [] }, labels))
  ) {
    return false;
  }
  const tolerations = [
    ...((templateSpec.tolerations as Toleration[] | undefined) ?? []),
    ...DAEMON_TOLERATIONS,
  ];
  const taints = at<Taint[]>(node, 'spec', 'taints') ?? [];
  return taints.every(
    (taint) => taint.effect === 'PreferNoSchedule' || tolerated(tolerations, taint),
  );
}

const nodeOfPod = (pod: KObject): string | undefined =>
  at<string>(pod, 'spec', 'nodeName') ??
  at<{ matchFields?: { values?: string[] }[] }[]>(
    pod,
    'spec',
    'affinity',
    'nodeAffinity',
    'requiredDuringSchedulingIgnoredDuringExecution',
    'nodeSelectorTerms',
  )?.[0]?.matchFields?.[0]?.values?.[0];

export function daemonSetController(api: ClusterApi, clock: SimClock): Reconciler {
  const event = (ds: KObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    api.recordEvent(ds, type, reason, message, { component: COMPONENT.daemonSet });

  const nodeSignatures = new Map<string, string>();

  function reconcile(key: string): number | void {
    const [ns, name] = splitKey(key);
    const ds = api.get(R.daemonSets, ns, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const templateSpec = at<Record<string, unknown>>(ds, 'spec', 'template', 'spec') ?? {};
    const hash = revisionHash(at(ds, 'spec', 'template'));
    const minReady = at<number>(ds, 'spec', 'minReadySeconds') ?? 0;
    const nodes = api.list(R.nodes, undefined);
    const eligible = new Set(
      nodes.filter((n) => nodeEligible(templateSpec, n)).map((n) => n.metadata.name!),
    );
    const pods = api.list(R.pods, ns).filter((p) => isControlledBy(p, ds) && isPodActive(p));
    const byNode = new Map<string, KObject[]>();
    for (const pod of pods) {
      const node = nodeOfPod(pod) ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }

    const remove = (pod: KObject) => {
      api.delete(R.pods, ns, pod.metadata.name!, { user: USER });
      event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    };
    for (const [node, list] of byNode) {
      // Not eligible any more (or duplicates): remove; keep the oldest on an eligible node.
      const keep = eligible.has(node) ? 1 : 0;
      const sorted = [...list].sort((a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
      );
      for (const pod of sorted.slice(keep)) remove(pod);
    }
    for (const node of eligible) {
      if (byNode.get(node)?.length) continue;
      const tolerations = [...((templateSpec.tolerations as Toleration[] | undefined) ?? [])];
      for (const t of DAEMON_TOLERATIONS)
        if (!tolerated(tolerations, { key: t.key!, effect: t.effect! })) tolerations.push(t);
      const pod = podFromTemplate(
        at(ds, 'spec', 'template'),
        ds,
        `${name}-${randomSuffix()}`,
        `${name}-`,
        {
          labels: {
            [HASH_LABEL]: hash,
            'pod-template-generation': String(ds.metadata.generation ?? 1),
          },
          spec: {
            tolerations,
            affinity: {
              ...(templateSpec.affinity as object | undefined),
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] },
                  ],
                },
              },
            },
          },
        },
      );
      try {
        const created = api.create(R.pods, pod, { user: USER });
        event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (error) {
        event(ds, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
        break;
      }
    }
    // RollingUpdate with maxUnavailable 1: replace one outdated pod at a time, once all are ready.
    const current = api.list(R.pods, ns).filter((p) => isControlledBy(p, ds) && isPodActive(p));
    const outdated = current.filter((p) => p.metadata.labels?.[HASH_LABEL] !== hash);
    const rolling =
      (at<string>(ds, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate') === 'RollingUpdate';
    if (rolling && outdated.length > 0 && current.every(isPodReady)) remove(outdated[0]!);

    const live = api.list(R.pods, ns).filter((p) => isControlledBy(p, ds) && isPodActive(p));
    const onEligible = live.filter((p) => eligible.has(nodeOfPod(p) ?? ''));
    const available = onEligible.filter((p) => isPodAvailable(p, minReady, clock.now())).length;
    const fresh = api.get(R.daemonSets, ns, name);
    if (!fresh) return;
    writeStatus(
      api,
      R.daemonSets,
      fresh,
      {
        currentNumberScheduled: onEligible.length,
        desiredNumberScheduled: eligible.size,
        numberMisscheduled: live.length - onEligible.length,
        numberReady: onEligible.filter(isPodReady).length,
        numberAvailable: available,
        ...(eligible.size - available > 0 ? { numberUnavailable: eligible.size - available } : {}),
        updatedNumberScheduled: onEligible.filter((p) => p.metadata.labels?.[HASH_LABEL] === hash)
          .length,
        observedGeneration: fresh.metadata.generation ?? 1,
      },
      USER,
    );
    return minReady > 0 ? minReady * 1000 : undefined;
  }

  return {
    name: 'daemonset-controller',
    resyncMs: 30_000,
    allKeys: () => api.list(R.daemonSets, undefined).map(keyOf),
    triggers: [
      { resource: R.daemonSets, keys: (ds) => [keyOf(ds)] },
      { resource: R.pods, keys: (pod) => ownerKeys(pod, 'DaemonSet') },
      {
        // A node added, removed, relabelled or tainted changes which nodes are eligible;
        // heartbeats (status only) do not.
        resource: R.nodes,
        keys: (node, ev) => {
          const signature =
            ev.type === 'DELETED'
              ? ''
              : JSON.stringify([node.metadata.labels, at(node, 'spec', 'taints')]);
          if (nodeSignatures.get(node.metadata.name!) === signature) return [];
          nodeSignatures.set(node.metadata.name!, signature);
          return api.list(R.daemonSets, undefined).map(keyOf);
        },
      },
    ],
    reconcile,
  };
}
