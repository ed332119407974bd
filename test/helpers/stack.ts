/* eslint-disable @typescript-eslint/no-explicit-any -- projections are read as the JSON the API returns */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpsloop, type OpsloopOptions, type RunningOpsloop } from '@opsloop/cli/launcher';

export interface Credential {
  name: string;
  roles: string[];
  teams: string[];
  token: string;
}

export interface Stack extends RunningOpsloop {
  users: Credential[];
  /** A user of `team` with `role` (the n-th one when several). */
  user(team: string, role: string, n?: number): Credential;
  /** Calls the gateway's API as `user`. */
  api<T = Record<string, unknown>>(
    user: Credential,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** Polls the operation's projection until `done` holds. */
  waitFor(
    user: Credential,
    id: string,
    done: (op: Record<string, any>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, any>>;
  /** CLI flags for `user` against this stack. */
  as(user: Credential): string[];
}

/**
 * The whole product as separate processes, the way `npm start` runs it, in a temporary
 * data directory: nats-server, kube-sim with the demo cluster, the four services.
 */
export async function startStack(options: OpsloopOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsloop-e2e-'));
  const running = await startOpsloop({
    dataDir,
    gatewayPort: 0,
    natsPort: 0,
    speed: 10,
    ...options,
  });
  const users = JSON.parse(readFileSync(running.credentialsPath, 'utf8')) as Credential[];
  const stack: Stack = {
    ...running,
    users,
    user(team, role, n = 0) {
      const found = users.filter((u) => u.teams.includes(team) && u.roles.includes(role))[n];
      if (!found)
        throw new Error(`no ${role} #${n} in team ${team}: ${users.map((u) => u.name).join(', ')}`);
      return found;
    },
    async api(user, method, path, body) {
      const response = await fetch(new URL(path, running.gatewayUrl), {
        method,
        headers: {
          authorization: `Bearer ${user.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    async waitFor(user, id, done, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let last: Record<string, unknown> | undefined;
      while (Date.now() < deadline) {
        const { status, body } = await stack.api(user, 'GET', `/api/v1/operations/${id}`);
        if (status === 200) {
          last = body;
          if (done(body)) return body;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(
        `operation ${id} did not get there in ${timeoutMs} ms; last: ${JSON.stringify(last, null, 1)?.slice(0, 3000)}`,
      );
    },
    as: (user) => ['--server', running.gatewayUrl, '--token', user.token],
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}
