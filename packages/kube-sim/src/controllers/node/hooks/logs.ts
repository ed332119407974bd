/**
 * pods/log for the simulated containers: the current instance, or with `previous` the one
 * before it, like the kubelet reading the runtime's log files. While a container waits to
 * restart (CrashLoopBackOff), "current" is still the instance that just died.
 */
import { badRequest } from '../../../api/errors.ts';
import type { LogOptions } from '../../../api/types.ts';
import type { SimClock } from '../../../clock/clock.ts';
import type { ContainerSlot } from '../kubelet/container.ts';
import type { Kubelets } from '../kubelet/kubelet.ts';
import { logTimestamp, selectLines, type LogBuffer } from '../kubelet/log-buffer.ts';

function bufferFor(slot: ContainerSlot, pod: string, previous: boolean): LogBuffer {
  const state = slot.record.state;
  const hasLast = 'terminated' in slot.record.lastState;
  const waiting = 'waiting' in state;
  if (!previous) {
    if (waiting && !hasLast && slot.record.restartCount === 0) {
      throw badRequest(
        `container "${slot.spec.name}" in pod "${pod}" is waiting to start: ${waitingText(state.waiting.reason)}`,
      );
    }
    return slot.current;
  }
  if (waiting && hasLast) return slot.current;
  if (hasLast && slot.previous) return slot.previous;
  throw badRequest(`previous terminated container "${slot.spec.name}" in pod "${pod}" not found`);
}

/** The API server's words for a container that never started. */
export function waitingText(reason: string): string {
  if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff')
    return 'trying and failing to pull image';
  if (reason === 'PodInitializing' || reason === 'ContainerCreating') return reason;
  return reason;
}

export function logLines(
  kubelets: Kubelets,
  clock: SimClock,
  namespace: string,
  pod: string,
  container: string,
  options: LogOptions,
): string[] {
  const slot = kubelets.slot(namespace, pod, container);
  if (!slot) return [];
  const buffer = bufferFor(slot, pod, options.previous === true);
  const { limitBytes: _limit, ...rest } = options;
  return selectLines(buffer.entries, rest, clock.now());
}

export function followLogLines(
  kubelets: Kubelets,
  namespace: string,
  pod: string,
  container: string,
  options: LogOptions,
  onLine: (line: string) => void,
  onEnd: () => void = () => undefined,
): () => void {
  const slot = kubelets.slot(namespace, pod, container);
  const buffer = slot ? bufferFor(slot, pod, options.previous === true) : undefined;
  if (!buffer || options.previous || buffer.closed) {
    // Nothing more will come: a previous instance, one that already ended, or no container.
    setImmediate(onEnd);
    return () => undefined;
  }
  const unsubscribe = buffer.subscribe((entry) =>
    onLine(options.timestamps ? `${logTimestamp(entry.atMs)} ${entry.line}` : entry.line),
  );
  const unClose = buffer.onClose(onEnd);
  return () => {
    unsubscribe();
    unClose();
  };
}
