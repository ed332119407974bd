import { parseArgs } from 'node:util';
import { z } from 'zod';

/**
 * Service configuration: flags override environment variables, both validated by one zod
 * schema, so a service fails at start with one line naming the bad setting instead of
 * failing later. Every service takes the same common settings.
 */
export const CommonConfig = z.object({
  natsUrl: z.string().min(1).default('nats://127.0.0.1:4222'),
  /** Kubeconfig path; absent: kubectl's rules (KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  /** Port of /healthz, /readyz and /metrics; 0 picks a free port, absent turns it off. */
  healthPort: z.coerce.number().int().min(0).max(65535).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  otlpEndpoint: z.string().url().optional(),
});
export type CommonConfig = z.infer<typeof CommonConfig>;

/** A setting: its flag name, its environment variable, the key in the parsed config. */
export interface Setting {
  key: string;
  flag: string;
  env?: string;
  help: string;
  /** Boolean flags take no value. */
  boolean?: boolean;
}

export const COMMON_SETTINGS: Setting[] = [
  { key: 'natsUrl', flag: 'nats', env: 'NATS_URL', help: 'NATS server URL' },
  { key: 'kubeconfig', flag: 'kubeconfig', env: 'KUBECONFIG', help: 'kubeconfig file' },
  { key: 'context', flag: 'context', env: 'KUBE_CONTEXT', help: 'kubeconfig context' },
  {
    key: 'healthPort',
    flag: 'health-port',
    env: 'OPSLOOP_HEALTH_PORT',
    help: 'port for /healthz, /readyz and /metrics',
  },
  { key: 'logLevel', flag: 'log-level', env: 'OPSLOOP_LOG_LEVEL', help: 'pino log level' },
  {
    key: 'otlpEndpoint',
    flag: 'otlp-endpoint',
    env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    help: 'OTLP/HTTP endpoint for traces',
  },
];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses `argv` and `env` against `schema` (which should extend CommonConfig). Throws
 * ConfigError with a one-line message: "invalid configuration: --port (OPSLOOP_PORT): ...".
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  settings: Setting[],
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const all = [...COMMON_SETTINGS, ...settings];
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(
        all.map((s) => [s.flag, { type: s.boolean ? ('boolean' as const) : ('string' as const) }]),
      ),
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new ConfigError(`invalid arguments: ${(error as Error).message}`);
  }
  const raw: Record<string, unknown> = {};
  for (const s of all) {
    const fromFlag = values[s.flag];
    const fromEnv = s.env ? env[s.env] : undefined;
    const value = fromFlag ?? (fromEnv === '' ? undefined : fromEnv);
    if (value !== undefined)
      raw[s.key] =
        s.boolean && typeof value === 'string' ? value === 'true' || value === '1' : value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const setting = all.find((s) => s.key === String(issue.path[0]));
    const where = setting
      ? `--${setting.flag}${setting.env ? ` (${setting.env})` : ''}`
      : issue.path.join('.') || 'config';
    throw new ConfigError(`invalid configuration: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

export function usage(service: string, settings: Setting[]): string {
  const all = [...COMMON_SETTINGS, ...settings];
  const width = Math.max(...all.map((s) => s.flag.length));
  const lines = all.map(
    (s) => `  --${s.flag.padEnd(width)}  ${s.help}${s.env ? ` [env ${s.env}]` : ''}`,
  );
  return `usage: ${service} [options]\n\noptions:\n${lines.join('\n')}`;
}
