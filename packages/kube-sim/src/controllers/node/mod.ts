/**
 * The node side of the simulated cluster: scheduler, kubelets, node lifecycle, cluster
 * DNS and the pod network, plus the SimHooks the API server delegates to (pods/log, the
 * service proxy) and exec/attach for the remote-command stream.
 */
import type { ClusterApi, KObject, SimHooks } from '../../api/types.ts';
import type { SimClock } from '../../clock/clock.ts';
import { RESOURCES } from '../../resources.ts';
import { resolveImage } from '../../sim/catalog.ts';
import type { ImageBehavior } from '../../sim/image-behavior.ts';
import { ensureClusterDns } from './dns.ts';
import { containerEnvironment } from './environment.ts';
import { VolumeStore } from './volumes.ts';
import type { ServedRequest } from '../../sim/http-log.ts';
import {
  attachToContainer,
  execInContainer,
  runningSlot,
  type AttachSession,
} from './hooks/exec.ts';
import { followLogLines, logLines } from './hooks/logs.ts';
import { proxyToService } from './hooks/proxy.ts';
import { Kubelets, NODE } from './kubelet/kubelet.ts';
import { simCommandRunner, simPlanner, type ExecResult } from './kubelet/process.ts';
import { Network, type ReachResult, type Source } from './network/network.ts';
import { NodeLifecycle } from './node-lifecycle.ts';
import { nodeMetrics, podMetrics } from './metrics.ts';
import type { NodeObject, PodObject } from './pod-model.ts';
import { startScheduler } from './scheduler/scheduler.ts';

export type { ExecResult } from './kubelet/process.ts';
export type { AttachSession } from './hooks/exec.ts';
export {
  serveRemoteCommand,
  runSession,
  statusFor,
  PROTOCOLS,
  type RemoteCommandHandler,
  type RemoteCommandOptions,
} from './exec/remote-command.ts';
export { execHandler, attachHandler } from './exec/handlers.ts';

export interface NodeSideOptions {
  /** User ImageBehavior documents (read on every container start, so later loads apply). */
  imageBehaviors?: () => readonly ImageBehavior[];
  /** Create kube-dns + CoreDNS in kube-system when absent (default true). */
  clusterDns?: boolean;
}

export interface PodUsage {
  cpuMilli: number;
  memoryBytes: number;
  containers: { name: string; cpuMilli: number; memoryBytes: number }[];
}

export interface NodeSide {
  hooks: SimHooks;
  /** kubectl exec: runs `command` in a running container. */
  exec(
    namespace: string,
    pod: string,
    container: string | undefined,
    command: string[],
    stdin: string,
  ): ExecResult;
  /**
   * Throws the API server's error (404 pod, 400 container/phase/not running) unless the
   * container is running, so exec/attach fail as plain HTTP before the upgrade.
   */
  checkTarget(
    namespace: string,
    pod: string,
    container: string | undefined,
    verb: 'exec into' | 'attach to',
  ): void;
  /** kubectl attach: the main process's output until it exits. */
  attach(
    namespace: string,
    pod: string,
    container: string | undefined,
    onOutput: (line: string) => void,
    onExit: (code: number) => void,
  ): AttachSession;
  /** Current usage of a running pod (HPA, metrics.k8s.io), undefined when not running here. */
  podUsage(namespace: string, pod: string): PodUsage | undefined;
  /** Usage summed per node. */
  nodeUsage(node: string): { cpuMilli: number; memoryBytes: number } | undefined;
  /** metrics.k8s.io PodMetrics of the running pods (one namespace, or all), for `kubectl top pod`. */
  podMetricsList(namespace?: string): KObject[];
  /** metrics.k8s.io NodeMetrics of every node, for `kubectl top node`. */
  nodeMetricsList(): KObject[];
  /** Connectivity from a pod ("shop/web-abc") to host:port, as the pod's processes see it. */
  canReach(fromPod: string, host: string, port: number): ReachResult;
  network: Network;
  stop(): void;
}

const core = (kind: string) => RESOURCES.find((r) => r.group === '' && r.kind === kind)!;
const POLICY = RESOURCES.find(
  (r) => r.group === 'networking.k8s.io' && r.kind === 'NetworkPolicy',
)!;

export function startNodeControllers(
  api: ClusterApi,
  clock: SimClock,
  options: NodeSideOptions = {},
): NodeSide {
  // The network asks the kubelets what listens; the kubelets need the network: tie the knot lazily.
  const ref: { kubelets?: Kubelets } = {};
  const network = new Network({
    pods: () => api.list(core('Pod'), undefined) as PodObject[],
    services: () => api.list(core('Service'), undefined),
    namespaces: () => api.list(core('Namespace'), undefined),
    policies: () => api.list(POLICY, undefined),
    listener: (pod, port) => {
      const worker = ref.kubelets?.worker(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      if (!worker || worker.pod.metadata.uid !== pod.metadata.uid) return undefined;
      for (const slot of worker.main) {
        const l = slot.listening(port);
        if (l) return l;
      }
      return undefined;
    },
  });
  const lookup = {
    configMap: (ns: string, name: string) => api.get(core('ConfigMap'), ns, name),
    secret: (ns: string, name: string) => api.get(core('Secret'), ns, name),
    pvc: (ns: string, name: string) => api.get(core('PersistentVolumeClaim'), ns, name),
  };
  const volumes = new VolumeStore();
  /** The container listening on pod:port answered a request: its server logs it. */
  // A request made by a container's command happens `atSeconds` into its timeline.
  const served = (pod: PodObject, port: number, request: ServedRequest, atSeconds = 0): void => {
    const serve = () => {
      const worker = ref.kubelets?.worker(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      if (!worker || worker.pod.metadata.uid !== pod.metadata.uid) return;
      worker.main.find((slot) => slot.listening(port))?.served(request);
    };
    if (atSeconds > 0) clock.after(atSeconds * 1000, serve);
    else serve();
  };
  const k = new Kubelets(api, clock, {
    resolve: (image) => resolveImage(image, options.imageBehaviors?.() ?? []),
    planner: simPlanner,
    runCommand: simCommandRunner,
    environment: (pod, container, instance) =>
      containerEnvironment(network, lookup, pod, container, {
        store: volumes,
        clock,
        instance,
        served,
      }),
    containerEnded: (instance) => volumes.dropAfter(instance, clock.now()),
    podGone: (uid) => {
      volumes.drop(`emptyDir/${uid}/`);
      volumes.drop(`layer/${uid}/`);
    },
  });
  ref.kubelets = k;
  k.registerNodes(api.list(NODE, undefined) as NodeObject[]);
  const lifecycle = new NodeLifecycle(api, clock);
  lifecycle.start();
  const stopScheduler = startScheduler(api, clock);
  k.start();
  if (options.clusterDns !== false) ensureClusterDns(api);

  const hooks: SimHooks = {
    logs: (ns, pod, container, opts) => logLines(k, clock, ns, pod, container, opts),
    followLogs: (ns, pod, container, opts, onLine, onEnd) =>
      followLogLines(k, ns, pod, container, opts, onLine, onEnd),
    proxy: (ns, service, port, request) =>
      proxyToService(api, network, ns, service, port, request, served),
  };
  const podUsage = (ns: string, pod: string): PodUsage | undefined => {
    const worker = k.worker(ns, pod);
    if (!worker) return undefined;
    const usage = worker.usage();
    return usage.containers.length ? usage : undefined;
  };
  const nodeUsageOf = (node: string): { cpuMilli: number; memoryBytes: number } | undefined => {
    if (!api.get(NODE, undefined, node)) return undefined;
    let cpuMilli = 0;
    let memoryBytes = 0;
    for (const w of k.allWorkers()) {
      if (w.pod.spec.nodeName !== node) continue;
      const u = w.usage();
      cpuMilli += u.cpuMilli;
      memoryBytes += u.memoryBytes;
    }
    return { cpuMilli, memoryBytes };
  };
  return {
    hooks,
    exec: (ns, pod, container, command, stdin) =>
      execInContainer(api, k, ns, pod, container, command, stdin),
    checkTarget: (ns, pod, container, verb) => void runningSlot(api, k, ns, pod, container, verb),
    attach: (ns, pod, container, onOutput, onExit) =>
      attachToContainer(api, k, ns, pod, container, onOutput, onExit),
    podUsage,
    nodeUsage: (node) => nodeUsageOf(node),
    podMetricsList: (namespace) =>
      k
        .allWorkers()
        .filter((w) => namespace === undefined || w.pod.metadata.namespace === namespace)
        .flatMap((w) => {
          const usage = podUsage(w.pod.metadata.namespace ?? '', w.pod.metadata.name ?? '');
          return usage ? [podMetrics(w.pod, usage, clock.nowIso())] : [];
        }),
    nodeMetricsList: () =>
      api.list(NODE, undefined).flatMap((node) => {
        const usage = nodeUsageOf(node.metadata.name ?? '');
        return usage ? [nodeMetrics(node, usage, clock.nowIso())] : [];
      }),
    canReach: (fromPod, host, port) => {
      const [ns, name] = fromPod.includes('/')
        ? (fromPod.split('/') as [string, string])
        : ['default', fromPod];
      const pod = api.get(core('Pod'), ns, name) as PodObject | undefined;
      if (!pod) return { ok: false, reason: `pod ${fromPod} not found` };
      const source: Source = { pod };
      return network.canReach(source, host, port);
    },
    network,
    stop: () => {
      stopScheduler();
      lifecycle.stop();
      k.stop();
    },
  };
}

export type { KObject };
