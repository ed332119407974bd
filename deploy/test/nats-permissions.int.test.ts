import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectionRunner, consume, EventLog, type Projection } from '@opsloop/eventlog';
import { freePort } from '@opsloop/testkit';
import { noted, registry } from './helpers/events.ts';
import {
  localise,
  passwordOf,
  shippedNatsConfig,
  startConfiguredNats,
  type ConfiguredNats,
} from './helpers/nats.ts';

const SERVICES = ['planner', 'executor', 'verifier', 'gateway'] as const;

let server: ConfiguredNats;
let dir: string;
let url: string;
const open: NatsConnection[] = [];

/** A connection with `user`'s credentials, as service-kit's connectNats makes it. */
async function as(user: string, pass = passwordOf(user)): Promise<NatsConnection> {
  const nc = await connect({ servers: url, user, pass, maxReconnectAttempts: 0 });
  open.push(nc);
  return nc;
}

/** The server's log lines that refused something to `user`. */
const violations = (user: string) =>
  server
    .log()
    .split('\n')
    .filter((line) => line.includes('Violation') && line.includes(`User "${user}"`));

beforeAll(async () => {
  // The very files overlays/dev ships, with the pod's paths and ports made local.
  const files = await shippedNatsConfig('overlays/dev');
  dir = mkdtempSync(join(tmpdir(), 'opsloop-nats-perms-'));
  const port = await freePort();
  const conf = localise(files.nats, [
    ['port: 4222', `port: ${port}`, 1],
    ['http_port: 8222', `http_port: ${await freePort()}`, 1],
    ['/data/jetstream', join(dir, 'jetstream'), 1],
    ['/var/run/nats/nats.pid', join(dir, 'nats.pid'), 1],
  ]);
  server = await startConfiguredNats({ dir, name: 'nats-0', conf, auth: files.auth, port });
  url = `nats://127.0.0.1:${port}`;
}, 30_000);

afterAll(async () => {
  await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('NATS permissions of overlays/dev in a real nats-server', () => {
  it.each(SERVICES)(
    '%s can do its own job: open the log, append, read, consume durably, dead-letter',
    async (svc) => {
      const nc = await as(svc);
      const log = await EventLog.open(nc, registry);
      const opId = `op-${svc}`;
      await log.append(opId, [noted(opId, 1, svc)], 0);
      expect((await log.read(opId)).version).toBe(1);
      // A message that is not an event: the consumer dead-letters it under its own name.
      await jetstream(nc).publish(`ops.op.junk-${svc}`, 'not an event');
      const seen: string[] = [];
      const running = await consume(log, {
        name: svc,
        handler: (event) => {
          seen.push(event.opId);
        },
      });
      const deadline = Date.now() + 20_000;
      while (!(seen.includes(opId) && running.stats.deadLettered >= 1)) {
        if (Date.now() > deadline) throw new Error(`${svc}: ${JSON.stringify(running.stats)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await running.stop();
      if (svc === 'gateway') {
        // The read models: a projection in KV ops_summary, caught up, followed, rebuilt.
        const count: Projection<unknown, number> = {
          name: 'count',
          initial: () => 0,
          apply: (n) => n + 1,
        };
        const runner = await ProjectionRunner.open(log, count, { bucket: 'ops_summary' });
        await runner.catchUp();
        expect(await runner.get(opId)).toBe(1);
        const rebuilt = await ProjectionRunner.rebuild(log, count, { bucket: 'ops_summary' });
        expect(await rebuilt.get(opId)).toBe(1);
      }
      expect(violations(svc)).toEqual([]);
    },
    30_000,
  );

  it('refuses the planner everything that is another service’s', async () => {
    const nc = await as('planner');
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const refused = async (what: string, attempt: () => Promise<unknown>) => {
      const outcome = await attempt().then(
        () => 'accepted',
        (error: Error) => error.message,
      );
      return /Permissions Violation/.test(outcome) ? null : `${what}: ${outcome}`;
    };
    const attempts: [string, () => Promise<unknown>][] = [
      // Marking the executor's events handled would make it skip them.
      [
        'mark an event processed for the executor',
        () => js.publish('$KV.ops_processed.executor.evt-1', '{}'),
      ],
      ['dead-letter as the executor', () => js.publish('ops.dlq.executor', 'x')],
      ['write the read model', () => js.publish('$KV.ops_summary.op-1', '{}')],
      ['read the executor consumer', () => jsm.consumers.info('OPS', 'executor')],
      ['delete the executor consumer', () => jsm.consumers.delete('OPS', 'executor')],
      [
        'replace the executor consumer',
        () =>
          jsm.consumers.add('OPS', { durable_name: 'executor', ack_policy: 'explicit' as never }),
      ],
      [
        'pull the executor’s events',
        () => nc.request('$JS.API.CONSUMER.MSG.NEXT.OPS.executor', '{"batch":1}'),
      ],
      ['ack for the executor', () => nc.request('$JS.ACK.OPS.executor.1.1.1.1.1.1', '')],
      ['delete the stream', () => jsm.streams.delete('OPS')],
      ['purge the stream', () => jsm.streams.purge('OPS')],
      ['reconfigure the stream', () => jsm.streams.update('OPS', { max_age: 1_000_000_000 })],
      ['delete an event', () => jsm.streams.deleteMessage('OPS', 1)],
      ['create another stream', () => jsm.streams.add({ name: 'SHADOW', subjects: ['shadow.>'] })],
      ['publish outside the log', () => js.publish('ops.approvals.op-1', 'x')],
    ];
    const accepted = (await Promise.all(attempts.map(([what, run]) => refused(what, run)))).filter(
      (x) => x !== null,
    );
    expect(accepted).toEqual([]);
    // Live snooping on core subjects is refused too (it reads the log through JetStream).
    nc.subscribe('ops.op.>');
    await nc.flush();
    const deadline = Date.now() + 5_000;
    while (!violations('planner').some((l) => l.includes('Subscription Violation'))) {
      if (Date.now() > deadline) throw new Error('the server accepted a subscription to ops.op.>');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('lets only the four services append: backup reads the log but cannot write it; strangers cannot connect', async () => {
    const backup = await as('backup');
    const jsm = await jetstreamManager(backup);
    expect((await jsm.streams.info('OPS')).state.messages).toBeGreaterThan(0);
    const write = await jetstream(backup)
      .publish('ops.op.op-planner', 'forged')
      .then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    expect(write).toMatch(/Permissions Violation for Publish to "ops\.op\.op-planner"/);
    await expect(as('planner', 'wrong-password')).rejects.toThrow(/Authorization/i);
    await expect(connect({ servers: url, maxReconnectAttempts: 0 })).rejects.toThrow(
      /Authorization/i,
    );
  });

  it('cannot tell event types apart on ops.op.<opId>: the services check the actor (deploy/README.md)', async () => {
    // One subject per operation carries every event type, so a subject permission cannot
    // stop the planner's credentials from appending an approval decision. The executor
    // accepts ApprovalGranted only with a user actor written by the gateway's rules; the
    // server-side fix needs per-producer subjects (see the README).
    const log = await EventLog.open(await as('planner'), registry);
    const forged = {
      ...noted('op-forged', 1, 'planner'),
      type: 'ApprovalGranted',
      payload: { planHash: 'x' },
    };
    await log.append('op-forged', [forged], 0);
    expect((await log.read('op-forged')).events.map((e) => e.type)).toEqual(['ApprovalGranted']);
  });
});
