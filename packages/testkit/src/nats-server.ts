import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './find-binary.ts';
import { freePort } from './free-port.ts';

/** A real nats-server with JetStream, on its own port and temporary store. */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** SIGKILL the server (no clean shutdown), keeping port and store for `start()`. */
  kill(): Promise<void>;
  /** Start the server again on the same port and store (after `kill()`). */
  start(): Promise<void>;
  /** Stop the server and delete its store. */
  stop(): Promise<void>;
}

export function natsServerBinary(): string {
  const found =
    process.env.NATS_SERVER ?? findBinary('nats-server', ['/usr/sbin', '/usr/local/bin']);
  if (found === undefined) {
    throw new Error(
      'nats-server was not found on PATH or in /usr/sbin. Install it (apt-get install -y nats-server) ' +
        'or set NATS_SERVER to its path.',
    );
  }
  return found;
}

/** Starts `nats-server -js` on a free loopback port with a fresh temporary store. */
export async function startNatsServer(): Promise<NatsServer> {
  const binary = natsServerBinary();
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'opsloop-nats-'));
  let child: ChildProcess | undefined;

  const launch = async () => {
    const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
    const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child = proc;
    await waitForPort(port, 10_000, () =>
      proc.exitCode !== null ? `nats-server exited with ${proc.exitCode}: ${stderr}` : undefined,
    );
  };

  const terminate = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  };

  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    kill: () => terminate('SIGKILL'),
    start: launch,
    async stop() {
      await terminate('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, timeoutMs: number, failed: () => string | undefined) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed();
    if (reason !== undefined) throw new Error(reason);
    if (await canConnect(port)) return;
    if (Date.now() > deadline)
      throw new Error(`nats-server did not listen on ${port} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
