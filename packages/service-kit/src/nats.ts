import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';

/**
 * Connects to NATS and keeps reconnecting for as long as the process lives: a restarted
 * nats-server must not take a service down (the operation resumes when it is back).
 */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers: url.split(','),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: false,
    });
  } catch (error) {
    throw new Error(
      `cannot connect to NATS at ${url}: ${(error as Error).message}; start nats-server or set NATS_URL`,
      { cause: error },
    );
  }
}
