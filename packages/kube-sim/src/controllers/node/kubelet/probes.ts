/**
 * Startup, liveness and readiness probes of one running container, on the sim clock, with
 * the kubelet's thresholds and its exact failure texts ("HTTP probe failed with
 * statuscode: 404", "dial tcp 10.244.1.5:8081: connect: connection refused").
 */
import type { SimClock } from '../../../clock/clock.ts';
import { bodyFor, statusFor } from '../../../sim/resolved.ts';
import type { Probe } from '../pod-model.ts';
import type { ContainerSlot } from './container.ts';
import type { ExecResult } from './process.ts';

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export interface ProbeTarget {
  podIP: string;
  /** The node's IP: the kubelet probes from there. */
  hostIP?: string;
  slot: ContainerSlot;
  exec(command: string[]): ExecResult;
}

function resolvePort(slot: ContainerSlot, port: number | string): number {
  if (typeof port === 'number') return port;
  const named = (slot.spec.ports ?? []).find((p) => p.name === port);
  return named?.containerPort ?? Number(port);
}

/** One probe attempt against the simulated process. */
export function runProbe(probe: Probe, target: ProbeTarget): ProbeResult {
  const { slot, podIP } = target;
  if (probe.httpGet) {
    const port = resolvePort(slot, probe.httpGet.port);
    const path = probe.httpGet.path ?? '/';
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const url = `${scheme}://${podIP}:${port}${path}`;
    const listener = slot.listening(port);
    if (!listener)
      return {
        ok: false,
        message: `Get "${url}": dial tcp ${podIP}:${port}: connect: connection refused`,
      };
    if (!listener.http) return { ok: false, message: `Get "${url}": EOF` };
    const status = statusFor(listener.http, path);
    slot.served({
      client: target.hostIP ?? podIP,
      host: `${podIP}:${port}`,
      method: 'GET',
      path,
      status,
      bytes: Buffer.byteLength(bodyFor(listener.http, status)),
      agent: 'kube-probe/1.31',
    });
    if (status >= 200 && status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${status}` };
  }
  if (probe.tcpSocket) {
    const port = resolvePort(slot, probe.tcpSocket.port);
    if (slot.listening(port)) return { ok: true, message: '' };
    return { ok: false, message: `dial tcp ${podIP}:${port}: connect: connection refused` };
  }
  if (probe.grpc) {
    if (slot.listening(probe.grpc.port)) return { ok: true, message: '' };
    return {
      ok: false,
      message: `timeout: failed to connect service "${podIP}:${probe.grpc.port}" within 1s`,
    };
  }
  if (probe.exec) {
    try {
      const result = target.exec(probe.exec.command ?? []);
      return { ok: result.exitCode === 0, message: (result.stdout + result.stderr).trimEnd() };
    } catch (error) {
      return { ok: false, message: `rpc error: code = Unknown desc = ${(error as Error).message}` };
    }
  }
  return { ok: true, message: '' };
}

export interface ProbeCallbacks {
  clock: SimClock;
  target: ProbeTarget;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  changed(): void;
  /** Kill the container because `kind` failed ("liveness" | "startup"). */
  kill(kind: 'liveness' | 'startup'): void;
  /**
   * When the pod's probe workers started (sim ms). Like the kubelet's prober, probes tick
   * every periodSeconds from then on, and a tick before the container has run
   * initialDelaySeconds does nothing: a server that starts within one period is never
   * reported Unhealthy.
   */
  origin: number;
}

type Kind = 'startup' | 'liveness' | 'readiness';
const LABEL: Record<Kind, string> = {
  startup: 'Startup',
  liveness: 'Liveness',
  readiness: 'Readiness',
};

/** Runs a container's probes until stop(); started once per container instance. */
export class ProbeSet {
  private readonly cancels = new Set<() => void>();
  private readonly cb: ProbeCallbacks;
  private started = false;

  constructor(cb: ProbeCallbacks) {
    this.cb = cb;
  }

  start(): void {
    const spec = this.cb.target.slot.spec;
    const record = this.cb.target.slot.record;
    record.ready = false;
    if (spec.startupProbe) {
      record.started = false;
      this.loop('startup', spec.startupProbe);
    } else {
      this.markStarted();
    }
  }

  private markStarted(): void {
    if (this.started) return;
    this.started = true;
    const spec = this.cb.target.slot.spec;
    const record = this.cb.target.slot.record;
    record.started = true;
    if (spec.livenessProbe) this.loop('liveness', spec.livenessProbe);
    if (spec.readinessProbe) this.loop('readiness', spec.readinessProbe);
    else record.ready = true;
    this.cb.changed();
  }

  private loop(kind: Kind, probe: Probe): void {
    const period = (probe.periodSeconds ?? 10) * 1000;
    const failureThreshold = probe.failureThreshold ?? 3;
    const successThreshold = kind === 'readiness' ? (probe.successThreshold ?? 1) : 1;
    let failures = 0;
    let successes = 0;
    const tick = () => {
      const result = runProbe(probe, this.cb.target);
      const record = this.cb.target.slot.record;
      if (result.ok) {
        failures = 0;
        successes++;
        if (successes >= successThreshold) {
          if (kind === 'startup') {
            this.markStarted();
            return;
          }
          if (kind === 'readiness' && !record.ready) {
            record.ready = true;
            this.cb.changed();
          }
        }
      } else {
        successes = 0;
        failures++;
        this.cb.event('Warning', 'Unhealthy', `${LABEL[kind]} probe failed: ${result.message}`);
        if (failures >= failureThreshold) {
          if (kind === 'readiness') {
            if (record.ready) {
              record.ready = false;
              this.cb.changed();
            }
          } else {
            this.stop();
            this.cb.kill(kind);
            return;
          }
        }
      }
      this.schedule(period, tick);
    };
    const now = this.cb.clock.now();
    const earliest = now + (probe.initialDelaySeconds ?? 0) * 1000;
    let first = this.cb.origin + period;
    if (first < earliest) first += Math.ceil((earliest - first) / period) * period;
    this.schedule(first - now, tick);
  }

  private schedule(ms: number, fn: () => void): void {
    const cancel = this.cb.clock.after(ms, () => {
      this.cancels.delete(cancel);
      fn();
    });
    this.cancels.add(cancel);
  }

  stop(): void {
    for (const c of this.cancels) c();
    this.cancels.clear();
  }
}
