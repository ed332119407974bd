/**
 * The node lifecycle controller and the node half of the kubelet's status reporting:
 * - fills the status a real kubelet registers (capacity, nodeInfo, addresses, conditions)
 *   where a scenario left it out, and refreshes lastHeartbeatTime while the kubelet lives;
 * - keeps the condition taints (not-ready, unreachable, *-pressure, unschedulable) in step
 *   with the conditions and spec.unschedulable, as TaintNodesByCondition does;
 * - marks pods on a node that is not Ready as not Ready;
 * - evicts pods from NoExecute-tainted nodes once their tolerationSeconds run out
 *   (TaintManagerEviction), and adds the 300 s not-ready/unreachable tolerations to new
 *   pods like the DefaultTolerationSeconds admission plugin.
 */
import type { AdmissionPlugin, ClusterApi, KObject, UserInfo } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { NODE, POD, nodeReady } from './kubelet/kubelet.ts';
import type { NodeCondition, NodeObject, PodObject, Taint } from './pod-model.ts';
import { isTerminal } from './pod-model.ts';
import {
  DISK_PRESSURE_TAINT,
  isTolerated,
  MEMORY_PRESSURE_TAINT,
  NOT_READY_TAINT,
  PID_PRESSURE_TAINT,
  tolerates,
  UNREACHABLE_TAINT,
  UNSCHEDULABLE_TAINT,
} from './taints.ts';

export const NODE_CONTROLLER: UserInfo = {
  username: 'system:serviceaccount:kube-system:node-controller',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};

const HEARTBEAT_MS = 40_000;
const MANAGED = [
  NOT_READY_TAINT,
  UNREACHABLE_TAINT,
  UNSCHEDULABLE_TAINT,
  MEMORY_PRESSURE_TAINT,
  DISK_PRESSURE_TAINT,
  PID_PRESSURE_TAINT,
];

const DEFAULT_CONDITIONS: Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>[] = [
  {
    type: 'MemoryPressure',
    status: 'False',
    reason: 'KubeletHasSufficientMemory',
    message: 'kubelet has sufficient memory available',
  },
  {
    type: 'DiskPressure',
    status: 'False',
    reason: 'KubeletHasNoDiskPressure',
    message: 'kubelet has no disk pressure',
  },
  {
    type: 'PIDPressure',
    status: 'False',
    reason: 'KubeletHasSufficientPID',
    message: 'kubelet has sufficient PID available',
  },
  {
    type: 'Ready',
    status: 'True',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
  },
];

/** The taints a node's conditions and cordon imply (NoExecute ones keep their timeAdded). */
export function conditionTaints(node: NodeObject, now: string): Taint[] {
  const conditions = node.status?.conditions ?? [];
  const status = (type: string) => conditions.find((c) => c.type === type)?.status;
  const existing = node.spec?.taints ?? [];
  const keep = (key: string, effect: Taint['effect']): Taint => {
    const found = existing.find((t) => t.key === key && t.effect === effect);
    return {
      key,
      effect,
      ...(effect === 'NoExecute' ? { timeAdded: found?.timeAdded ?? now } : {}),
    };
  };
  const out: Taint[] = [];
  const ready = nodeReady(node);
  if (ready === 'False')
    out.push(keep(NOT_READY_TAINT, 'NoSchedule'), keep(NOT_READY_TAINT, 'NoExecute'));
  if (ready === 'Unknown')
    out.push(keep(UNREACHABLE_TAINT, 'NoSchedule'), keep(UNREACHABLE_TAINT, 'NoExecute'));
  if (status('MemoryPressure') === 'True') out.push(keep(MEMORY_PRESSURE_TAINT, 'NoSchedule'));
  if (status('DiskPressure') === 'True') out.push(keep(DISK_PRESSURE_TAINT, 'NoSchedule'));
  if (status('PIDPressure') === 'True') out.push(keep(PID_PRESSURE_TAINT, 'NoSchedule'));
  if (node.spec?.unschedulable) out.push(keep(UNSCHEDULABLE_TAINT, 'NoSchedule'));
  return out;
}

/**
 * When a pod tolerating every NoExecute taint must leave: undefined = never (some
 * toleration has no tolerationSeconds), 0 = now (some taint is not tolerated).
 */
export function evictionDelayMs(
  pod: PodObject,
  taints: Taint[],
  nowMs: number,
): number | undefined {
  let deadline: number | undefined = Infinity;
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const matching = (pod.spec.tolerations ?? []).filter((t) => tolerates(t, taint));
    if (matching.length === 0) return 0;
    if (matching.some((t) => t.tolerationSeconds === undefined)) continue;
    const seconds = Math.min(...matching.map((t) => t.tolerationSeconds!));
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : nowMs;
    deadline = Math.min(deadline, added + Math.max(0, seconds) * 1000);
  }
  if (deadline === Infinity) return undefined;
  return Math.max(0, deadline - nowMs);
}

/** DefaultTolerationSeconds: tolerate not-ready and unreachable for 300 s unless the pod says otherwise. */
export const defaultTolerationSeconds: AdmissionPlugin = (request) => {
  if (
    request.operation !== 'CREATE' ||
    request.resource.kind !== 'Pod' ||
    request.resource.group !== '' ||
    request.subresource
  )
    return;
  const pod = request.object as PodObject | undefined;
  if (!pod?.spec) return;
  const tolerations = (pod.spec.tolerations ??= []);
  for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    if (isTolerated(tolerations, { key, effect: 'NoExecute' })) continue;
    tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
};

export class NodeLifecycle {
  private readonly api: ClusterApi;
  private readonly clock: SimClock;
  private readonly evictions = new Map<string, { at: number; cancel: () => void }>();
  private cancels: (() => void)[] = [];
  private pending = false;

  constructor(api: ClusterApi, clock: SimClock) {
    this.api = api;
    this.clock = clock;
  }

  start(): void {
    this.api.addAdmission(defaultTolerationSeconds);
    this.cancels.push(
      this.api.onChange((event, resource) => {
        if (
          resource.group === '' &&
          (resource.kind === 'Node' || resource.kind === 'Pod') &&
          event.type !== 'DELETED'
        )
          this.kick();
      }),
    );
    this.cancels.push(this.clock.every(HEARTBEAT_MS, () => this.heartbeat()));
    this.kick();
  }

  stop(): void {
    for (const c of this.cancels) c();
    for (const e of this.evictions.values()) e.cancel();
    this.evictions.clear();
  }

  private kick(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      for (const node of this.api.list(NODE, undefined) as NodeObject[]) this.reconcile(node);
    });
  }

  private write(node: NodeObject, status: boolean, patch: Record<string, unknown>): void {
    try {
      this.api.patch(NODE, undefined, node.metadata.name!, 'merge', patch, {
        user: NODE_CONTROLLER,
        ...(status ? { subresource: 'status' as const } : {}),
      });
    } catch {
      // Deleted or changed meanwhile: the change event brings us back.
    }
  }

  private reconcile(node: NodeObject): void {
    const now = this.clock.nowIso();
    const status = node.status ?? {};
    const statusPatch: Record<string, unknown> = {};
    if (!status.capacity)
      statusPatch['capacity'] = {
        cpu: '4',
        memory: '16Gi',
        pods: '110',
        'ephemeral-storage': '100Gi',
      };
    if (!status.allocatable)
      statusPatch['allocatable'] = status.capacity ?? {
        cpu: '4',
        memory: '16Gi',
        pods: '110',
        'ephemeral-storage': '100Gi',
      };
    if (!status.nodeInfo) {
      statusPatch['nodeInfo'] = {
        kubeletVersion: 'v1.31.0',
        kubeProxyVersion: 'v1.31.0',
        containerRuntimeVersion: 'containerd://1.7.22',
        osImage: 'Ubuntu 22.04.4 LTS',
        kernelVersion: '5.15.0-119-generic',
        operatingSystem: 'linux',
        architecture: 'amd64',
        machineID: '',
        systemUUID: '',
        bootID: '',
      };
    }
    if (!status.addresses) {
      const names = (this.api.list(NODE, undefined) as NodeObject[])
        .map((n) => n.metadata.name!)
        .sort();
      statusPatch['addresses'] = [
        { type: 'InternalIP', address: `172.18.0.${names.indexOf(node.metadata.name!) + 2}` },
        { type: 'Hostname', address: node.metadata.name },
      ];
    }
    const conditions = status.conditions ?? [];
    const missing = DEFAULT_CONDITIONS.filter((d) => !conditions.some((c) => c.type === d.type));
    if (missing.length) {
      statusPatch['conditions'] = [
        ...conditions,
        ...missing.map((d) => ({ ...d, lastHeartbeatTime: now, lastTransitionTime: now })),
      ];
    }
    if (Object.keys(statusPatch).length) {
      this.write(node, true, { status: statusPatch });
      return; // The write comes back as a change; taints follow on that pass.
    }
    const labels = node.metadata.labels ?? {};
    if (!labels['kubernetes.io/hostname'] || !labels['kubernetes.io/os']) {
      this.write(node, false, {
        metadata: {
          labels: {
            'kubernetes.io/hostname': node.metadata.name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            ...labels,
          },
        },
      });
      return;
    }
    const current = node.spec?.taints ?? [];
    const wanted = [
      ...current.filter((t) => !MANAGED.includes(t.key)),
      ...conditionTaints(node, now),
    ];
    if (JSON.stringify(current) !== JSON.stringify(wanted)) {
      this.write(node, false, { spec: { taints: wanted.length ? wanted : null } });
      return;
    }
    this.reconcilePods(node, wanted);
  }

  private reconcilePods(node: NodeObject, taints: Taint[]): void {
    const name = node.metadata.name!;
    const ready = nodeReady(node);
    const pods = (this.api.list(POD, undefined) as PodObject[]).filter(
      (p) => p.spec?.nodeName === name && !isTerminal(p),
    );
    for (const pod of pods) {
      const key = pod.metadata.uid ?? '';
      if (ready !== 'True') this.markNotReady(pod);
      if (pod.metadata.deletionTimestamp) continue;
      const delay = evictionDelayMs(pod, taints, this.clock.now());
      const existing = this.evictions.get(key);
      if (delay === undefined) {
        existing?.cancel();
        this.evictions.delete(key);
        continue;
      }
      const at = this.clock.now() + delay;
      if (existing && Math.abs(existing.at - at) < 1000) continue;
      existing?.cancel();
      const cancel = this.clock.after(delay, () => {
        this.evictions.delete(key);
        this.evict(pod);
      });
      this.evictions.set(key, { at, cancel });
    }
    for (const [key, e] of this.evictions) {
      if (
        !pods.some((p) => p.metadata.uid === key) &&
        !taints.some((t) => t.effect === 'NoExecute')
      ) {
        e.cancel();
        this.evictions.delete(key);
      }
    }
  }

  private markNotReady(pod: PodObject): void {
    const conditions = (pod.status?.['conditions'] ?? []) as { type: string; status: string }[];
    const ready = conditions.find((c) => c.type === 'Ready');
    if (!ready || ready.status === 'False') return;
    const now = this.clock.nowIso();
    const next = conditions.map((c) =>
      c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c,
    );
    try {
      this.api.patch(
        POD,
        pod.metadata.namespace,
        pod.metadata.name!,
        'merge',
        { status: { conditions: next } },
        { user: NODE_CONTROLLER, subresource: 'status' },
      );
      this.api.recordEvent(pod, 'Warning', 'NodeNotReady', 'Node is not ready', {
        component: 'node-controller',
      });
    } catch {
      // Gone meanwhile.
    }
  }

  private evict(pod: KObject): void {
    const live = this.api.get(POD, pod.metadata.namespace, pod.metadata.name!);
    if (!live || live.metadata.uid !== pod.metadata.uid || live.metadata.deletionTimestamp) return;
    this.api.recordEvent(
      live,
      'Normal',
      'TaintManagerEviction',
      `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
      {
        component: 'taint-eviction-controller',
      },
    );
    try {
      this.api.delete(POD, pod.metadata.namespace, pod.metadata.name!, { user: NODE_CONTROLLER });
    } catch {
      // Already gone.
    }
  }

  private heartbeat(): void {
    const now = this.clock.nowIso();
    for (const node of this.api.list(NODE, undefined) as NodeObject[]) {
      // A node whose kubelet stopped posting (Ready=Unknown) has no heartbeat.
      if (nodeReady(node) === 'Unknown' || !node.status?.conditions) continue;
      const conditions = node.status.conditions.map((c) => ({ ...c, lastHeartbeatTime: now }));
      this.write(node, true, { status: { conditions } });
    }
  }
}
