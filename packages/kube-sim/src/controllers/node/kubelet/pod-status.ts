/**
 * Pure: the Pod status the kubelet reports, computed from its container records. Phase and
 * conditions follow the kubelet's rules (getPhase, generateContainersReadyCondition…), so
 * `kubectl get pods` derives the same STATUS column (Init:0/1, CrashLoopBackOff, …) it
 * would on a real node.
 */
import type { PodObject } from '../pod-model.ts';
import { toAmounts } from '../../../quantity.ts';

export interface Waiting {
  reason: string;
  message?: string;
}
export interface Terminated {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID?: string;
}
export type ContainerState =
  { waiting: Waiting } | { running: { startedAt: string } } | { terminated: Terminated };

export interface ContainerRecord {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  state: ContainerState;
  lastState: ContainerState | Record<string, never>;
  ready: boolean;
  started: boolean;
  restartCount: number;
}

export interface PodRuntimeView {
  init: ContainerRecord[];
  main: ContainerRecord[];
  podIP: string;
  hostIP: string;
  startTime: string;
  /** Every init container has completed successfully. */
  initialized: boolean;
  /** Pod-level failure (an init container failed under restartPolicy Never). */
  failed: boolean;
  now: string;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastProbeTime: null;
  lastTransitionTime: string;
}

export function qosClass(pod: PodObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = toAmounts(c.resources?.requests);
    const lim = toAmounts(c.resources?.limits);
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      if (l === undefined || (req[r] !== undefined && req[r] !== l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function phaseOf(pod: PodObject, view: PodRuntimeView): string {
  if (view.failed) return 'Failed';
  if (!view.initialized) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of view.main) {
    if ('running' in c.state) running++;
    else if ('terminated' in c.state) {
      stopped++;
      if (c.state.terminated.exitCode === 0) succeeded++;
    } else if ('terminated' in c.lastState) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return policy === 'OnFailure' ? 'Running' : 'Failed';
}

function toApi(c: ContainerRecord): Record<string, unknown> {
  return {
    name: c.name,
    state: c.state,
    lastState: c.lastState,
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageID,
    ...(c.containerID ? { containerID: c.containerID } : {}),
    started: c.started,
  };
}

export function buildPodStatus(pod: PodObject, view: PodRuntimeView): Record<string, unknown> {
  const old = ((pod.status?.['conditions'] ?? []) as Condition[]).reduce<Record<string, Condition>>(
    (acc, c) => ({ ...acc, [c.type]: c }),
    {},
  );
  const cond = (type: string, ok: boolean, reason?: string, message?: string): Condition => {
    const status = ok ? 'True' : 'False';
    const prev = old[type];
    return {
      type,
      status,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
      lastProbeTime: null,
      lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : view.now,
    };
  };
  const phase = phaseOf(pod, view);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const pendingInit = view.init.filter(
    (c) => !('terminated' in c.state && c.state.terminated.exitCode === 0),
  );
  const unready = view.main.filter((c) => !c.ready).map((c) => c.name);
  const readyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = terminal
    ? undefined
    : `containers with unready status: [${unready.join(' ')}]`;
  const ready = unready.length === 0 && !terminal;
  const conditions = [
    cond('PodReadyToStartContainers', !terminal || view.podIP !== ''),
    view.initialized
      ? cond('Initialized', true, terminal && view.init.length ? 'PodCompleted' : undefined)
      : cond(
          'Initialized',
          false,
          'ContainersNotInitialized',
          `containers with incomplete status: [${pendingInit.map((c) => c.name).join(' ')}]`,
        ),
    ready ? cond('Ready', true) : cond('Ready', false, readyReason, readyMessage),
    ready
      ? cond('ContainersReady', true)
      : cond('ContainersReady', false, readyReason, readyMessage),
    cond('PodScheduled', true),
  ];
  return {
    phase,
    conditions,
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    ...(view.podIP ? { podIP: view.podIP, podIPs: [{ ip: view.podIP }] } : {}),
    startTime: view.startTime,
    ...(view.init.length ? { initContainerStatuses: view.init.map(toApi) } : {}),
    containerStatuses: view.main.map(toApi),
    qosClass: qosClass(pod),
  };
}
