import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { OpsEvents, type opsEventDefinitions } from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { findNatsServer, freePort, startEmbeddedNats } from '../up/nats.ts';

export const EMBEDDED_NATS_URL = 'nats://127.0.0.1:4333';

export interface LogAccess {
  log: EventLog<(typeof opsEventDefinitions)[number]>;
  close(): Promise<void>;
  /** How the stream was reached, for the reader. */
  via: string;
}

/**
 * Reaches the OPS stream for replay and audit, which must work with every service stopped:
 * --nats / NATS_URL / the embedded default's server; when none answers and the embedded
 * store exists (`.opsloop/nats`), a temporary nats-server is started on that store.
 */
export async function openLog(flags: { nats?: string; dataDir?: string }): Promise<LogAccess> {
  const url = flags.nats ?? process.env.NATS_URL ?? EMBEDDED_NATS_URL;
  let nc: NatsConnection | undefined;
  let stopServer: (() => Promise<void>) | undefined;
  let via = url;
  try {
    nc = await connect({ servers: url.split(','), maxReconnectAttempts: 0, timeout: 2000 });
  } catch {
    const store = resolve(flags.dataDir ?? '.opsloop', 'nats');
    const binary = findNatsServer();
    if (flags.nats || process.env.NATS_URL || !existsSync(store) || !binary) {
      throw Object.assign(new Error(`cannot reach NATS at ${url}: start it or pass --nats URL`), {
        exitCode: 3,
      });
    }
    const server = await startEmbeddedNats({ binary, storeDir: store, port: await freePort() });
    stopServer = server.stop;
    via = `${store} (a temporary nats-server on the embedded store)`;
    nc = await connect({ servers: server.url, maxReconnectAttempts: 0 });
  }
  const log = await EventLog.open(nc, OpsEvents);
  return {
    log,
    via,
    async close() {
      await nc!.close();
      await stopServer?.();
    },
  };
}
