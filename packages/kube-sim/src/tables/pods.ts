/**
 * The pod row of `kubectl get pods`, computed the way the API server's printer does it:
 * STATUS is the most telling container reason (CrashLoopBackOff, ErrImagePull, OOMKilled,
 * Init:1/2, …) rather than the phase, and RESTARTS carries the age of the last restart.
 */
import { ageCell, nameCell, type Printer } from './printer.ts';
import { arr, conditionTrue, has, num, obj, since, str, type Json } from './format.ts';

function isRestartableInit(container: Json | undefined): boolean {
  return str(container?.restartPolicy) === 'Always';
}

function latest(current: string, candidate: unknown): string {
  const c = str(candidate);
  return c !== '' && (current === '' || Date.parse(c) > Date.parse(current)) ? c : current;
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: number;
  lastRestart: string;
}

export function summarizePod(pod: Json): PodSummary {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const initSpecs = arr(spec.initContainers);
  const initByName = new Map(initSpecs.map((c) => [str(c.name), c]));
  const total = arr(spec.containers).length + initSpecs.filter((c) => isRestartableInit(c)).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = '';
  let sidecarRestarts = 0;
  let sidecarLastRestart = '';

  let reason = str(status.phase);
  if (str(status.reason) !== '') reason = str(status.reason);
  for (const c of arr(status.conditions)) {
    if (str(c.type) === 'PodScheduled' && str(c.reason) === 'SchedulingGated')
      reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] ?? {};
    const state = obj(cs.state);
    const terminated = has(state.terminated) ? obj(state.terminated) : undefined;
    const waiting = has(state.waiting) ? obj(state.waiting) : undefined;
    const lastTerminated = obj(obj(cs.lastState).terminated);
    restarts += num(cs.restartCount);
    lastRestart = latest(lastRestart, lastTerminated.finishedAt);
    const sidecar = isRestartableInit(initByName.get(str(cs.name)));
    if (sidecar) {
      sidecarRestarts += num(cs.restartCount);
      sidecarLastRestart = latest(sidecarLastRestart, lastTerminated.finishedAt);
    }
    if (terminated !== undefined && num(terminated.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated !== undefined) {
      if (str(terminated.reason) !== '') reason = `Init:${str(terminated.reason)}`;
      else if (num(terminated.signal) !== 0) reason = `Init:Signal:${num(terminated.signal)}`;
      else reason = `Init:ExitCode:${num(terminated.exitCode)}`;
    } else if (
      waiting !== undefined &&
      str(waiting.reason) !== '' &&
      str(waiting.reason) !== 'PodInitializing'
    ) {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = sidecarLastRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses);
    // Walk backwards so the first container's reason wins, as upstream does.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] ?? {};
      const state = obj(cs.state);
      restarts += num(cs.restartCount);
      lastRestart = latest(lastRestart, obj(obj(cs.lastState).terminated).finishedAt);
      const waiting = obj(state.waiting);
      const terminated = has(state.terminated) ? obj(state.terminated) : undefined;
      if (str(waiting.reason) !== '') reason = str(waiting.reason);
      else if (terminated !== undefined && str(terminated.reason) !== '')
        reason = str(terminated.reason);
      else if (terminated !== undefined) {
        reason =
          num(terminated.signal) !== 0
            ? `Signal:${num(terminated.signal)}`
            : `ExitCode:${num(terminated.exitCode)}`;
      } else if (cs.ready === true && has(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning)
      reason = conditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
  }

  const phase = str(status.phase);
  const deleting = has(obj(pod.metadata).deletionTimestamp);
  if (deleting && str(status.reason) === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  return { ready: `${ready}/${total}`, status: reason, restarts, lastRestart };
}

function readinessGates(pod: Json): string {
  const gates = arr(obj(pod.spec).readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = arr(obj(pod.status).conditions);
  const passed = gates.filter((g) => {
    const found = conditions.find((c) => str(c.type) === str(g.conditionType));
    return found !== undefined && str(found.status) === 'True';
  }).length;
  return `${passed}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    ['Name', 'string', 'name', 0, 'Name of the pod, unique within its namespace.'],
    ['Ready', 'string', '', 0, 'Ready containers out of all containers of the pod.'],
    ['Status', 'string', '', 0, 'The most telling state of the pod and its containers.'],
    ['Restarts', 'string', '', 0, 'Container restarts, and how long ago the last one was.'],
    ['Age', 'string', '', 0, 'Time since the pod was created.'],
    ['IP', 'string', '', 1, 'The IP address allocated to the pod.'],
    ['Node', 'string', '', 1, 'The node the pod is scheduled to.'],
    ['Nominated Node', 'string', '', 1, 'The node the scheduler nominated while preempting.'],
    ['Readiness Gates', 'string', '', 1, 'Readiness gates that are satisfied, out of all.'],
  ],
  row(pod, now) {
    const summary = summarizePod(pod);
    const restarts =
      summary.restarts !== 0 && summary.lastRestart !== ''
        ? `${summary.restarts} (${since(summary.lastRestart, now)} ago)`
        : String(summary.restarts);
    const status = obj(pod.status);
    const ips = arr(status.podIPs);
    const ip = str(ips[0]?.ip) || str(status.podIP) || '<none>';
    return [
      nameCell(pod),
      summary.ready,
      summary.status,
      restarts,
      ageCell(pod, now),
      ip,
      str(obj(pod.spec).nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates(pod),
    ];
  },
  conditions(pod) {
    const phase = str(obj(pod.status).phase);
    if (phase === 'Succeeded') {
      return [
        {
          type: 'Completed',
          status: 'True',
          reason: 'Succeeded',
          message: 'The pod has completed successfully.',
        },
      ];
    }
    if (phase === 'Failed')
      return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};
