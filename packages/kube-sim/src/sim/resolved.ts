/**
 * What the kubelet needs to know about an image, whichever way it was described: a user
 * `ImageBehavior`, the built-in catalog of public images, or the default for anything
 * unknown. Everything downstream (process model, shell, probes) reads only this shape.
 */
import type { DependencySpec, ImageBehaviorSpec } from './image-behavior.ts';
import type { ImageRef } from './image-ref.ts';
import { BUSYBOX_APPLETS } from './catalog-tags.ts';
import type { HttpLogStyle } from './http-log.ts';

export interface HttpBehavior {
  /** Exact path → status code. */
  routes: Record<string, number>;
  /** Status of every path not in `routes` (404 for a real server, 200 for the default image). */
  otherStatus: number;
  /** Response bodies by status code ("200", "404"); a generic text when absent. */
  bodies?: Record<string, string>;
}

export interface Listener {
  port: number;
  /** Absent for a plain TCP listener. */
  http?: HttpBehavior;
}

/** At least one of `anyOf` must be set and non-empty, else the process logs `failureLogs` and exits 1. */
export interface EnvRequirement {
  anyOf: string[];
  failureLogs: string[];
}

export type PullOutcome = 'Ok' | 'NotFound' | 'Unauthorized';

export interface ResolvedImage {
  ref: ImageRef;
  source: 'user' | 'catalog' | 'default';
  pull: PullOutcome;
  /** Programs on $PATH; undefined for an unknown image, where every program is assumed present. */
  binaries: string[] | undefined;
  /** Programs that run the image's long-lived service (the rest are shells and utilities). */
  servers: string[];
  /** ENTRYPOINT+CMD: what runs when the container gives neither command nor args. */
  defaultCommand: string[];
  /** ENTRYPOINT alone: container `args` without `command` are appended to it. */
  entrypoint: string[];
  /** `containerPorts`: listen on whatever the container declares (the default image). */
  listen: Listener[] | 'containerPorts';
  startupSeconds: number;
  memoryMi: number;
  cpuMilli: number;
  requiredEnv: EnvRequirement[];
  dependencies: DependencySpec[];
  /** Lines the service logs once it is up. */
  logs: string[];
  /** Lines the ENTRYPOINT script prints first; absent from the logs when `command` bypasses it. */
  entrypointLogs?: string[];
  /** How the image's server logs each request it answers (nginx: access and error lines). */
  httpLog?: HttpLogStyle;
  /** Whose `sh` runs scripts: busybox ash (`sh: x: not found`) or Debian's dash (`sh: 1: x: not found`). */
  shell?: 'busybox' | 'dash';
  exit: { afterSeconds: number; code: number } | undefined;
  /** Reported in the kubelet's "Successfully pulled image" event. */
  sizeBytes: number;
}

export const SHELLS = ['sh', 'ash', 'bash', 'dash'];

/** Shells, busybox applets and the usual tools a shell can run; never a server process. */
export const UTILITIES = [
  ...new Set([
    ...SHELLS,
    ...BUSYBOX_APPLETS,
    'curl',
    'dig',
    'host',
    'apk',
    'apt-get',
    'tini',
    'dumb-init',
  ]),
];

/** Routes for a user `listen` entry: listed paths as given, everything else 404. */
export function httpFromRoutes(
  routes: Record<string, number> | undefined,
): HttpBehavior | undefined {
  return routes === undefined ? undefined : { routes: { ...routes }, otherStatus: 404 };
}

export function statusFor(http: HttpBehavior, path: string): number {
  const clean = path.split('?')[0] ?? path;
  return http.routes[clean] ?? http.otherStatus;
}

export function bodyFor(http: HttpBehavior, status: number): string {
  const body = http.bodies?.[String(status)];
  if (body !== undefined) return body;
  if (status === 404) return '404 page not found\n';
  return status < 400 ? 'ok\n' : `${status}\n`;
}

/** Builds a ResolvedImage from a user document's spec. */
export function fromUserSpec(ref: ImageRef, spec: ImageBehaviorSpec): ResolvedImage {
  const binaries = spec.binaries;
  const servers = (binaries ?? []).filter((b) => !UTILITIES.includes(b));
  const main = servers[0] ?? binaries?.[0] ?? 'app';
  return {
    ref,
    source: 'user',
    pull: spec.pull ?? 'Ok',
    binaries,
    servers: binaries === undefined ? [] : servers,
    defaultCommand: [main],
    entrypoint: [main],
    listen:
      spec.listen === undefined
        ? 'containerPorts'
        : spec.listen.map((l) => ({ port: l.port, http: httpFromRoutes(l.http) })),
    startupSeconds: spec.startupSeconds ?? 1,
    memoryMi: spec.memoryMi ?? 32,
    cpuMilli: spec.cpuMilli ?? 10,
    requiredEnv: (spec.requiredEnv ?? []).map((name) => ({
      anyOf: [name],
      failureLogs: [`fatal: ${name} is not set`],
    })),
    dependencies: spec.dependencies ?? [],
    logs: spec.logs ?? [],
    exit:
      spec.exitAfterSeconds === undefined
        ? undefined
        : { afterSeconds: spec.exitAfterSeconds, code: spec.exitCode ?? 0 },
    sizeBytes: 48_000_000,
  };
}

/** An image nobody described: pulls, serves 200 on the container's ports, never exits. */
export function defaultImage(ref: ImageRef): ResolvedImage {
  return {
    ref,
    source: 'default',
    pull: 'Ok',
    binaries: undefined,
    servers: [],
    defaultCommand: ['app'],
    entrypoint: ['app'],
    listen: 'containerPorts',
    startupSeconds: 1,
    memoryMi: 32,
    cpuMilli: 10,
    requiredEnv: [],
    dependencies: [],
    logs: [],
    exit: undefined,
    sizeBytes: 52_000_000,
  };
}
