import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../client/config.ts';
import { ApiError } from '../client/http.ts';

/**
 * One style for every `opsloop` command: node:util parseArgs, `--help` and `--json` on
 * each, and the same exit codes everywhere.
 */
export const EXIT = {
  ok: 0,
  /** The thing asked about ended badly: operation failed or rejected, audit file broken. */
  failed: 1,
  usage: 2,
  /** The gateway or NATS cannot be reached, or the token is not accepted. */
  unreachable: 3,
  /** The gateway refused: not found, forbidden, conflict, expired. */
  refused: 4,
} as const;

export const EXIT_CODES_HELP = `exit codes: 0 ok · 1 operation failed/rejected or audit broken · 2 usage · 3 gateway/NATS unreachable or token refused · 4 refused (not found, forbidden, conflict, expired)`;

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  /** Help lines for the options, in order. */
  optionHelp: string[];
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

export const CLIENT_OPTIONS: Options = {
  server: { type: 'string' },
  token: { type: 'string' },
  as: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};
export const CLIENT_HELP = [
  '--server URL   gateway URL [env OPSLOOP_SERVER; default http://127.0.0.1:8080]',
  '--token T      API token [env OPSLOOP_TOKEN; default: a requester of .opsloop/credentials.json]',
  '--as NAME      use the token of this user from .opsloop/credentials.json',
  '--json         print JSON for scripts',
];

export function helpText(spec: CommandSpec): string {
  return [
    `usage: opsloop ${spec.usage}`,
    '',
    spec.summary,
    '',
    'options:',
    ...spec.optionHelp.map((l) => `  ${l}`),
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}

export async function runCommand(spec: CommandSpec, argv: string[]): Promise<number> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: spec.options, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(
      `opsloop ${spec.name}: ${(error as Error).message}\n\n${helpText(spec)}\n`,
    );
    return EXIT.usage;
  }
  if (parsed.values.help) {
    process.stdout.write(`${helpText(spec)}\n`);
    return EXIT.ok;
  }
  try {
    return await spec.run(parsed.values, parsed.positionals);
  } catch (error) {
    const json = parsed.values.json === true;
    const code =
      error instanceof UsageError
        ? EXIT.usage
        : error instanceof ApiError
          ? error.status === 0 || error.status === 401
            ? EXIT.unreachable
            : error.status >= 500
              ? EXIT.unreachable
              : EXIT.refused
          : EXIT.failed;
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      const errCode = error instanceof ApiError ? error.code : (error as Error).name;
      process.stdout.write(`${JSON.stringify({ error: { code: errCode, message } })}\n`);
    } else process.stderr.write(`opsloop ${spec.name}: ${message}\n`);
    return code;
  }
}

export function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}
