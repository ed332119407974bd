/**
 * A liveness probe that kills the container before it ever listened: every failure is a
 * refused connection (no server yet, not an error answer), the container restarts, is never
 * Ready, and each run lasts about as long as the probe's window (initialDelaySeconds +
 * periodSeconds × failureThreshold). Each restart starts the slow start over, so it never
 * ends. The fix gives the start more time; liveness stays as strict once it runs.
 */
import type { KubeObject } from '../types.ts';
import { containerArgs } from './helpers.ts';
import type { Remediation } from './types.ts';

type Timings = {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
};
type Status = {
  name: string;
  ready?: boolean;
  restartCount?: number;
  lastState?: { terminated?: { startedAt?: string; finishedAt?: string } };
};

const REFUSED = /connection refused|connect: refused/i;
/** How many times the old window the start is given: it is known to be longer, not how much. */
const MORE_TIME = 3;

function window(p: Timings): number {
  return (p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3);
}

/** Seconds the container's last run lasted, when its status says. */
function lastRun(status: Status): number | undefined {
  const t = status.lastState?.terminated;
  const started = Date.parse(t?.startedAt ?? '');
  const finished = Date.parse(t?.finishedAt ?? '');
  return started > 0 && finished >= started ? (finished - started) / 1000 : undefined;
}

export function slowStartFixes(
  owner: KubeObject,
  pod: KubeObject,
  container: { name: string; startupProbe?: unknown },
  liveness: Timings,
  message: string,
): Remediation[] {
  if (!REFUSED.test(message) || container.startupProbe) return [];
  const status = ((pod.status?.containerStatuses ?? []) as Status[]).find(
    (x) => x.name === container.name,
  );
  if (!status || status.ready || (status.restartCount ?? 0) < 1) return [];
  const budget = window(liveness);
  const ran = lastRun(status);
  // Killed by the probe at the end of its window, not exiting on its own earlier or later.
  const period = liveness.periodSeconds ?? 10;
  if (ran !== undefined && (ran < budget - period || ran > budget + 2 * period)) return [];
  const checks = period * (liveness.failureThreshold ?? 3);
  const initialDelaySeconds = Math.min(3600, MORE_TIME * budget - checks);
  return [
    {
      action: 'SetProbe',
      args: { ...containerArgs(owner, container.name), probe: 'liveness', initialDelaySeconds },
      confidence: 0.6,
      reasoning: `container ${container.name} is killed by its liveness probe ${ran !== undefined ? `after ${Math.round(ran)} s` : ''} (initialDelaySeconds ${liveness.initialDelaySeconds ?? 0} + ${period} s × ${liveness.failureThreshold ?? 3} failures = ${budget} s), every time before it listens (connection refused) or became Ready, so its start takes longer than ${budget} s; how much longer nothing shows, so this gives it ${MORE_TIME}× that (initialDelaySeconds ${initialDelaySeconds}); path, port and the checks once it runs stay as they are`,
    },
  ];
}
