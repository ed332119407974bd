/**
 * The kubelet's worker for one pod on its node: mounts volumes, runs init containers in
 * order, then the app containers, probes them, restarts them per restartPolicy, and writes
 * the pod status. On deletion it stops the containers and, once they are down (or the
 * grace period ends), removes the pod for good.
 */
import type { SimClock } from '../../../clock/clock.ts';
import type { ClusterApi, KObject, UserInfo } from '../../../api/types.ts';
import { RESOURCES } from '../../../resources.ts';
import { pullSucceeds } from '../../../sim/catalog.ts';
import type { ResolvedImage } from '../../../sim/resolved.ts';
import type { SimEnvironment } from '../../../sim/runtime-types.ts';
import type { ContainerSpec, PodObject } from '../pod-model.ts';
import { parseQuantity } from '../../../quantity.ts';
import { containerUsage } from './usage.ts';
import { missingVolume, resolveEnv, type ConfigLookup } from './config-refs.ts';
import { ContainerSlot } from './container.ts';
import { buildPodStatus, type Terminated } from './pod-status.ts';
import { ProbeSet } from './probes.ts';
import type { CommandRunner, ExecResult, ProcessPlanner } from './process.ts';

const pods = RESOURCES.find((r) => r.kind === 'Pod' && r.group === '')!;
const serviceAccounts = RESOURCES.find((r) => r.kind === 'ServiceAccount' && r.group === '')!;
const MOUNT_RETRY_MS = 10_000;
/** How long a process that handles SIGTERM takes to exit. */
const STOP_MS = 1000;

export interface PodWorkerDeps {
  clock: SimClock;
  api: ClusterApi;
  user: UserInfo;
  nodeName: string;
  hostIP: string;
  resolve(image: string): ResolvedImage;
  images: Set<string>;
  lookup: ConfigLookup;
  planner: ProcessPlanner;
  runCommand: CommandRunner;
  /** The network/DNS/files a container of this pod sees. */
  environment(pod: PodObject, container: ContainerSpec, instance?: string): SimEnvironment;
  containerEnded?(instance: string): void;
  podGone?(uid: string): void;
  released(worker: PodWorker): void;
  /** False while the node is not Ready: the node lifecycle controller owns pod readiness then. */
  canWrite(): boolean;
}

export class PodWorker {
  pod: PodObject;
  readonly podIP: string;
  readonly init: ContainerSlot[];
  readonly main: ContainerSlot[];
  private readonly deps: PodWorkerDeps;
  private readonly startTime: string;
  private readonly startMs: number;
  private initIndex = 0;
  private initialized: boolean;
  private failed = false;
  private mounted = false;
  private dirty = false;
  private terminating = false;
  private gone = false;
  private readonly probes = new Map<ContainerSlot, ProbeSet>();
  private mountTimer: (() => void) | undefined;

  constructor(pod: PodObject, podIP: string, deps: PodWorkerDeps) {
    this.pod = pod;
    this.podIP = podIP;
    this.deps = deps;
    this.startTime = deps.clock.nowIso();
    this.startMs = deps.clock.now();
    const desc = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    const slotDeps = (isInit: boolean) => ({
      clock: deps.clock,
      podDesc: desc,
      event: (type: 'Normal' | 'Warning', reason: string, message: string) =>
        this.event(type, reason, message),
      changed: () => this.changed(),
      resolve: (image: string) => deps.resolve(image),
      imagePresent: (image: string) => deps.images.has(image),
      markPulled: (image: string) => deps.images.add(image),
      pullAllowed: (image: ResolvedImage) => pullSucceeds(image, this.pullSecrets()),
      prepare: (spec: ContainerSpec) => resolveEnv(this.pod, spec, deps.lookup, this.builtinEnv()),
      plan: (
        spec: ContainerSpec,
        image: ResolvedImage,
        env: Record<string, string>,
        instance: string,
      ) =>
        deps.planner({
          image,
          container: spec,
          env,
          memoryLimitBytes: limitOf(spec),
          environment: deps.environment(this.withIp(), spec, instance),
        }),
      exited: (slot: ContainerSlot, t: Terminated) => this.exited(slot, t, isInit),
      started: (slot: ContainerSlot) => this.containerStarted(slot, isInit),
    });
    this.init = (pod.spec.initContainers ?? []).map(
      (c) => new ContainerSlot(c, slotDeps(true), 'PodInitializing'),
    );
    this.main = pod.spec.containers.map(
      (c) =>
        new ContainerSlot(
          c,
          slotDeps(false),
          this.hasInit() ? 'PodInitializing' : 'ContainerCreating',
        ),
    );
    for (const s of this.init) s.record.state = { waiting: { reason: 'PodInitializing' } };
    this.initialized = !this.hasInit();
  }

  /** The pod as its containers see it: with the IP the kubelet gave it (before status says so). */
  private withIp(): PodObject {
    return { ...this.pod, status: { ...this.pod.status, podIP: this.podIP } };
  }

  private hasInit(): boolean {
    return (this.pod.spec.initContainers ?? []).length > 0;
  }

  private builtinEnv(): Record<string, string> {
    return {
      HOSTNAME: this.pod.metadata.name ?? '',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    };
  }

  get key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  slot(name: string): ContainerSlot | undefined {
    return [...this.main, ...this.init].find((s) => s.spec.name === name);
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.api.recordEvent(this.pod, type, reason, message, {
      component: 'kubelet',
      host: this.deps.nodeName,
    });
  }

  start(): void {
    this.changed();
    this.mount();
  }

  /** A ConfigMap/Secret appeared or changed: retry what was waiting on it right away. */
  poke(): void {
    if (!this.mounted && !this.terminating) this.mount();
  }

  private mount(): void {
    this.mountTimer?.();
    const problem = missingVolume(this.pod, this.deps.lookup);
    if (problem) {
      this.event('Warning', 'FailedMount', problem);
      this.mountTimer = this.deps.clock.after(MOUNT_RETRY_MS, () => this.mount());
      return;
    }
    this.mounted = true;
    if (this.init.length) this.init[0]!.start();
    else for (const s of this.main) s.start();
  }

  private containerStarted(slot: ContainerSlot, isInit: boolean): void {
    if (isInit) return;
    this.probes.get(slot)?.stop();
    const probes = new ProbeSet({
      clock: this.deps.clock,
      origin: this.startMs,
      target: {
        podIP: this.podIP,
        hostIP: this.deps.hostIP,
        slot,
        exec: (cmd) => this.exec(slot, cmd, ''),
      },
      event: (type, reason, message) => this.event(type, reason, message),
      changed: () => this.changed(),
      kill: (kind) => {
        const slotName = slot.spec.name;
        this.event(
          'Normal',
          'Killing',
          `Container ${slotName} failed ${kind} probe, will be restarted`,
        );
        slot.kill(137);
      },
    });
    this.probes.set(slot, probes);
    probes.start();
  }

  private exited(slot: ContainerSlot, t: Terminated, isInit: boolean): void {
    this.probes.get(slot)?.stop();
    if (slot.record.containerID) this.deps.containerEnded?.(slot.record.containerID);
    if (this.terminating) return;
    const policy = this.pod.spec.restartPolicy ?? 'Always';
    if (isInit) {
      if (t.exitCode === 0) {
        this.initIndex++;
        const next = this.init[this.initIndex];
        if (next) next.start();
        else {
          this.initialized = true;
          for (const s of this.main) {
            s.record.state = { waiting: { reason: 'ContainerCreating' } };
            s.start();
          }
        }
        return;
      }
      if (policy === 'Never') {
        this.failed = true;
        return;
      }
      slot.restartWithBackoff();
      return;
    }
    const restart = policy === 'Always' || (policy === 'OnFailure' && t.exitCode !== 0);
    if (restart) slot.restartWithBackoff();
  }

  /** Runs a command inside a running container (exec probes, kubectl exec). */
  exec(slot: ContainerSlot, command: string[], stdin: string): ExecResult {
    const image = slot.image ?? this.deps.resolve(slot.spec.image ?? '');
    return this.deps.runCommand(
      image,
      command,
      slot.env,
      this.deps.environment(this.withIp(), slot.spec, slot.record.containerID),
      stdin,
    );
  }

  /** The pod's pull secrets: its own imagePullSecrets, then its ServiceAccount's (read at pull time). */
  private pullSecrets(): { type?: unknown; data?: unknown }[] {
    const ns = this.pod.metadata.namespace ?? 'default';
    const named = (list: unknown): string[] =>
      Array.isArray(list)
        ? list.flatMap((r: { name?: unknown }) => (typeof r?.name === 'string' ? [r.name] : []))
        : [];
    const sa = this.deps.api.get(
      serviceAccounts,
      ns,
      this.pod.spec.serviceAccountName ?? 'default',
    );
    const names = [...named(this.pod.spec.imagePullSecrets), ...named(sa?.['imagePullSecrets'])];
    return names.flatMap((name) => {
      const secret = this.deps.lookup.secret(ns, name);
      return secret ? [{ type: secret['type'], data: secret['data'] }] : [];
    });
  }

  /** The pod object changed (deletion requested, spec unchanged by the API's rules). */
  update(pod: PodObject): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp && !this.terminating) return this.terminate();
    if (!this.terminating) {
      // The only container field a pod update may change is the image (init containers
      // that already ran are not run again).
      for (const spec of pod.spec.containers) {
        const slot = this.slot(spec.name);
        if (slot && (slot.spec.image ?? '') !== (spec.image ?? '')) {
          this.probes.get(slot)?.stop();
          if (slot.record.containerID) this.deps.containerEnded?.(slot.record.containerID);
          slot.changeImage(spec);
        }
      }
    }
    this.changed();
  }

  private terminate(): void {
    this.terminating = true;
    this.mountTimer?.();
    const grace =
      (this.pod.metadata.deletionGracePeriodSeconds ??
        this.pod.spec.terminationGracePeriodSeconds ??
        30) * 1000;
    let wait = 0;
    for (const s of [...this.main, ...this.init]) {
      this.probes.get(s)?.stop();
      if (s.running) {
        this.event('Normal', 'Killing', `Stopping container ${s.spec.name}`);
        wait = Math.max(wait, s.plan?.ignoresSigterm ? grace : Math.min(grace, STOP_MS));
      }
    }
    this.deps.clock.after(wait, () => {
      for (const s of [...this.main, ...this.init]) s.stop();
      this.remove();
    });
  }

  private remove(): void {
    if (this.gone) return;
    this.gone = true;
    try {
      this.deps.api.delete(pods, this.pod.metadata.namespace, this.pod.metadata.name!, {
        user: this.deps.user,
        gracePeriodSeconds: 0,
      });
    } catch {
      // Already gone: nothing left to finalize.
    }
    this.deps.podGone?.(this.pod.metadata.uid ?? '');
    this.deps.released(this);
  }

  /** The pod was removed from the API: stop everything now. */
  destroy(reportKilling = true): void {
    if (reportKilling && !this.gone && !this.terminating) {
      // Removed without a grace period (force delete): the kubelet still stops the containers.
      for (const s of [...this.main, ...this.init])
        if (s.running) this.event('Normal', 'Killing', `Stopping container ${s.spec.name}`);
    }
    this.gone = true;
    this.deps.podGone?.(this.pod.metadata.uid ?? '');
    this.mountTimer?.();
    for (const p of this.probes.values()) p.stop();
    for (const s of [...this.main, ...this.init]) s.stop();
  }

  private changed(): void {
    if (this.dirty || this.gone) return;
    this.dirty = true;
    queueMicrotask(() => {
      this.dirty = false;
      this.writeStatus();
    });
  }

  private writeStatus(): void {
    if (this.gone || !this.deps.canWrite()) return;
    const status = buildPodStatus(this.pod, {
      init: this.init.map((s) => s.record),
      main: this.main.map((s) => s.record),
      podIP: this.podIP,
      hostIP: this.deps.hostIP,
      startTime: this.startTime,
      initialized: this.initialized,
      failed: this.failed,
      now: this.deps.clock.nowIso(),
    });
    const old = (this.pod.status ?? {}) as Record<string, unknown>;
    if (Object.entries(status).every(([k, v]) => JSON.stringify(old[k]) === JSON.stringify(v)))
      return;
    try {
      const written = this.deps.api.patch(
        pods,
        this.pod.metadata.namespace,
        this.pod.metadata.name!,
        'merge',
        { status },
        {
          user: this.deps.user,
          subresource: 'status',
        },
      );
      this.pod = written as PodObject;
    } catch {
      // The pod is gone or being replaced; the kubelet's watch will tell us.
    }
  }

  /** Usage of the pod's running containers (metrics, HPA). */
  usage(): {
    cpuMilli: number;
    memoryBytes: number;
    containers: { name: string; cpuMilli: number; memoryBytes: number }[];
  } {
    const now = this.deps.clock.now();
    const containers = this.main
      .filter((s) => s.running && s.plan)
      .map((s) => ({ name: s.spec.name, ...containerUsage(s, now) }));
    return {
      cpuMilli: containers.reduce((a, c) => a + c.cpuMilli, 0),
      memoryBytes: containers.reduce((a, c) => a + c.memoryBytes, 0),
      containers,
    };
  }
}

function limitOf(spec: ContainerSpec): number | undefined {
  const m = spec.resources?.limits?.['memory'];
  return m === undefined ? undefined : parseQuantity(m);
}

export type { KObject };
