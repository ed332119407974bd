import { pino, type Logger } from 'pino';
import { ConfigError } from './config.ts';

export type { Logger } from 'pino';

/** One structured JSON logger per service; `service` is on every line. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}

export interface RunningService {
  /** Stop taking work, let in-flight work finish, close connections. */
  stop(): Promise<void>;
}

/**
 * What a service's main.ts calls: starts it, logs `{msg: "ready"}` once it takes work, and
 * on SIGTERM/SIGINT stops it (drain) and exits 0. A ConfigError or a failed start prints
 * one line to stderr and exits 2 (config) or 1 (start), with no stack trace for the former.
 */
export async function runService(
  service: string,
  start: () => Promise<{ running: RunningService; logger: Logger; details?: object }>,
): Promise<void> {
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${service}: ${message}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
  const { running, logger, details } = started;
  logger.info({ ...details }, 'ready');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
