import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A service (or any Node entry point) running as its own OS process. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Every parsed JSON log line seen so far (pino output on stdout). */
  readonly logs: Record<string, unknown>[];
  /** stdout and stderr text, last 64 kB, for failure messages. */
  output(): string;
  /** Resolves with the first log line matching `match` (already seen or future). */
  waitForLog(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** SIGKILL: no drain, no clean shutdown. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null if killed). */
  stop(graceMs?: number): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

const require = createRequire(import.meta.url);
/** tsx's ESM loader: the services ship TypeScript sources, compiled on load. */
const TSX_LOADER = pathToFileURL(
  join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs'),
).href;

/**
 * Spawns `node --import tsx <entry> ...args` and waits until it logs `{"msg":"ready"}` (the
 * line service-kit's runService prints once the service takes work). Rejects with the
 * process output if it exits or does not get ready within `readyTimeoutMs`.
 */
export async function spawnService(options: {
  name: string;
  entry: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
  /** Append the process's stdout and stderr to this file as well. */
  logFile?: string;
  /** Default: wait for msg "ready". Pass null to return at once. */
  ready?: ((line: Record<string, unknown>) => boolean) | null;
}): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', TSX_LOADER, options.entry, ...(options.args ?? [])],
    {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  const waiters: {
    match: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let text = '';
  let partial = '';
  const file = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const append = (chunk: string) => {
    text = (text + chunk).slice(-65_536);
    file?.write(chunk);
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    append(chunk);
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      logs.push(parsed);
      for (const waiter of [...waiters]) {
        if (waiter.match(parsed)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(parsed);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', append);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      file?.end();
      resolve(code);
    }),
  );
  let done = false;
  void exited.then(() => (done = true));

  const waitForLog = (match: (l: Record<string, unknown>) => boolean, timeoutMs = 30_000) => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`${options.name}: no matching log line within ${timeoutMs} ms\n${text}`));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (line: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      waiters.push(waiter);
      void exited.then((code) => {
        if (!waiters.includes(waiter)) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`${options.name} exited with ${code} before the log line\n${text}`));
      });
    });
  };

  const service: ServiceProcess = {
    name: options.name,
    pid: child.pid!,
    logs,
    output: () => text,
    waitForLog,
    exited,
    async kill() {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 10_000) {
      if (!done) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
  const ready =
    options.ready === undefined ? (l: Record<string, unknown>) => l.msg === 'ready' : options.ready;
  if (ready !== null) {
    try {
      await waitForLog(ready, options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      await service.kill();
      throw error;
    }
  }
  return service;
}
