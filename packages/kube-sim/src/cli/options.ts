/**
 * `opsloop sim` options. Flags live in one table so other parts of kube-sim (e.g. the
 * scenario library's `--scenario`) add theirs with `SIM_FLAGS.push(...)` and read them
 * from `SimCommandOptions.extra`.
 */
export interface SimCommandOptions {
  port: number;
  host: string;
  kubeconfigOut: string | undefined;
  statePath: string | undefined;
  auditLogPath: string | undefined;
  rbac: boolean;
  speed: number;
  files: string[];
  help: boolean;
  /** Values of flags added by other modules, by flag name without dashes. */
  extra: Record<string, string | boolean>;
}

export interface SimFlag {
  name: string;
  /** e.g. "N" or "FILE"; absent for boolean flags. */
  value?: string;
  help: string;
  apply: (options: SimCommandOptions, value: string) => void;
}

function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} needs a number, got "${value}"`);
  return n;
}

export class UsageError extends Error {
  readonly code = 'OPS_ERR_SIM_USAGE';
}

export const SIM_FLAGS: SimFlag[] = [
  {
    name: 'port',
    value: 'N',
    help: 'port to listen on (default 6443; 0 picks a free one)',
    apply: (o, v) => void (o.port = positiveNumber('--port', v)),
  },
  {
    name: 'host',
    value: 'ADDR',
    help: 'address to listen on (default 127.0.0.1)',
    apply: (o, v) => void (o.host = v),
  },
  {
    name: 'kubeconfig-out',
    value: 'FILE',
    help: 'write the admin kubeconfig here (default .opsloop/kubeconfig)',
    apply: (o, v) => void (o.kubeconfigOut = v),
  },
  {
    name: 'state',
    value: 'FILE',
    help: 'load the cluster from FILE if it exists; save it there periodically and on exit',
    apply: (o, v) => void (o.statePath = v),
  },
  {
    name: 'audit-log',
    value: 'FILE',
    help: 'append every mutating request as a JSON line',
    apply: (o, v) => void (o.auditLogPath = v),
  },
  {
    name: 'no-rbac',
    help: 'do not enforce RBAC (every authenticated user may do anything)',
    apply: (o) => void (o.rbac = false),
  },
  {
    name: 'speed',
    value: 'N',
    help: 'run the simulated cluster N times faster (default 1)',
    apply: (o, v) => {
      const speed = positiveNumber('--speed', v);
      if (speed === 0) throw new UsageError('--speed must be greater than 0');
      o.speed = speed;
    },
  },
  { name: 'help', help: 'show this help', apply: (o) => void (o.help = true) },
];

export function parseSimArgs(argv: string[]): SimCommandOptions {
  const options: SimCommandOptions = {
    port: 6443,
    host: '127.0.0.1',
    kubeconfigOut: undefined,
    statePath: undefined,
    auditLogPath: undefined,
    rbac: true,
    speed: 1,
    files: [],
    help: false,
    extra: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      options.files.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const flag = SIM_FLAGS.find((f) => f.name === name);
    if (!flag) throw new UsageError(`unknown option --${name}; see "opsloop sim --help"`);
    let value = '';
    if (flag.value !== undefined) {
      value = inline ?? argv[++i] ?? '';
      if (value === '') throw new UsageError(`--${name} needs a value (${flag.value})`);
    }
    flag.apply(options, value);
  }
  return options;
}

export function simUsage(): string {
  const rows = SIM_FLAGS.map(
    (f) => [`--${f.name}${f.value ? ` ${f.value}` : ''}`, f.help] as const,
  );
  const width = Math.max(...rows.map(([a]) => a.length));
  return `usage: opsloop sim [options] [FILES…]\n\nRuns kube-sim, a simulated Kubernetes API server, loading the YAML FILES (or directories).\n\noptions:\n${rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n')}`;
}
