/**
 * One container of a pod on a simulated node: pull, create, run, exit, back off, restart.
 * It owns the container's status record and log buffers; the pod worker decides when it
 * starts (after init containers) and whether an exit restarts it.
 */
import { createHash } from 'node:crypto';
import { requestLogLines, type ServedRequest } from '../../../sim/http-log.ts';
import type { SimClock } from '../../../clock/clock.ts';
import { kubeletMessages, pullErrorDetail, pullFailedMessage } from '../../../sim/messages.ts';
import type { ResolvedImage } from '../../../sim/resolved.ts';
import type { ContainerSpec } from '../pod-model.ts';
import { Backoff, goDuration } from './backoff.ts';
import { LogBuffer } from './log-buffer.ts';
import type { ContainerRecord, Terminated } from './pod-status.ts';
import type { ProcessPlan } from './process.ts';

export interface ContainerDeps {
  clock: SimClock;
  /** "web-abc_shop(uid)" as the kubelet names the pod in messages. */
  podDesc: string;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  changed(): void;
  resolve(image: string): ResolvedImage;
  imagePresent(image: string): boolean;
  markPulled(image: string): void;
  /** Whether the registry lets this pod pull `image` (Unauthorized images need a pull secret). */
  pullAllowed(image: ResolvedImage): boolean;
  /** Env for the container, or the CreateContainerConfigError message. */
  prepare(spec: ContainerSpec): { env: Record<string, string> } | { error: string };
  plan(
    spec: ContainerSpec,
    image: ResolvedImage,
    env: Record<string, string>,
    instance: string,
  ): ProcessPlan;
  /** The process ended (exit or kill); the pod worker decides what happens next. */
  exited(slot: ContainerSlot, terminated: Terminated): void;
  started(slot: ContainerSlot): void;
}

const PULL_MS = 1500;
const CONFIG_RETRY_MS = 10_000;

function hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A process shorter-lived than the kubelet's relist period (PLEG, 1 s) is never seen running. */
const SEEN_RUNNING_SECONDS = 1;

export class ContainerSlot {
  spec: ContainerSpec;
  readonly record: ContainerRecord;
  current = new LogBuffer();
  previous: LogBuffer | undefined;
  plan: ProcessPlan | undefined;
  image: ResolvedImage | undefined;
  env: Record<string, string> = {};
  startedAtMs = 0;
  readonly crashBackoff = new Backoff();
  private readonly pullBackoff = new Backoff();
  private timers: (() => void)[] = [];
  private readonly deps: ContainerDeps;
  private instance = 0;
  stopped = false;

  constructor(spec: ContainerSpec, deps: ContainerDeps, initialReason: string) {
    this.spec = spec;
    this.deps = deps;
    this.record = {
      name: spec.name,
      image: spec.image ?? '',
      imageID: '',
      state: { waiting: { reason: initialReason } },
      lastState: {},
      ready: false,
      started: false,
      restartCount: 0,
    };
  }

  get running(): boolean {
    return 'running' in this.record.state;
  }

  private later(ms: number, fn: () => void): void {
    const cancel = this.deps.clock.after(ms, () => {
      if (!this.stopped) fn();
    });
    this.timers.push(cancel);
  }

  private clearTimers(): void {
    for (const cancel of this.timers) cancel();
    this.timers = [];
  }

  private setWaiting(reason: string, message?: string): void {
    this.record.state = { waiting: { reason, ...(message ? { message } : {}) } };
    this.record.ready = false;
    this.deps.changed();
  }

  /** Starts (or restarts) the container: pull if needed, check config, create, run. */
  start(): void {
    if (this.stopped) return;
    const imageName = this.spec.image ?? '';
    const image = this.deps.resolve(imageName);
    this.image = image;
    const policy =
      this.spec.imagePullPolicy ??
      (image.ref.tag === 'latest' && !image.ref.digest ? 'Always' : 'IfNotPresent');
    if (policy !== 'Always' && this.deps.imagePresent(imageName)) {
      this.deps.event('Normal', 'Pulled', kubeletMessages.alreadyPresent(imageName));
      this.create(image);
      return;
    }
    if (policy === 'Never') {
      const message = `Container image "${imageName}" is not present with pull policy of Never`;
      this.deps.event('Warning', 'ErrImageNeverPull', message);
      this.setWaiting('ErrImageNeverPull', message);
      return;
    }
    this.deps.event('Normal', 'Pulling', kubeletMessages.pulling(imageName));
    this.later(PULL_MS, () => {
      if (this.deps.pullAllowed(image)) {
        this.deps.markPulled(imageName);
        this.record.imageID = `${image.ref.normalized.replace(/[:@].*$/, '')}@sha256:${hex(image.ref.normalized)}`;
        this.deps.event(
          'Normal',
          'Pulled',
          kubeletMessages.pulled(imageName, PULL_MS / 1000, image.sizeBytes),
        );
        this.pullBackoff.reset();
        this.create(image);
        return;
      }
      this.deps.event('Warning', 'Failed', pullFailedMessage(image));
      this.deps.event('Warning', 'Failed', kubeletMessages.errImagePull);
      this.setWaiting('ErrImagePull', `rpc error: ${pullErrorDetail(image)}`);
      const delay = this.pullBackoff.next();
      this.later(1000, () => {
        this.deps.event('Normal', 'BackOff', kubeletMessages.backOffPulling(imageName));
        this.deps.event('Warning', 'Failed', kubeletMessages.imagePullBackOff);
        this.setWaiting('ImagePullBackOff', kubeletMessages.backOffPulling(imageName));
      });
      this.later(delay, () => this.start());
    });
  }

  private create(image: ResolvedImage): void {
    if (this.record.imageID === '') {
      this.record.imageID = `${image.ref.normalized.replace(/[:@].*$/, '')}@sha256:${hex(image.ref.normalized)}`;
    }
    const prepared = this.deps.prepare(this.spec);
    if ('error' in prepared) {
      this.deps.event('Warning', 'Failed', `Error: ${prepared.error}`);
      this.setWaiting('CreateContainerConfigError', prepared.error);
      this.later(CONFIG_RETRY_MS, () => this.create(image));
      return;
    }
    this.env = prepared.env;
    this.previous = this.current;
    this.current = new LogBuffer();
    const now = this.deps.clock.now();
    const nowIso = this.deps.clock.nowIso();
    this.instance++;
    const containerID = `containerd://${hex(`${this.deps.podDesc}/${this.spec.name}/${this.instance}/${now}`)}`;
    this.record.containerID = containerID;
    const plan = this.deps.plan(this.spec, image, prepared.env, containerID);
    this.plan = plan;
    this.deps.event('Normal', 'Created', kubeletMessages.created(this.spec.name));
    if (plan.startError !== undefined) {
      this.deps.event('Warning', 'Failed', kubeletMessages.startError(plan.startError));
      this.finish({
        exitCode: 128,
        reason: 'StartError',
        message: plan.startError,
        startedAt: '1970-01-01T00:00:00Z',
        finishedAt: nowIso,
        containerID,
      });
      return;
    }
    this.startedAtMs = now;
    this.record.state = { running: { startedAt: nowIso } };
    this.deps.event('Normal', 'Started', kubeletMessages.started(this.spec.name));
    const buffer = this.current;
    if (plan.exit && plan.exit.atSeconds < SEEN_RUNNING_SECONDS) {
      // Dead before the kubelet's next relist (1 s): never reported running or ready, so a
      // crashlooping Deployment never looks available, as on a real node.
      for (const entry of plan.logs)
        if (entry.atSeconds <= plan.exit.atSeconds)
          buffer.append(now + entry.atSeconds * 1000, entry.line);
      const exit = plan.exit;
      this.finish({
        exitCode: exit.code,
        reason: exit.reason,
        startedAt: nowIso,
        finishedAt: nowIso,
        containerID,
      });
      return;
    }
    for (const entry of plan.logs) {
      this.later(entry.atSeconds * 1000, () =>
        buffer.append(now + entry.atSeconds * 1000, entry.line),
      );
    }
    if (plan.exit) {
      const exit = plan.exit;
      this.later(exit.atSeconds * 1000, () => {
        this.finish({
          exitCode: exit.code,
          reason: exit.reason,
          startedAt: nowIso,
          finishedAt: this.deps.clock.nowIso(),
          containerID,
        });
      });
    }
    this.deps.started(this);
    this.deps.changed();
  }

  /** The process answered a request on one of its ports: its server logs it, as the image would. */
  served(request: ServedRequest): void {
    const style = this.image?.httpLog;
    if (!style || !this.running) return;
    const now = this.deps.clock.now();
    for (const line of requestLogLines(style, request, now)) this.current.append(now, line);
  }

  /** Which of the plan's ports accept connections now. */
  listening(port: number): ProcessPlan['listening'][number] | undefined {
    if (!this.running || !this.plan) return undefined;
    const up = (this.deps.clock.now() - this.startedAtMs) / 1000;
    return this.plan.listening.find((l) => l.port === port && up >= l.readyAfterSeconds);
  }

  /** Kills the running process (liveness failure, deletion); `finish` follows. */
  kill(exitCode: number, reason = 'Error'): void {
    if (!this.running) return;
    const started =
      'running' in this.record.state
        ? this.record.state.running.startedAt
        : this.deps.clock.nowIso();
    this.finish({
      exitCode,
      reason,
      startedAt: started,
      finishedAt: this.deps.clock.nowIso(),
      containerID: this.record.containerID,
    });
  }

  private finish(terminated: Terminated): void {
    this.clearTimers();
    this.record.state = { terminated };
    this.record.ready = false;
    this.current.close();
    this.deps.exited(this, terminated);
    this.deps.changed();
  }

  /** After an exit: wait the crash back-off (CrashLoopBackOff), then start again. */
  restartWithBackoff(): void {
    const term = 'terminated' in this.record.state ? this.record.state.terminated : undefined;
    const ran = this.startedAtMs ? this.deps.clock.now() - this.startedAtMs : 0;
    const delay = this.crashBackoff.next(ran);
    const previousState = this.record.state;
    const uidDesc = this.deps.podDesc;
    this.later(1000, () => {
      this.record.lastState = previousState;
      this.setWaiting(
        'CrashLoopBackOff',
        `back-off ${goDuration(delay)} restarting failed container=${this.spec.name} pod=${uidDesc}`,
      );
      this.deps.event(
        'Warning',
        'BackOff',
        kubeletMessages.backOffRestart(this.spec.name, ...splitDesc(uidDesc)),
      );
    });
    this.later(delay, () => {
      if (term) this.record.lastState = { terminated: term };
      this.record.restartCount++;
      this.record.started = false;
      this.start();
    });
  }

  /**
   * The pod's spec now names another image for this container (`kubectl set image pod/…`):
   * the kubelet kills the running instance and starts the new image at once, without
   * crash back-off, and counts a restart.
   */
  changeImage(spec: ContainerSpec): void {
    if (this.stopped) return;
    this.deps.event(
      'Normal',
      'Killing',
      `Container ${spec.name} definition changed, will be restarted`,
    );
    this.clearTimers();
    if (this.running && 'running' in this.record.state) {
      this.record.lastState = {
        terminated: {
          exitCode: 0,
          reason: 'Completed',
          startedAt: this.record.state.running.startedAt,
          finishedAt: this.deps.clock.nowIso(),
          containerID: this.record.containerID,
        },
      };
      this.current.close();
    }
    if (this.startedAtMs) this.record.restartCount++;
    this.spec = spec;
    this.record.image = spec.image ?? '';
    this.record.imageID = '';
    this.record.started = false;
    this.record.ready = false;
    this.crashBackoff.reset();
    this.pullBackoff.reset();
    this.setWaiting('ContainerCreating');
    this.start();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.current.close();
  }
}

function splitDesc(desc: string): [string, string, string] {
  const m = /^(.*)_(.*)\((.*)\)$/.exec(desc);
  return m ? [m[1]!, m[2]!, m[3]!] : [desc, '', ''];
}
