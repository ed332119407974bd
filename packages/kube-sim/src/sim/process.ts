/**
 * What happens when the kubelet starts one container: a pure function from the resolved
 * image, the container spec and the pod's view of the network to a timeline (log lines,
 * when ports start listening, whether and how the process exits). The kubelet schedules
 * that timeline on the sim clock and re-runs this on every restart, so a fix to the
 * network or the environment takes effect at the next start, as on a real node.
 */
import { execNotFoundMessage } from './messages.ts';
import { SHELLS, type ResolvedImage } from './resolved.ts';
import {
  exitOf,
  type ListeningPort,
  type LogLine,
  type ProcessExit,
  type SimEnvironment,
} from './runtime-types.ts';
import { runShell, runArgv, type ServerRun, type UsageStep } from './shell.ts';

export interface ContainerInput {
  name: string;
  command?: string[];
  args?: string[];
  /** Fully resolved environment (env, envFrom, valueFrom already looked up). */
  env: Record<string, string>;
  /** containerPort values, used by images that listen on whatever the container declares. */
  ports?: number[];
  /** resources.limits.memory in bytes. */
  memoryLimitBytes?: number;
}

export interface StartError {
  reason: 'StartError';
  exitCode: 128;
  message: string;
}

export interface ContainerOutcome {
  startError?: StartError;
  logs: LogLine[];
  /** Undefined while the process runs forever. */
  exit?: ProcessExit;
  listening: ListeningPort[];
  /** The image's base usage while it runs. */
  usage: { memoryBytes: number; cpuMilli: number };
  /** The process's own load on top of `usage`, as steps in time (dd, yes, busy loops). */
  usageSteps: UsageStep[];
}

const MI = 1024 * 1024;

/** Kubernetes expands `$(VAR)` in command and args from the container's env; `$$` escapes. */
export function expandKubeVars(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name: string | undefined) =>
    match === '$$' ? '$' : name !== undefined && env[name] !== undefined ? env[name] : match,
  );
}

/**
 * argv the runtime executes: command+args, or the image's ENTRYPOINT with args replacing
 * CMD. The official images' `docker-entrypoint.sh` execs its arguments when the first is a
 * program (`args: [sh, -c, …]`) and starts the server when it is a flag (`args: [--save, ""]`).
 */
export function effectiveArgv(image: ResolvedImage, container: ContainerInput): string[] {
  const expand = (list: string[]) => list.map((a) => expandKubeVars(a, container.env));
  if (container.command !== undefined && container.command.length > 0) {
    return expand([...container.command, ...(container.args ?? [])]);
  }
  if (container.args === undefined || container.args.length === 0) return image.defaultCommand;
  const argv = expand([...image.entrypoint, ...container.args]);
  const first = container.args[0] ?? '';
  if (programOf(argv[0] ?? '') === 'docker-entrypoint.sh' && !first.startsWith('-'))
    return argv.slice(1);
  return argv;
}

function programOf(path: string): string {
  return path.split('/').pop() ?? path;
}

/** The image's service process (nginx, payment-api, postgres…), argv[0] already checked. */
export function runServerProcess(
  image: ResolvedImage,
  container: ContainerInput,
  env: Record<string, string>,
  network: SimEnvironment['network'],
  argv: string[],
): ServerRun {
  const logs: LogLine[] = [];
  const program = programOf(argv[0] ?? '');
  if (program === 'python3' || program === 'python') return runPython(argv.slice(1));
  for (const requirement of image.requiredEnv) {
    if (!requirement.anyOf.some((name) => (env[name] ?? '') !== '')) {
      for (const line of requirement.failureLogs) logs.push({ atSeconds: 0, line });
      return { logs, exit: exitOf(0, 1), listening: [] };
    }
  }
  const limit = container.memoryLimitBytes;
  const startup = image.startupSeconds;
  for (const dependency of image.dependencies) {
    const reach = network(dependency.host, dependency.port);
    if (reach.reachable) continue;
    const reason = reach.reason ?? 'connection refused';
    const t = Math.min(1, startup);
    logs.push({
      atSeconds: t,
      line: `error: cannot connect to ${dependency.host}:${dependency.port}: ${reason}`,
    });
    if (dependency.fatal === true) return { logs, exit: exitOf(t, 1), listening: [] };
  }
  if (limit !== undefined && image.memoryMi * MI > limit) {
    // The working set grows while the service initialises; the kernel kills it at the limit.
    return {
      logs,
      exit: { atSeconds: Math.max(startup, 1), code: 137, reason: 'OOMKilled' },
      listening: [],
    };
  }
  // The ENTRYPOINT script's own lines appear only when it runs (a `command` bypasses it).
  const entrypoint = image.entrypoint[0];
  const viaEntrypoint = entrypoint !== undefined && programOf(entrypoint) === program;
  for (const line of [...(viaEntrypoint ? (image.entrypointLogs ?? []) : []), ...image.logs])
    logs.push({ atSeconds: startup, line });
  const ports =
    image.listen === 'containerPorts'
      ? (container.ports ?? []).map((port) => ({ port, http: { routes: {}, otherStatus: 200 } }))
      : image.listen;
  const exit =
    image.exit === undefined ? undefined : exitOf(image.exit.afterSeconds, image.exit.code);
  return {
    logs,
    exit,
    listening: ports.map((l) => ({ ...l, readyAfterSeconds: startup })),
  };
}

/** The python image's own interpreter: REPL without a tty exits, `-m http.server` serves, scripts are absent. */
function runPython(args: string[]): ServerRun {
  if (args.length === 0 || args[0] === '-c' || args[0] === '--version' || args[0] === '-V') {
    return {
      logs:
        args[0]?.startsWith('-V') || args[0] === '--version'
          ? [{ atSeconds: 0, line: 'Python 3.12.8' }]
          : [],
      exit: exitOf(0, 0),
      listening: [],
    };
  }
  if (args[0] === '-m' && args[1] === 'http.server') {
    const port = Number(args[2] ?? '8000') || 8000;
    return {
      logs: [
        {
          atSeconds: 0,
          line: `Serving HTTP on 0.0.0.0 port ${port} (http://0.0.0.0:${port}/) ...`,
        },
      ],
      exit: undefined,
      listening: [{ port, http: { routes: { '/': 200 }, otherStatus: 404 }, readyAfterSeconds: 0 }],
    };
  }
  const file = args.find((a) => !a.startsWith('-')) ?? '';
  return {
    logs: [
      {
        atSeconds: 0,
        line: `python3: can't open file '/${file.replace(/^\//, '')}': [Errno 2] No such file or directory`,
      },
    ],
    exit: exitOf(0, 2),
    listening: [],
  };
}

/** Starts one container. */
export function startContainer(
  image: ResolvedImage,
  container: ContainerInput,
  environment: SimEnvironment,
): ContainerOutcome {
  const argv = effectiveArgv(image, container);
  const program = programOf(argv[0] ?? '');
  const usage = { memoryBytes: image.memoryMi * MI, cpuMilli: image.cpuMilli };
  if (image.binaries !== undefined && !image.binaries.includes(program)) {
    return {
      startError: {
        reason: 'StartError',
        exitCode: 128,
        message: execNotFoundMessage(argv[0] ?? ''),
      },
      logs: [],
      exit: { atSeconds: 0, code: 128, reason: 'Error' },
      listening: [],
      usage: { memoryBytes: 0, cpuMilli: 0 },
      usageSteps: [],
    };
  }
  const ctx = {
    ...environment,
    image,
    env: container.env,
    runServer: (serverArgv: string[], env: Record<string, string>) =>
      runServerProcess(image, container, env, environment.network, serverArgv),
  };
  const isShellScript = SHELLS.includes(program) && argv[1] === '-c';
  const result = isShellScript
    ? runShell(argv[2] ?? '', { ...ctx, argv0: argv[0] ?? 'sh' })
    : runArgv(argv, ctx);
  // Memory the script itself takes (a dd into /dev/shm) counts against the limit.
  const limit = container.memoryLimitBytes;
  const over =
    limit === undefined
      ? undefined
      : result.usage.find((step) => usage.memoryBytes + step.memoryBytes > limit);
  if (
    over !== undefined &&
    (result.exit === undefined || over.atSeconds <= result.exit.atSeconds)
  ) {
    return {
      logs: result.lines.filter((l) => l.atSeconds <= over.atSeconds),
      exit: { atSeconds: over.atSeconds, code: 137, reason: 'OOMKilled' },
      listening: [],
      usage,
      usageSteps: result.usage.filter((step) => step.atSeconds <= over.atSeconds),
    };
  }
  const exit = result.exit;
  return {
    logs: result.lines,
    ...(exit === undefined ? {} : { exit }),
    listening: result.listening,
    usage,
    usageSteps: result.usage,
  };
}

export interface ExecOutcome {
  /** Set when the runtime cannot start the program at all (kubectl shows it as an error). */
  error?: string;
  /** Output lines with sim seconds since the exec started. */
  lines: LogLine[];
  /** Undefined when the command never ends (`sleep infinity`, a server in the foreground). */
  exitCode: number | undefined;
}

/** `kubectl exec pod -c container -- argv…` inside a running container of this image. */
export function execInContainer(
  image: ResolvedImage,
  argv: string[],
  env: Record<string, string>,
  environment: SimEnvironment,
): ExecOutcome {
  const program = programOf(argv[0] ?? '');
  if (image.binaries !== undefined && !image.binaries.includes(program)) {
    const cause = (argv[0] ?? '').includes('/')
      ? `exec: "${argv[0]}": stat ${argv[0]}: no such file or directory`
      : `exec: "${argv[0]}": executable file not found in $PATH`;
    return {
      error: `OCI runtime exec failed: exec failed: unable to start container process: ${cause}: unknown`,
      lines: [],
      exitCode: 126,
    };
  }
  const container: ContainerInput = { name: 'exec', env };
  const ctx = {
    ...environment,
    image,
    env,
    runServer: (serverArgv: string[], serverEnv: Record<string, string>) =>
      runServerProcess(image, container, serverEnv, environment.network, serverArgv),
  };
  const result =
    SHELLS.includes(program) && argv[1] === '-c'
      ? runShell(argv[2] ?? '', { ...ctx, argv0: argv[0] ?? 'sh' })
      : runArgv(argv, ctx);
  return { lines: result.lines, exitCode: result.exit?.code };
}
