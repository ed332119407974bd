import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { natsServerBinary } from '@opsloop/testkit';
import { parseDocs, render } from './kustomize.ts';

/** The nats.conf and auth.conf an overlay ships (its rendered nats-config ConfigMap). */
export async function shippedNatsConfig(overlay: string): Promise<{ nats: string; auth: string }> {
  const docs = parseDocs(await render(overlay));
  const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name.startsWith('nats-config'));
  const data = (cm?.data ?? {}) as Record<string, string>;
  if (data['nats.conf'] === undefined || data['auth.conf'] === undefined)
    throw new Error(`${overlay} renders no nats-config ConfigMap with nats.conf and auth.conf`);
  return { nats: data['nats.conf'], auth: data['auth.conf'] };
}

/**
 * Replaces what only makes sense inside the pod (paths, ports, peer names) with local
 * values. Each rule must match exactly `count` times, so the shipped file cannot drift
 * away from what the test runs.
 */
export function localise(text: string, rules: [from: string, to: string, count: number][]): string {
  let out = text;
  for (const [from, to, count] of rules) {
    const found = out.split(from).length - 1;
    if (found !== count)
      throw new Error(`expected "${from}" ${count} time(s) in the NATS config, found ${found}`);
    out = out.split(from).join(to);
  }
  return out;
}

export const PASSWORDS = {
  NATS_PLANNER_PASSWORD: 'planner-secret',
  NATS_EXECUTOR_PASSWORD: 'executor-secret',
  NATS_VERIFIER_PASSWORD: 'verifier-secret',
  NATS_GATEWAY_PASSWORD: 'gateway-secret',
  NATS_BACKUP_PASSWORD: 'backup-secret',
  NATS_ADMIN_PASSWORD: 'admin-secret',
};

export function passwordOf(user: string): string {
  return PASSWORDS[`NATS_${user.toUpperCase()}_PASSWORD` as keyof typeof PASSWORDS];
}

export interface ConfiguredNats {
  readonly port: number;
  /** Everything the server logged (permission violations included). */
  log(): string;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A real nats-server running `conf` (with auth.conf beside it) from `dir`. */
export async function startConfiguredNats(options: {
  dir: string;
  name: string;
  conf: string;
  auth: string;
  port: number;
}): Promise<ConfiguredNats> {
  mkdirSync(options.dir, { recursive: true });
  const confPath = join(options.dir, 'nats.conf');
  writeFileSync(confPath, options.conf);
  writeFileSync(join(options.dir, 'auth.conf'), options.auth);
  let child: ChildProcess | undefined;
  let output = '';
  const launch = async () => {
    const proc = spawn(natsServerBinary(), ['-c', confPath], {
      env: { ...process.env, ...PASSWORDS, POD_NAME: options.name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-200_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    child = proc;
    const deadline = Date.now() + 15_000;
    while (!(await canConnect(options.port))) {
      if (proc.exitCode !== null) throw new Error(`nats-server ${options.name} exited: ${output}`);
      if (Date.now() > deadline)
        throw new Error(`nats-server ${options.name} not listening: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
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
    port: options.port,
    log: () => output,
    kill: () => terminate('SIGKILL'),
    start: launch,
    stop: () => terminate('SIGTERM'),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
