import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consume, EventLog } from '@opsloop/eventlog';
import { freePort } from '@opsloop/testkit';
import { makeCerts } from './helpers/certs.ts';
import { noted, registry } from './helpers/events.ts';
import {
  localise,
  passwordOf,
  shippedNatsConfig,
  startConfiguredNats,
  type ConfiguredNats,
} from './helpers/nats.ts';

const NODES = 3;
const EVENTS = 30;
let dir: string;
let ca: string;
const servers: ConfiguredNats[] = [];
const clientUrls: string[] = [];
const open: NatsConnection[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsloop-nats-ha-'));
  const certs = await makeCerts(dir);
  ca = certs.ca;
  const files = await shippedNatsConfig('overlays/ha');
  const ports = await Promise.all(
    Array.from({ length: NODES }, async () => ({
      client: await freePort(),
      http: await freePort(),
      cluster: await freePort(),
    })),
  );
  for (let i = 0; i < NODES; i++) {
    const p = ports[i]!;
    const conf = localise(files.nats, [
      ['port: 4222', `port: ${p.client}`, 1],
      ['http_port: 8222', `http_port: ${p.http}`, 1],
      ['port: 6222', `port: ${p.cluster}`, 1],
      ...ports.map(
        (peer, j) =>
          [`nats-${j}.nats-headless.opsloop.svc:6222`, `127.0.0.1:${peer.cluster}`, 1] as [
            string,
            string,
            number,
          ],
      ),
      ['/etc/nats/tls/', `${dir}/`, 6],
      ['/data/jetstream', join(dir, `node-${i}`), 1],
      ['/var/run/nats/nats.pid', join(dir, `node-${i}.pid`), 1],
      // nats-server 2.9 (the one on this machine) predates sync_interval (2.10); the image
      // runs 2.11, which takes it. Everything else in the file runs as shipped.
      ['  sync_interval: always\n', '', 1],
    ]);
    clientUrls.push(`nats://127.0.0.1:${p.client}`);
    servers.push(
      await startConfiguredNats({
        dir: join(dir, `conf-${i}`),
        name: `nats-${i}`,
        conf,
        auth: files.auth,
        port: p.client,
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

/** A client as the services connect in overlays/ha: TLS with the CA, its own user. */
async function client(user: string, urls = clientUrls): Promise<NatsConnection> {
  const nc = await connect({
    servers: urls,
    user,
    pass: passwordOf(user),
    tls: { caFile: ca },
    maxReconnectAttempts: -1,
    reconnectTimeWait: 100,
  });
  open.push(nc);
  return nc;
}

let failedAttempts = 0;
async function retry<T>(what: string, attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      failedAttempts++;
      if (Date.now() > deadline)
        throw new Error(`${what}: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

it('an operation appended while the JetStream leader is killed completes with nothing lost or doubled', async () => {
  const gateway = await client('gateway');
  // The streams as the services create them in overlays/ha (OPSLOOP_STREAM_REPLICAS=3).
  const log = await retry('open the log', () => EventLog.open(gateway, registry, { replicas: 3 }));
  const executor = await client('executor');
  const executorLog = await retry('open the log', () =>
    EventLog.open(executor, registry, { replicas: 3 }),
  );
  const handled: string[] = [];
  const consumer = await retry('start the consumer', () =>
    consume(executorLog, {
      name: 'executor',
      processed: { replicas: 3 },
      handler: (event) => {
        handled.push(event.id);
      },
    }),
  );
  const opId = 'op-ha';
  const events = Array.from({ length: EVENTS }, (_, n) => noted(opId, n, 'gateway', `evt-${n}`));
  let killed = -1;
  for (let n = 0; n < EVENTS; n++) {
    if (n === 10) {
      const info = await log.jsm.streams.info('OPS');
      const leader = info.cluster?.leader ?? '';
      killed = Number(leader.replace('nats-', ''));
      expect(info.cluster?.replicas?.length).toBe(NODES - 1);
      await servers[killed]!.kill();
    }
    // What a service does with a failed append: the same call again (idempotent).
    await retry(`append event ${n}`, () => log.append(opId, [events[n]!], n));
  }
  expect(killed).toBeGreaterThanOrEqual(0);
  // Appends failed (and were retried) while the stream elected a new leader.
  console.log(`attempts retried (cluster start-up and the leader change): ${failedAttempts}`);
  // A read right after the failover can time out once (its ephemeral consumer was placed
  // on the dead server); readers retry like writers do.
  const read = await retry('read the operation', () => log.read(opId));
  expect(read.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
  await retry('verify the chain', () => log.verifyChain(opId));
  expect((await log.jsm.streams.info('OPS')).state.messages).toBe(EVENTS);
  const leaderNow = (await log.jsm.streams.info('OPS')).cluster?.leader;
  expect(leaderNow).not.toBe(`nats-${killed}`);
  // The consumer saw every event exactly once, across the leader change.
  const deadline = Date.now() + 60_000;
  while (new Set(handled).size < EVENTS && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  expect([...handled].sort()).toEqual(events.map((e) => e.id).sort());
  await consumer.stop();

  // The killed server comes back and catches up (every replica current); a client that
  // reaches the cluster only through it reads the whole operation.
  await servers[killed]!.start();
  const alone = await client('backup', [clientUrls[killed]!]);
  const jsm = await jetstreamManager(alone);
  await retry('the restarted server is current', async () => {
    const info = await jsm.streams.info('OPS');
    const peers = [
      ...(info.cluster?.replicas ?? []),
      { name: info.cluster?.leader, current: true },
    ];
    if (!peers.every((p) => p.current) || peers.length !== NODES)
      throw new Error(JSON.stringify(info.cluster));
  });
  const onRestarted = new EventLog(jetstream(alone), jsm, registry);
  const fromRestarted = await retry('read through the restarted server', () =>
    onRestarted.read(opId),
  );
  expect(fromRestarted.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
}, 180_000);
