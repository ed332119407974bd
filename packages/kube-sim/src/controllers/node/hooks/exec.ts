/**
 * pods/exec and pods/attach against the simulated containers. exec runs a command through
 * the sim's shell/programs with the container's environment and network; attach streams
 * what the container's main process writes until it exits.
 */
import { ApiError, badRequest, notFound } from '../../../api/errors.ts';
import type { ClusterApi } from '../../../api/types.ts';
import { RESOURCES } from '../../../resources.ts';
import type { Kubelets } from '../kubelet/kubelet.ts';
import { ExecStartError, type ExecResult } from '../kubelet/process.ts';
import type { ContainerSlot } from '../kubelet/container.ts';

const POD = RESOURCES.find((r) => r.group === '' && r.kind === 'Pod')!;

export function runningSlot(
  api: ClusterApi,
  kubelets: Kubelets,
  namespace: string,
  pod: string,
  container: string | undefined,
  verb: 'exec into' | 'attach to',
): ContainerSlot {
  const object = api.get(POD, namespace, pod);
  if (!object) throw notFound(POD, pod);
  const spec = (object['spec'] ?? {}) as {
    containers?: { name: string }[];
    initContainers?: { name: string }[];
  };
  const names = (spec.containers ?? []).map((c) => c.name);
  const name = container || names[0] || '';
  const all = [...names, ...(spec.initContainers ?? []).map((c) => c.name)];
  if (!all.includes(name)) throw badRequest(`container ${name} is not valid for pod ${pod}`);
  const phase = (object['status'] as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw badRequest(`cannot ${verb} a container in a completed pod; current phase is ${phase}`);
  }
  const slot = kubelets.slot(namespace, pod, name);
  if (!slot || !slot.running)
    throw new ApiError(400, 'BadRequest', `container not found ("${name}")`);
  return slot;
}

export function execInContainer(
  api: ClusterApi,
  kubelets: Kubelets,
  namespace: string,
  pod: string,
  container: string | undefined,
  command: string[],
  stdin: string,
): ExecResult {
  const slot = runningSlot(api, kubelets, namespace, pod, container, 'exec into');
  const worker = kubelets.worker(namespace, pod)!;
  try {
    return worker.exec(slot, command, stdin);
  } catch (error) {
    if (error instanceof ExecStartError) {
      throw new ApiError(
        500,
        'InternalError',
        `Internal error occurred: error executing command in container: ${error.message}`,
      );
    }
    throw error;
  }
}

export interface AttachSession {
  /** Output already written by the process since it started (kubectl shows the stream from attach on). */
  stop(): void;
}

/** Streams the main process's output until it exits; `onExit` gets its exit code. */
export function attachToContainer(
  api: ClusterApi,
  kubelets: Kubelets,
  namespace: string,
  pod: string,
  container: string | undefined,
  onOutput: (line: string) => void,
  onExit: (exitCode: number) => void,
): AttachSession {
  const slot = runningSlot(api, kubelets, namespace, pod, container, 'attach to');
  const buffer = slot.current;
  const unsubscribe = buffer.subscribe((entry) => onOutput(entry.line));
  const unClose = buffer.onClose(() => {
    const state = slot.record.state;
    onExit('terminated' in state ? state.terminated.exitCode : 0);
  });
  return {
    stop: () => {
      unsubscribe();
      unClose();
    },
  };
}
