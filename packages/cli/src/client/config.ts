import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Where `opsloop login` keeps the server and token (mode 0600). */
export function loginFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'opsloop', 'login.json');
}

export interface Credential {
  name: string;
  roles: string[];
  teams: string[];
  token: string;
}

export interface Target {
  server: string;
  token: string;
  /** Where the token came from, for error messages. */
  source: string;
}

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function readCredentials(path: string): Credential[] {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Credential[];
  } catch (error) {
    throw new UsageError(`cannot read credentials file ${path}: ${(error as Error).message}`);
  }
}

/**
 * Server and token, first found wins: --server/--token, OPSLOOP_SERVER/OPSLOOP_TOKEN, the
 * `opsloop login` file, then the embedded default (its URL and, from
 * `.opsloop/credentials.json`, the user `--as` names or else the first requester).
 */
export function resolveTarget(
  flags: { server?: string; token?: string; as?: string; dataDir?: string },
  env: NodeJS.ProcessEnv = process.env,
): Target {
  const saved = readLogin(env);
  const server = flags.server ?? env.OPSLOOP_SERVER ?? saved?.server ?? DEFAULT_SERVER;
  if (flags.as === undefined) {
    if (flags.token) return { server, token: flags.token, source: '--token' };
    if (env.OPSLOOP_TOKEN) return { server, token: env.OPSLOOP_TOKEN, source: 'OPSLOOP_TOKEN' };
    if (saved?.token) return { server, token: saved.token, source: loginFile(env) };
  }
  const path = resolve(flags.dataDir ?? '.opsloop', 'credentials.json');
  if (!existsSync(path)) {
    throw new UsageError(
      'no token: pass --token, set OPSLOOP_TOKEN, run `opsloop login`, or start `npm start` here (it writes .opsloop/credentials.json)',
    );
  }
  const users = readCredentials(path);
  const user =
    flags.as === undefined
      ? users.find((u) => u.roles.includes('requester'))
      : users.find((u) => u.name === flags.as);
  if (!user) {
    const names = users.map((u) => u.name).join(', ');
    throw new UsageError(
      flags.as === undefined
        ? `${path} has no requester`
        : `no user "${flags.as}" in ${path} (users: ${names})`,
    );
  }
  return { server, token: user.token, source: `${path} (${user.name})` };
}

function readLogin(env: NodeJS.ProcessEnv): { server?: string; token?: string } | undefined {
  const path = loginFile(env);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { server?: string; token?: string };
  } catch {
    throw new UsageError(`${path} is not valid JSON: run \`opsloop login\` again`);
  }
}

export function saveLogin(server: string, token: string, env: NodeJS.ProcessEnv = process.env) {
  const path = loginFile(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify({ server, token }, null, 2) + '\n', { mode: 0o600 });
  return path;
}
