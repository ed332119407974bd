import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { EventRegistry, defineEvent, type UnsealedEnvelope } from '@opsloop/contracts';
import { startNatsServer, type NatsServer } from '@opsloop/testkit';
import { z } from 'zod';
import { EventLog, type StreamOptions } from '../src/mod.ts';

/** A small registry of its own: the event log must not care which events exist. */
export const Counted = defineEvent('Counted', z.object({ n: z.number().int(), note: z.string() }), {
  // v1 had no note; the upcaster fills it in.
  schemas: { 1: z.object({ n: z.number().int() }) },
  upcasters: { 1: (p) => ({ ...(p as { n: number }), note: 'from v1' }) },
});
export const testRegistry = new EventRegistry([Counted]);

export function counted(opId: string, n: number, id: string = randomUUID()): UnsealedEnvelope {
  return {
    id,
    type: 'Counted',
    version: 2,
    opId,
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n % 60)).toISOString(),
    actor: { kind: 'service', id: 'test' },
    causationId: null,
    correlationId: opId,
    traceparent: null,
    payload: { n, note: `n=${n}` },
  };
}

export interface Harness {
  server: NatsServer;
  nc: NatsConnection;
  log: EventLog<typeof testRegistry extends EventRegistry<infer D> ? D : never>;
  close(): Promise<void>;
}

export async function harness(options: StreamOptions = {}): Promise<Harness> {
  const server = await startNatsServer();
  const nc = await connect({
    servers: server.url,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
  });
  const log = await EventLog.open(nc, testRegistry, options);
  return {
    server,
    nc,
    log,
    async close() {
      await nc.close();
      await server.stop();
    },
  };
}
