/**
 * The world a simulated container runs in. The node side (kubelet, networking) supplies
 * these callbacks; the process model and the shell never reach the cluster any other way,
 * which keeps them pure and testable.
 */
import type { HttpBehavior } from './resolved.ts';

export interface Reachability {
  reachable: boolean;
  /** Why not: "connection refused", "no such host", "i/o timeout" (as Go's net package words it). */
  reason?: string;
  /** The address the host resolved to, when it did. */
  address?: string;
}

/** Can a TCP connection from this pod reach host:port right now? */
export type NetworkProbe = (host: string, port: number) => Reachability;

/** Answer of an HTTP GET to host:port/path, called only after the probe said reachable. */
export type HttpCall = (
  host: string,
  port: number,
  path: string,
  /** The client's User-Agent (busybox wget: `Wget`, curl: `curl/8.5.0`). */
  agent?: string,
  /** Seconds into the calling process's timeline (its script runs ahead of the clock). */
  atSeconds?: number,
) => { status: number; body: string };

/** Cluster DNS as seen from this pod (search path applied by the callee). */
export type DnsLookup = (
  name: string,
) => { fqdn: string; address: string } | { error: 'NXDOMAIN' | 'timeout' };

export interface SimEnvironment {
  network: NetworkProbe;
  http?: HttpCall;
  dns?: DnsLookup;
  /** Files visible in the container (mounted ConfigMaps/Secrets), path → content. */
  files?: Record<string, string>;
  /** Pod name; `/etc/hostname` and `hostname` print it. */
  hostname?: string;
  namespace?: string;
  /** Cluster DNS service IP written into /etc/resolv.conf. */
  dnsServer?: string;
  /**
   * Called for every file change the process makes, `atSeconds` after it started: the node
   * keeps changes under a volume (shared, persistent) or in the container's own layer.
   */
  persist?: (atSeconds: number, path: string, op: FileOp, text: string) => void;
}

/** A file change: replace the content, append to it, or remove the file. */
export type FileOp = 'write' | 'append' | 'delete';

export interface LogLine {
  atSeconds: number;
  line: string;
}

export interface ListeningPort {
  port: number;
  http?: HttpBehavior;
  readyAfterSeconds: number;
}

export type ExitReason = 'Completed' | 'Error' | 'OOMKilled';

export interface ProcessExit {
  atSeconds: number;
  code: number;
  reason: ExitReason;
}

export function exitOf(atSeconds: number, code: number): ProcessExit {
  return { atSeconds, code, reason: code === 0 ? 'Completed' : 'Error' };
}
