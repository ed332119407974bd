import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpsloop, type RunningOpsloop } from '@opsloop/cli/launcher';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'bin', 'opsloop.js');
export const WEB_DIST = join(ROOT, 'web', 'dist');

export interface Credential {
  name: string;
  roles: string[];
  teams: string[];
  token: string;
}

export interface WholeStack {
  url: string;
  running: RunningOpsloop;
  token(name: string): string;
  /** GET on the gateway's API as `user`. */
  get<T>(user: string, path: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The whole product the way `npm start` runs it (nats-server, kube-sim with the demo
 * cluster, planner, executor, verifier and gateway, each its own process), in a temporary
 * data dir on free ports, serving the built console. The verifier's stable window is short,
 * so the seed case verifies in seconds instead of 30.
 */
export async function startWholeStack(): Promise<WholeStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsloop-web-stack-'));
  const running = await startOpsloop({
    dataDir,
    gatewayPort: 0,
    natsPort: 0,
    speed: 10,
    webDir: WEB_DIST,
    serviceArgs: { verifier: ['--stable-window-ms', '2000', '--poll-ms', '500'] },
  });
  const users = JSON.parse(readFileSync(running.credentialsPath, 'utf8')) as Credential[];
  const token = (name: string) => {
    const found = users.find((u) => u.name === name);
    if (found === undefined)
      throw new Error(`no user ${name}: ${users.map((u) => u.name).join(', ')}`);
    return found.token;
  };
  return {
    url: running.gatewayUrl,
    running,
    token,
    async get<T>(user: string, path: string) {
      const response = await fetch(new URL(path, running.gatewayUrl), {
        headers: { authorization: `Bearer ${token(user)}`, accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`GET ${path} as ${user}: ${response.status}`);
      return (await response.json()) as T;
    },
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs the real `opsloop` command in its own process, as a user would. */
export function opsloop(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, OPSLOOP_SERVER: '', OPSLOOP_TOKEN: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`opsloop ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
