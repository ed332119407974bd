import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect as connectTcp, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A nats-server child process with its store in the data directory. */
export interface EmbeddedNats {
  url: string;
  stop(): Promise<void>;
}

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

export function findNatsServer(): string | undefined {
  if (process.env.NATS_SERVER) return process.env.NATS_SERVER;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/bin'];
  return dirs.map((d) => join(d, 'nats-server')).find((p) => existsSync(p));
}

/**
 * Finds nats-server, installing it the way `npm test` does (scripts/ensure-test-tools.sh,
 * apt-get) when it is missing and the script is there.
 */
export function ensureNatsServer(repoRoot: string): string {
  const given = process.env.NATS_SERVER;
  if (given && !existsSync(given)) {
    throw new LaunchError(
      `nats-server not found at NATS_SERVER=${given}: fix or unset NATS_SERVER, run \`sudo apt-get install -y nats-server\`, or set NATS_URL to a running server`,
    );
  }
  const found = findNatsServer();
  if (found) return found;
  const script = join(repoRoot, 'scripts', 'ensure-test-tools.sh');
  if (existsSync(script))
    spawnSync(script, { stdio: 'inherit', env: { ...process.env, OPSLOOP_NO_BROWSER: '1' } });
  const after = findNatsServer();
  if (!after) {
    throw new LaunchError(
      'nats-server is not installed: run `sudo apt-get install -y nats-server`, or set NATS_URL to a running server',
    );
  }
  return after;
}

export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startEmbeddedNats(options: {
  binary: string;
  storeDir: string;
  port: number;
}): Promise<EmbeddedNats> {
  const args = ['-a', '127.0.0.1', '-p', String(options.port), '-js', '-sd', options.storeDir];
  const child: ChildProcess = spawn(options.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const deadline = Date.now() + 15_000;
  while (!(await answers(options.port))) {
    if (spawnError) {
      throw new LaunchError(
        `nats-server ${options.binary} could not be started (${spawnError.message}): run \`sudo apt-get install -y nats-server\`, or set NATS_URL to a running server`,
      );
    }
    if (child.exitCode !== null) {
      throw new LaunchError(`nats-server exited at start: ${stderr.trim().split('\n').at(-1)}`);
    }
    if (Date.now() > deadline) throw new LaunchError('nats-server did not start within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `nats://127.0.0.1:${options.port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
