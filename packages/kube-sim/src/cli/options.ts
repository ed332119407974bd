/**
 * `opsloop sim` options, parsed with node:util parseArgs from one table (SIM_FLAGS), which
 * also prints the help.
 */
import { parseArgs } from 'node:util';

export interface SimCommandOptions {
  port: number;
  host: string;
  kubeconfigOut: string | undefined;
  /** Write `<user>.kubeconfig` here for admin and every --users user. */
  kubeconfigDir: string | undefined;
  statePath: string | undefined;
  auditLogPath: string | undefined;
  rbac: boolean;
  speed: number;
  /** Library scenario name or scenario file. */
  scenario: string | undefined;
  /** YAML/JSON file listing token users (see src/cli/users.ts). */
  usersFile: string | undefined;
  /** kind nodes for a cluster without a scenario (default 1). */
  nodes: number | undefined;
  files: string[];
  /** One JSON object per line on stdout (started, stopped; errors on stderr as JSON). */
  json: boolean;
  help: boolean;
}

export class UsageError extends Error {
  readonly code = 'OPS_ERR_SIM_USAGE';
}

interface SimFlag {
  name: string;
  /** e.g. "N" or "FILE"; absent for boolean flags. */
  value?: string;
  help: string;
  apply: (options: SimCommandOptions, value: string) => void;
}

function number(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min)
    throw new UsageError(`${flag} needs a number ≥ ${min}, got "${value}"`);
  return n;
}

const SIM_FLAGS: SimFlag[] = [
  {
    name: 'scenario',
    value: 'NAME|FILE',
    help: 'load a scenario: a built-in name (e.g. healthy-shop) or a scenario YAML file',
    apply: (o, v) => void (o.scenario = v),
  },
  {
    name: 'port',
    value: 'N',
    help: 'port to listen on (default 6443; 0 picks a free one)',
    apply: (o, v) => void (o.port = number('--port', v, 0)),
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
    name: 'users',
    value: 'FILE',
    help: 'token users with groups, from a YAML/JSON list of {username, groups, token?}',
    apply: (o, v) => void (o.usersFile = v),
  },
  {
    name: 'kubeconfig-dir',
    value: 'DIR',
    help: 'write DIR/<user>.kubeconfig for admin and every --users user',
    apply: (o, v) => void (o.kubeconfigDir = v),
  },
  {
    name: 'nodes',
    value: 'N',
    help: 'nodes of a cluster without a scenario, named as kind names them (default 1)',
    apply: (o, v) => {
      const n = number('--nodes', v, 0);
      if (!Number.isInteger(n) || n > 100) throw new UsageError('--nodes takes 0 to 100');
      o.nodes = n;
    },
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
      const speed = number('--speed', v, 0);
      if (speed === 0) throw new UsageError('--speed must be greater than 0');
      o.speed = speed;
    },
  },
  {
    name: 'json',
    help: 'print JSON lines for scripts (url, kubeconfig, scenario; errors as {"error": …})',
    apply: (o) => void (o.json = true),
  },
  { name: 'help', help: 'show this help', apply: (o) => void (o.help = true) },
];

export function parseSimArgs(argv: string[]): SimCommandOptions {
  const options: SimCommandOptions = {
    port: 6443,
    host: '127.0.0.1',
    kubeconfigOut: undefined,
    kubeconfigDir: undefined,
    statePath: undefined,
    auditLogPath: undefined,
    rbac: true,
    speed: 1,
    scenario: undefined,
    usersFile: undefined,
    nodes: undefined,
    files: [],
    json: false,
    help: false,
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: Object.fromEntries(
        SIM_FLAGS.map((f) => [
          f.name,
          { type: f.value ? ('string' as const) : ('boolean' as const) },
        ]),
      ),
    });
  } catch (error) {
    throw new UsageError(usageMessage(error));
  }
  options.files = parsed.positionals;
  // Tokens keep the command line's order, so a repeated flag's last value wins.
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const flag = SIM_FLAGS.find((f) => f.name === token.name)!;
    if (flag.value !== undefined && (token.value === undefined || token.value === ''))
      throw new UsageError(`--${flag.name} needs a value (${flag.value})`);
    flag.apply(options, token.value ?? '');
  }
  return options;
}

/** parseArgs' errors in the words the old parser used ("unknown option --x; see …"). */
function usageMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = /'(-{1,2}[^']+)'/.exec(message)?.[1] ?? message;
    return `unknown option ${name}; see "opsloop sim --help"`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /'--([a-z-]+)/.exec(message)?.[1];
    const flag = SIM_FLAGS.find((f) => f.name === name);
    if (flag?.value) return `--${flag.name} needs a value (${flag.value})`;
    if (flag) return `--${flag.name} takes no value`;
  }
  return message.split('\n')[0]!;
}

export function simUsage(): string {
  const rows = SIM_FLAGS.map(
    (f) => [`--${f.name}${f.value ? ` ${f.value}` : ''}`, f.help] as const,
  );
  const width = Math.max(...rows.map(([a]) => a.length));
  return `usage: opsloop sim [options] [FILES…]\n\nRuns kube-sim, a simulated Kubernetes cluster, loading the YAML FILES (or directories).\n\noptions:\n${rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n')}`;
}
