/**
 * An exec probe whose program the image does not contain (a distroless or slimmed image
 * behind a probe written for a fuller one): the runtime cannot start it, so the probe fails
 * however healthy the server is. The fix checks the same endpoint without a program inside
 * the image: an HTTP GET on the URL the command called, or a TCP connect to the port the
 * container declares.
 */
import type { KubeObject } from '../types.ts';
import { containerArgs } from './helpers.ts';
import type { Remediation } from './types.ts';

const CANNOT_RUN =
  /executable file not found|not found in \$PATH|no such file or directory|command not found|exit (code|status):? ?127/i;

/** A local URL in the command (as `curl -f http://localhost:8080/healthz` or inside `sh -c`). */
const LOCAL_URL =
  /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d{1,5}))?(\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?/;

type ContainerPorts = { name: string; ports?: { containerPort: number; name?: string }[] };

/** The program an exec probe names, when the probe's failure says it cannot be run. */
export function missingProbeProgram(
  exec: { command?: string[] } | undefined,
  message: string,
): string | undefined {
  const program = exec?.command?.[0];
  return program && CANNOT_RUN.test(message) ? program : undefined;
}

export function execProbeFixes(
  owner: KubeObject,
  c: ContainerPorts,
  probe: string,
  command: string[],
  program: string,
): Remediation[] {
  const ports = c.ports ?? [];
  const declared = (port: number) => ports.some((p) => p.containerPort === port);
  const match = command.map((arg) => LOCAL_URL.exec(arg)).find((m) => m !== null);
  if (match) {
    const port = match[1] ? Number(match[1]) : match[0].startsWith('https') ? 443 : 80;
    if (declared(port) || ports.length === 0) {
      const path = match[2] ?? '/';
      return [
        {
          action: 'SetProbe',
          args: { ...containerArgs(owner, c.name), probe, handler: 'httpGet', path, port },
          confidence: 0.75,
          reasoning: `the ${probe} probe runs ${program}, which the image of container ${c.name} cannot start; the command only requested ${match[0]}, so the kubelet can request the same path and port itself (an HTTP GET needs no program in the image); the probe's timings stay`,
        },
      ];
    }
  }
  const chosen =
    ports.length === 1 ? ports[0] : ports.find((p) => /^(http|web|health)/.test(p.name ?? ''));
  if (!chosen) return [];
  return [
    {
      action: 'SetProbe',
      args: {
        ...containerArgs(owner, c.name),
        probe,
        handler: 'tcpSocket',
        port: chosen.containerPort,
      },
      confidence: 0.5,
      reasoning: `the ${probe} probe runs ${program}, which the image of container ${c.name} cannot start; no URL in the command shows what it checked, so the probe checks that the declared port ${chosen.containerPort} accepts connections (a weaker check: a person may name a health path)`,
    },
  ];
}
