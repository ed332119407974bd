/**
 * The kubelets of every simulated node, as one controller: it watches pods bound to a node
 * and runs a PodWorker per pod, allocates pod IPs from the node's pod CIDR, and keeps each
 * node's image cache. A node whose Ready condition is Unknown has a dead kubelet: its pods
 * keep their last status and a deletion there is never finalized, exactly the "stuck in
 * Terminating" a real unreachable node shows.
 */
import type { ClusterApi, KObject, UserInfo, WatchEvent } from '../../../api/types.ts';
import type { SimClock } from '../../../clock/clock.ts';
import { RESOURCES, type ResourceType } from '../../../resources.ts';
import type { ResolvedImage } from '../../../sim/resolved.ts';
import type { SimEnvironment } from '../../../sim/runtime-types.ts';
import type { ContainerSpec, NodeObject, PodObject } from '../pod-model.ts';
import { isTerminal } from '../pod-model.ts';
import type { ConfigLookup } from './config-refs.ts';
import type { ContainerSlot } from './container.ts';
import { PodWorker } from './pod-worker.ts';
import type { CommandRunner, ProcessPlanner } from './process.ts';

const core = (kind: string): ResourceType =>
  RESOURCES.find((r) => r.group === '' && r.kind === kind)!;
export const POD = core('Pod');
export const NODE = core('Node');

const PODGC_USER: UserInfo = {
  username: 'system:serviceaccount:kube-system:pod-garbage-collector',
  groups: ['system:serviceaccounts', 'system:authenticated'],
};

export const KUBELET_USER: UserInfo = {
  username: 'system:node:kubelet',
  groups: ['system:nodes', 'system:authenticated'],
};

export interface KubeletOptions {
  resolve(image: string): ResolvedImage;
  planner: ProcessPlanner;
  runCommand: CommandRunner;
  /** `instance` names the container instance (its own writable layer, its writes). */
  environment(pod: PodObject, container: ContainerSpec, instance?: string): SimEnvironment;
  /** A container instance ended: its timeline's later file writes never happen. */
  containerEnded?(instance: string): void;
  /** A pod is gone from the node: its emptyDir volumes and container layers go too. */
  podGone?(uid: string): void;
}

/** Set by scenarios on a node whose kubelet is down (see src/sim/scenario-nodes.ts). */
export const KUBELET_STOPPED = 'sim.opsloop.dev/kubelet';

export function nodeReady(node: KObject | undefined): 'True' | 'False' | 'Unknown' {
  if (node?.metadata.annotations?.[KUBELET_STOPPED] === 'stopped') return 'Unknown';
  const conditions = (node as NodeObject | undefined)?.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  return ready?.status ?? 'True';
}

export function internalIP(node: NodeObject): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

export class Kubelets {
  private readonly api: ClusterApi;
  private readonly clock: SimClock;
  private readonly options: KubeletOptions;
  private readonly workers = new Map<string, PodWorker>();
  private readonly images = new Map<string, Set<string>>();
  private readonly usedIps = new Map<string, Set<number>>();
  private readonly nodeSubnet = new Map<string, number>();
  private readonly queue = new Set<string>();
  private scheduled: NodeJS.Immediate | undefined;
  private unsubscribe: (() => void) | undefined;
  readonly lookup: ConfigLookup;

  constructor(api: ClusterApi, clock: SimClock, options: KubeletOptions) {
    this.api = api;
    this.clock = clock;
    this.options = options;
    this.lookup = {
      configMap: (ns, name) => api.get(core('ConfigMap'), ns, name),
      secret: (ns, name) => api.get(core('Secret'), ns, name),
      pvc: (ns, name) => api.get(core('PersistentVolumeClaim'), ns, name),
    };
  }

  start(): void {
    // With kubelets running, deleting a scheduled pod marks it Terminating; its kubelet
    // stops the containers and removes it (gracePeriodSeconds 0) once the grace period ends.
    this.api.setPodTermination?.('graceful');
    this.unsubscribe = this.api.onChange((event, resource) => this.onChange(event, resource));
    for (const pod of this.api.list(POD, undefined)) this.enqueue(pod);
  }

  stop(): void {
    // Nobody would finish a graceful deletion any more.
    this.api.setPodTermination?.('immediate');
    this.unsubscribe?.();
    if (this.scheduled) clearImmediate(this.scheduled);
    for (const w of this.workers.values()) w.destroy(false);
    this.workers.clear();
  }

  private onChange(event: WatchEvent, resource: ResourceType): void {
    const kind = resource.kind;
    if (kind === 'Pod') {
      if (event.type === 'DELETED') this.forget(event.object.metadata.uid ?? '');
      else this.enqueue(event.object);
    } else if ((kind === 'ConfigMap' || kind === 'Secret') && resource.group === '') {
      const ns = event.object.metadata.namespace;
      for (const w of this.workers.values()) if (w.pod.metadata.namespace === ns) w.poke();
    } else if (kind === 'Node' && resource.group === '') {
      // A node coming back (or going away) changes what its kubelet may do.
      for (const w of this.workers.values())
        if (w.pod.spec.nodeName === event.object.metadata.name) this.enqueue(w.pod);
      if (event.type === 'DELETED') this.collectOrphans(event.object.metadata.name ?? '');
      else {
        for (const pod of this.api.list(POD, undefined))
          if (pod.spec && (pod as PodObject).spec.nodeName === event.object.metadata.name)
            this.enqueue(pod);
      }
    }
  }

  /** PodGC: pods bound to a node that no longer exists are force-deleted. */
  private collectOrphans(nodeName: string): void {
    setImmediate(() => {
      for (const pod of this.api.list(POD, undefined) as PodObject[]) {
        if (pod.spec?.nodeName !== nodeName) continue;
        try {
          this.api.delete(POD, pod.metadata.namespace, pod.metadata.name!, {
            user: PODGC_USER,
            gracePeriodSeconds: 0,
          });
        } catch {
          // Already gone.
        }
      }
    });
  }

  private enqueue(pod: KObject): void {
    this.queue.add(`${pod.metadata.namespace}/${pod.metadata.name}`);
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      const keys = [...this.queue];
      this.queue.clear();
      for (const key of keys) {
        const [ns, name] = key.split('/') as [string, string];
        const pod = this.api.get(POD, ns, name) as PodObject | undefined;
        if (pod) this.sync(pod);
      }
    });
  }

  private forget(uid: string): void {
    const worker = this.workers.get(uid);
    if (!worker) return;
    worker.destroy();
    this.release(worker);
  }

  private release(worker: PodWorker): void {
    this.workers.delete(worker.pod.metadata.uid ?? '');
    const host = this.usedIps.get(worker.pod.spec.nodeName ?? '');
    host?.delete(Number(worker.podIP.split('.')[3]));
  }

  private sync(pod: PodObject): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const node = this.api.get(NODE, undefined, nodeName) as NodeObject | undefined;
    if (!node) return;
    const alive = nodeReady(node) !== 'Unknown';
    const worker = this.workers.get(pod.metadata.uid ?? '');
    if (worker) {
      if (alive) worker.update(pod);
      return;
    }
    if (!alive || isTerminal(pod)) return;
    if (pod.metadata.deletionTimestamp) {
      // Never started here: nothing to stop, finalize at once.
      this.finalize(pod);
      return;
    }
    // A pod that already has an IP on this node (state restored after a restart) keeps it.
    const known = pod.status?.['podIP'];
    const ip =
      typeof known === 'string' && known.startsWith(`10.244.${this.subnetOf(node)}.`)
        ? known
        : this.allocateIp(node);
    const created = new PodWorker(pod, ip, {
      clock: this.clock,
      api: this.api,
      user: KUBELET_USER,
      nodeName,
      hostIP: internalIP(node) ?? '',
      resolve: (image) => this.options.resolve(image),
      images: this.imagesOf(nodeName),
      lookup: this.lookup,
      planner: this.options.planner,
      runCommand: this.options.runCommand,
      environment: (p, c, i) => this.options.environment(p, c, i),
      containerEnded: (i) => this.options.containerEnded?.(i),
      podGone: (uid) => this.options.podGone?.(uid),
      released: (w) => this.release(w),
      canWrite: () => nodeReady(this.api.get(NODE, undefined, nodeName)) === 'True',
    });
    this.workers.set(pod.metadata.uid ?? '', created);
    created.start();
  }

  private finalize(pod: PodObject): void {
    try {
      this.api.delete(POD, pod.metadata.namespace, pod.metadata.name!, {
        user: KUBELET_USER,
        gracePeriodSeconds: 0,
      });
    } catch {
      // Already gone.
    }
  }

  private imagesOf(node: string): Set<string> {
    let set = this.images.get(node);
    if (!set) this.images.set(node, (set = new Set()));
    return set;
  }

  /** 10.244.N.x: N from the node's spec.podCIDR, else a stable per-node number starting at 1. */
  private subnetOf(node: NodeObject): number {
    const cidr = node.spec?.podCIDR;
    const m = cidr ? /^10\.244\.(\d+)\./.exec(cidr) : null;
    if (m) return Number(m[1]);
    const name = node.metadata.name!;
    let n = this.nodeSubnet.get(name);
    if (n === undefined) {
      n = this.nodeSubnet.size + 1;
      this.nodeSubnet.set(name, n);
    }
    return n;
  }

  private allocateIp(node: NodeObject): string {
    const name = node.metadata.name!;
    let used = this.usedIps.get(name);
    if (!used) this.usedIps.set(name, (used = new Set()));
    for (const pod of this.api.list(POD, undefined) as PodObject[]) {
      const ip = pod.status?.['podIP'];
      if (pod.spec?.nodeName === name && typeof ip === 'string') used.add(Number(ip.split('.')[3]));
    }
    let host = 2;
    while (used.has(host) && host < 254) host++;
    used.add(host);
    return `10.244.${this.subnetOf(node)}.${host}`;
  }

  /** Assigns subnets in node-name order before any pod starts, so IPs are reproducible. */
  registerNodes(nodes: NodeObject[]): void {
    for (const n of [...nodes].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!)))
      this.subnetOf(n);
  }

  worker(namespace: string, name: string): PodWorker | undefined {
    for (const w of this.workers.values())
      if (w.pod.metadata.namespace === namespace && w.pod.metadata.name === name) return w;
    return undefined;
  }

  slot(namespace: string, pod: string, container: string): ContainerSlot | undefined {
    return this.worker(namespace, pod)?.slot(container);
  }

  allWorkers(): PodWorker[] {
    return [...this.workers.values()];
  }
}
