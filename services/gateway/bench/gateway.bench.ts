/**
 * Gateway benchmark (run: npm run bench -w @opsloop/gateway). Starts its own nats-server.
 *
 * 1. SSE fan-out: 500 concurrent Server-Sent Events subscribers to one operation, and one
 *    raw NATS subscriber to the operation's subject, in the same process and run. Events are
 *    appended one at a time through the event log; each delivery's latency is measured from
 *    just before the append to the arrival of the frame (SSE) or message (raw NATS).
 * 2. Approval decisions per second: approvals of distinct operations, 16 in flight, each a
 *    full decision (read the log, fold, checks, append with the expected version, wait for the
 *    read model), against raw `log.append` of equivalent events in the same run.
 */
import { request as httpRequest, Agent, type IncomingMessage } from 'node:http';
import { connect } from '@nats-io/transport-node';
import {
  OpsEvents,
  decide,
  evolve,
  initialState,
  newEvent,
  newEventFrom,
  type Plan,
} from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { startNatsServer } from '@opsloop/testkit';
import { OperationStore, build, hashToken, newToken, type UsersFile } from '../src/mod.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 500);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 60);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 300);
const IN_FLIGHT = 16;

const nats = await startNatsServer();
const nc = await connect({ servers: nats.url });
const log = await EventLog.open(nc, OpsEvents);
const store = await OperationStore.open(log);
const tokens = { viewer: newToken('viewer'), approver: newToken('approver') };
const users: UsersFile = {
  teams: [{ name: 'shop', namespaces: ['shop'] }],
  users: [
    {
      name: 'viewer',
      teams: ['shop'],
      roles: ['viewer'],
      service: false,
      tokenHash: await hashToken(tokens.viewer),
    },
    {
      name: 'approver',
      teams: ['shop'],
      roles: ['approver'],
      service: false,
      tokenHash: await hashToken(tokens.approver),
    },
  ],
};
const app = await build({
  users,
  log,
  store,
  logger: false,
  clusterId: async () => 'bench-cluster',
  reviewAccess: async () => ({ allowed: true }),
  ready: async () => true,
  rateLimit: { max: 10_000_000, timeWindowMs: 60_000 },
});
const base = await app.listen({ port: 0, host: '127.0.0.1' });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

function requested(opId: string) {
  return newEvent(
    'OperationRequested',
    {
      request: 'bench',
      namespace: 'shop',
      requestedBy: 'bench-requester',
      teams: ['shop'],
      scope: { namespaces: ['shop'] },
      cluster: { id: 'bench-cluster' },
    },
    {
      opId,
      actor: { kind: 'user', id: 'bench-requester' },
      causationId: null,
      correlationId: opId,
    },
  );
}

// ---- 1. SSE fan-out ---------------------------------------------------------------------
const opId = 'op-bench-sse';
await log.append(opId, [requested(opId)], 0);
const sentAt = new Map<number, number>(); // op version → time just before its append
const sseLatencies: number[] = [];
const natsLatencies: number[] = [];
let connected = 0;
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
const responses: IncomingMessage[] = [];
await new Promise<void>((resolve, reject) => {
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const req = httpRequest(
      `${base}/api/v1/operations/${opId}/events`,
      { agent, headers: { authorization: `Bearer ${tokens.viewer}`, accept: 'text/event-stream' } },
      (res) => {
        responses.push(res);
        let buffer = '';
        let first = true;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const now = performance.now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const id = /^id: (\d+)$/m.exec(frame);
            if (id === null) continue;
            const version = Number(id[1]);
            if (version === 1 && first) {
              first = false;
              if (++connected === SUBSCRIBERS) resolve();
              continue;
            }
            const t0 = sentAt.get(version);
            if (t0 !== undefined) sseLatencies.push(now - t0);
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  }
});
const sub = nc.subscribe(log.subject(opId));
let natsSeen = 1;
void (async () => {
  for await (const _m of sub) {
    const t0 = sentAt.get(++natsSeen);
    if (t0 !== undefined) natsLatencies.push(performance.now() - t0);
  }
})();
await nc.flush();
for (let i = 0; i < EVENTS; i++) {
  const version = i + 2;
  const event = newEvent(
    'ContextGathered',
    { summary: `bench event ${i}`, toolCalls: i, truncated: false },
    { opId, actor: { kind: 'service', id: 'planner' }, causationId: null, correlationId: opId },
  );
  sentAt.set(version, performance.now());
  await log.append(opId, [event], version - 1);
  await new Promise((r) => setTimeout(r, 20));
}
const deadline = Date.now() + 10_000;
while (sseLatencies.length < SUBSCRIBERS * EVENTS && Date.now() < deadline)
  await new Promise((r) => setTimeout(r, 20));
console.log(
  `SSE fan-out: ${SUBSCRIBERS} subscribers × ${EVENTS} events, ${sseLatencies.length} deliveries (expected ${SUBSCRIBERS * EVENTS})`,
);
console.log(
  `  SSE      p50 ${ms(percentile(sseLatencies, 50))}  p99 ${ms(percentile(sseLatencies, 99))}  max ${ms(Math.max(...sseLatencies))}`,
);
console.log(
  `  raw NATS p50 ${ms(percentile(natsLatencies, 50))}  p99 ${ms(percentile(natsLatencies, 99))}  (${natsLatencies.length} messages)`,
);
for (const res of responses) res.destroy();
sub.unsubscribe();

// ---- 2. Approval decisions per second ---------------------------------------------------
const plan = (n: number): Plan => ({
  schemaVersion: 1,
  clusterId: 'bench-cluster',
  rationale: 'bench',
  steps: [
    {
      id: 's1',
      action: 'ScaleWorkload',
      args: { namespace: 'shop', kind: 'Deployment', name: `w${n}`, replicas: 3 },
      target: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: `w${n}`,
        resourceVersion: '1',
      },
      diff: [{ path: '/spec/replicas', before: 1, after: 3 }],
      risk: 'low',
      checks: [],
      summary: 'scale',
    },
  ],
});
async function pendingOps(prefix: string) {
  const ops: { id: string; hash: string; version: number }[] = [];
  for (let i = 0; i < DECISIONS; i++) {
    const id = `${prefix}-${i}`;
    const first = requested(id);
    const state = evolve(
      initialState,
      OpsEvents.parse({ ...first, prevHash: null, hash: '0'.repeat(64) }),
    );
    const [proposed] = decide({ type: 'ProposePlan', plan: plan(i) }, state, new Date());
    const result = await log.append(
      id,
      [
        first,
        newEventFrom(proposed!, {
          opId: id,
          actor: { kind: 'service', id: 'planner' },
          causationId: null,
          correlationId: id,
        }),
      ],
      0,
    );
    await store.waitFor(result.lastSequence);
    ops.push({ id, hash: (proposed!.payload as { planHash: string }).planHash, version: 2 });
  }
  return ops;
}
async function pool<T>(items: T[], work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
const approvals = await pendingOps('op-bench-approve');
let t = performance.now();
let failures = 0;
await pool(approvals, async (op) => {
  const body = JSON.stringify({ decision: 'approve', planHash: op.hash });
  const res = await fetch(`${base}/api/v1/operations/${op.id}/approval`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.approver}`, 'content-type': 'application/json' },
    body,
  });
  if (res.status !== 200) failures++;
  await res.arrayBuffer();
});
const decisionRate = DECISIONS / ((performance.now() - t) / 1000);
const raw = await pendingOps('op-bench-raw');
t = performance.now();
await pool(raw, async (op) => {
  const event = newEvent(
    'ApprovalGranted',
    {
      planHash: op.hash,
      approver: 'approver',
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      required: 1,
    },
    {
      opId: op.id,
      actor: { kind: 'user', id: 'approver' },
      causationId: null,
      correlationId: op.id,
    },
  );
  await log.append(op.id, [event], op.version);
});
const rawRate = DECISIONS / ((performance.now() - t) / 1000);
console.log(`Approvals: ${DECISIONS} decisions, ${IN_FLIGHT} in flight, ${failures} failed`);
console.log(
  `  gateway POST /approval ${decisionRate.toFixed(0)} decisions/s; raw log.append of the same event ${rawRate.toFixed(0)}/s; ratio ${(decisionRate / rawRate).toFixed(2)}`,
);

await app.close();
await store.stop();
await nc.close();
await nats.stop();
process.exit(0);
