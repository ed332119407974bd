/**
 * The kubelet's view of a simulated process: a declarative plan (start error, log lines
 * on a timeline, listening ports, exit, resource usage) computed when the container
 * starts. The plan itself comes from the process model in src/sim (see planner.ts).
 */
import type { ContainerSpec } from '../pod-model.ts';
import { effectiveArgv, startContainer } from '../../../sim/process.ts';
import { SHELLS, type ResolvedImage } from '../../../sim/resolved.ts';
import { runArgv } from '../../../sim/shell.ts';
import type {
  ListeningPort,
  LogLine,
  ProcessExit,
  SimEnvironment,
} from '../../../sim/runtime-types.ts';

export interface ProcessPlan {
  /** runc's message; the container ends StartError with exit code 128. */
  startError?: string;
  logs: LogLine[];
  listening: ListeningPort[];
  exit?: ProcessExit;
  usage: { cpuMilli: number; memoryBytes: number };
  /** The process's own load on top of `usage` from a time on (seconds since start). */
  usageSteps?: { atSeconds: number; cpuMilli: number; memoryBytes: number }[];
  /** PID 1 ignores SIGTERM (a shell running sleep): deletion waits the whole grace period. */
  ignoresSigterm: boolean;
}

export interface ProcessRequest {
  image: ResolvedImage;
  container: ContainerSpec;
  env: Record<string, string>;
  /** limits.memory in bytes, when set (exceeding it ends OOMKilled, exit 137). */
  memoryLimitBytes: number | undefined;
  environment: SimEnvironment;
}

export type ProcessPlanner = (request: ProcessRequest) => ProcessPlan;

/** Result of running a one-off command in a container (exec probes, kubectl exec). */
export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type CommandRunner = (
  image: ResolvedImage,
  command: string[],
  env: Record<string, string>,
  environment: SimEnvironment,
  stdin: string,
) => ExecResult;

/** The process model of src/sim, adapted to the kubelet's plan. */
export const simPlanner: ProcessPlanner = (request) => {
  const { container } = request;
  const outcome = startContainer(
    request.image,
    {
      name: container.name,
      ...(container.command ? { command: container.command } : {}),
      ...(container.args ? { args: container.args } : {}),
      env: request.env,
      ports: (container.ports ?? []).map((p) => p.containerPort),
      ...(request.memoryLimitBytes === undefined
        ? {}
        : { memoryLimitBytes: request.memoryLimitBytes }),
    },
    request.environment,
  );
  const argv = effectiveArgv(request.image, {
    name: container.name,
    env: request.env,
    ...(container.command ? { command: container.command } : {}),
    ...(container.args ? { args: container.args } : {}),
  });
  const program = (argv[0] ?? '').split('/').pop() ?? '';
  return {
    ...(outcome.startError ? { startError: outcome.startError.message } : {}),
    logs: outcome.logs,
    listening: outcome.listening,
    ...(outcome.exit && !outcome.startError ? { exit: outcome.exit } : {}),
    usage: outcome.usage,
    usageSteps: outcome.usageSteps,
    // A shell as PID 1 has no SIGTERM handler: the kernel ignores the signal for it.
    ignoresSigterm: SHELLS.includes(program),
  };
};

/** `kubectl exec` / exec probes: argv run directly, output gathered, exit code returned. */
export const simCommandRunner: CommandRunner = (image, command, env, environment) => {
  const program = (command[0] ?? '').split('/').pop() ?? '';
  if (image.binaries !== undefined && !image.binaries.includes(program)) {
    throw new ExecStartError(
      `failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0] ?? ''}": executable file not found in $PATH: unknown`,
    );
  }
  const result = runArgv(command, { ...environment, image, env });
  const text = result.lines.map((l) => `${l.line}\n`).join('');
  return { stdout: text, stderr: '', exitCode: result.exit?.code ?? 0 };
};

/** The runtime could not start the exec'd process (its binary is missing). */
export class ExecStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecStartError';
  }
}
