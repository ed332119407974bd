/**
 * The scheduler controller (default-scheduler): binds every pending pod without a node
 * through pods/binding semantics, or records why it cannot (PodScheduled=False,
 * Unschedulable, and a FailedScheduling event). Any change to nodes, pods, PVCs or
 * storage classes retries the unschedulable pods, so fixing the cause schedules them.
 */
import type { ClusterApi, KObject, UserInfo } from '../../../api/types.ts';
import type { SimClock } from '../../../clock/clock.ts';
import { RESOURCES } from '../../../resources.ts';
import type { NodeObject, PodObject } from '../pod-model.ts';
import { isTerminal } from '../pod-model.ts';
import { decide } from './decide.ts';

export const SCHEDULER_USER: UserInfo = {
  username: 'system:kube-scheduler',
  groups: ['system:authenticated'],
};

const find = (group: string, kind: string) =>
  RESOURCES.find((r) => r.group === group && r.kind === kind)!;
const POD = find('', 'Pod');
const NODE = find('', 'Node');
const PVC = find('', 'PersistentVolumeClaim');
const STORAGE_CLASS = find('storage.k8s.io', 'StorageClass');

const WAKE_KINDS = new Set(['Node', 'Pod', 'PersistentVolumeClaim', 'StorageClass']);
/** Unschedulable pods are retried at least this often even without a change (podMaxInUnschedulablePodsDuration is 5 min). */
const RETRY_MS = 60_000;

function wantsUs(pod: PodObject): boolean {
  const name = pod.spec?.schedulerName;
  return (
    !pod.spec?.nodeName &&
    (name === undefined || name === 'default-scheduler') &&
    !pod.metadata.deletionTimestamp &&
    !isTerminal(pod)
  );
}

export function startScheduler(api: ClusterApi, clock: SimClock): () => void {
  let scheduled: NodeJS.Immediate | undefined;
  /** Last message recorded per pod uid, so a retry with the same verdict does not rewrite status. */
  const lastMessage = new Map<string, string>();

  const run = () => {
    scheduled = undefined;
    const nodes = api.list(NODE, undefined) as NodeObject[];
    // Copies: the round marks bound pods on them, and stored objects are frozen.
    const pods = (api.list(POD, undefined) as PodObject[]).map((p) => ({
      ...p,
      spec: { ...p.spec },
    }));
    const volumes = {
      pvcs: api.list(PVC, undefined),
      storageClasses: api.list(STORAGE_CLASS, undefined),
    };
    const pending = pods
      .filter(wantsUs)
      .sort((a, b) =>
        String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
      );
    for (const pod of pending) {
      const decision = decide(pod, { nodes, pods }, volumes);
      if ('node' in decision) {
        if (bind(pod, decision.node)) {
          lastMessage.delete(pod.metadata.uid ?? '');
          // Count the pod against its node for the rest of this round.
          pod.spec.nodeName = decision.node;
        }
      } else {
        markUnschedulable(pod, decision.message);
      }
    }
  };

  const bind = (pod: PodObject, node: string): boolean => {
    const live = api.get(POD, pod.metadata.namespace, pod.metadata.name!) as PodObject | undefined;
    if (!live || live.spec.nodeName || live.metadata.uid !== pod.metadata.uid) return false;
    const next = structuredClone(live) as PodObject;
    next.spec.nodeName = node;
    try {
      api.update(POD, next, { user: SCHEDULER_USER, subresource: 'binding' });
    } catch {
      return false;
    }
    api.recordEvent(
      live,
      'Normal',
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`,
      {
        component: 'default-scheduler',
      },
    );
    return true;
  };

  const markUnschedulable = (pod: PodObject, message: string) => {
    const uid = pod.metadata.uid ?? '';
    const conditions = (pod.status?.['conditions'] ?? []) as {
      type: string;
      status: string;
      message?: string;
    }[];
    const current = conditions.find((c) => c.type === 'PodScheduled');
    const same = current?.status === 'False' && current.message === message;
    if (same && lastMessage.get(uid) === message) return;
    lastMessage.set(uid, message);
    api.recordEvent(pod, 'Warning', 'FailedScheduling', message, {
      component: 'default-scheduler',
    });
    if (same) return;
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: clock.nowIso(),
      reason: 'Unschedulable',
      message,
    };
    try {
      api.patch(
        POD,
        pod.metadata.namespace,
        pod.metadata.name!,
        'merge',
        {
          status: {
            phase: 'Pending',
            conditions: [...conditions.filter((c) => c.type !== 'PodScheduled'), condition],
          },
        },
        { user: SCHEDULER_USER, subresource: 'status' },
      );
    } catch {
      // Deleted meanwhile.
    }
  };

  const kick = () => {
    scheduled ??= setImmediate(run);
  };
  const unsubscribe = api.onChange((event, resource) => {
    if (!WAKE_KINDS.has(resource.kind)) return;
    if (
      resource.kind === 'Pod' &&
      event.type !== 'DELETED' &&
      !wantsUs(event.object as PodObject) &&
      event.type !== 'MODIFIED'
    )
      return;
    kick();
  });
  const retry = clock.every(RETRY_MS, () => {
    lastMessage.clear();
    kick();
  });
  kick();
  return () => {
    unsubscribe();
    retry();
    if (scheduled) clearImmediate(scheduled);
  };
}

export type { KObject };
