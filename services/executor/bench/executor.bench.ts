/**
 * Executor benchmark, one run on one nats-server and one kube-sim (API server only: the
 * executor's path does not need controllers):
 *   latency:    ApprovalGranted appended → StepSucceeded seen, one-step plans, one at a time
 *               (goal p50 < 100 ms);
 *   throughput: N approved operations granted at once → all ExecutionCompleted, with 1 and
 *               with 2 executor processes;
 *   baseline:   raw JetStream publish rate (js.publish, 64 in flight) on the same server.
 * Usage: npm run bench --workspace @opsloop/executor [-- --latency-ops 50 --ops 200]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  OpsEvents,
  decide,
  evolve,
  initialState,
  newEventFrom,
  type Actor,
  type Command,
  type OperationState,
} from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { startKubeSim } from '@opsloop/kube-sim';
import { connectCluster, planStep } from '@opsloop/kube-tools';
import { connectNats } from '@opsloop/service-kit';
import { spawnService, startNatsServer, type ServiceProcess } from '@opsloop/testkit';
import { USERS, rbacYaml } from '../test/helpers/rbac.ts';
import { EXECUTOR_MAIN } from '../test/helpers/world.ts';

const { values } = parseArgs({
  options: {
    'latency-ops': { type: 'string', default: '50' },
    ops: { type: 'string', default: '200' },
  },
});
const LATENCY_OPS = Number(values['latency-ops']);
const OPS = Number(values.ops);
const NS = 'bench';

const nats = await startNatsServer();
const sim = await startKubeSim({ controllers: false, users: USERS });
const deployments = LATENCY_OPS + 3 * OPS;
sim.loadYaml(
  [
    `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${NS} }`,
    ...Array.from(
      { length: deployments },
      (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: d-${i}, namespace: ${NS} }
spec:
  replicas: 1
  selector: { matchLabels: { app: d-${i} } }
  template:
    metadata: { labels: { app: d-${i} } }
    spec: { containers: [{ name: web, image: 'nginx:1.27.3-alpine' }] }`,
    ),
  ].join('\n---\n'),
  'bench.yaml',
);
sim.loadYaml(rbacYaml([NS]), 'rbac.yaml');
const dir = mkdtempSync(join(tmpdir(), 'opsloop-exec-bench-'));
const kubeconfig = join(dir, 'executor.kubeconfig');
writeFileSync(kubeconfig, sim.kubeconfig('opsloop-executor'));
const admin = await connectCluster({ kubeconfigText: sim.kubeconfig() });
const clusterId = await admin.identity();
const nc = await connectNats(nats.url, 'bench');
const log = await EventLog.open(nc, OpsEvents);

async function append(opId: string, state: OperationState, actor: Actor, command: Command) {
  const pending = decide(command, state, new Date());
  const envelopes = pending.map((p) =>
    newEventFrom(p, { opId, actor, causationId: null, correlationId: opId, id: randomUUID() }),
  );
  const result = await log.append(opId, envelopes, state.eventCount);
  return result.events.reduce((s, e) => evolve(s, OpsEvents.parse(e) as never), state);
}

let next = 0;
/** An operation with its plan proposed (a one-step scale), ready for its approval. */
async function proposed(): Promise<{ opId: string; state: OperationState }> {
  const opId = `op-bench-${randomUUID().slice(0, 8)}`;
  const step = await planStep(
    'ScaleWorkload',
    { namespace: NS, kind: 'Deployment', name: `d-${next++}`, replicas: 2 },
    admin,
  );
  let state = await append(
    opId,
    initialState,
    { kind: 'user', id: 'alice' },
    {
      type: 'RequestOperation',
      request: 'scale',
      requestedBy: 'alice',
      cluster: { id: clusterId },
    },
  );
  state = await append(
    opId,
    state,
    { kind: 'service', id: 'planner' },
    {
      type: 'ProposePlan',
      plan: { schemaVersion: 1, clusterId, steps: [{ ...step, id: 's1' }], rationale: 'bench' },
    },
  );
  return { opId, state };
}

const grant = (opId: string, state: OperationState) =>
  append(
    opId,
    state,
    { kind: 'user', id: 'bob' },
    {
      type: 'GrantApproval',
      planHash: state.plan!.planHash,
      approver: 'bob',
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      required: 1,
      kubernetesIdentity: { user: 'bob', groups: ['shop-team'] },
    },
  );

/** Resolves when an event of `type` is published on the operation's subject (core NATS). */
function seen(opIds: string[], type: string): Promise<void>[] {
  const waiting = new Map<string, () => void>();
  const done = opIds.map((id) => new Promise<void>((resolve) => waiting.set(id, resolve)));
  const sub = nc.subscribe('ops.op.>', {
    callback: (_err, msg) => {
      const event = msg.json<{ type: string; opId: string }>();
      if (event.type !== type) return;
      waiting.get(event.opId)?.();
      waiting.delete(event.opId);
      if (waiting.size === 0) sub.unsubscribe();
    },
  });
  return done;
}

async function executors(n: number): Promise<ServiceProcess[]> {
  return Promise.all(
    Array.from({ length: n }, () =>
      spawnService({
        name: 'executor',
        entry: EXECUTOR_MAIN,
        args: ['--nats', nats.url, '--kubeconfig', kubeconfig],
        ready: (l) => l.msg === 'ready',
        env: { OPSLOOP_LOG_LEVEL: 'info' },
      }),
    ),
  );
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

// Baseline: raw JetStream publish on the same server, 64 in flight.
async function rawPublishRate(count: number): Promise<number> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'RAW', subjects: ['raw.>'] });
  const js = jetstream(nc);
  const body = new TextEncoder().encode('x'.repeat(800));
  const start = performance.now();
  for (let i = 0; i < count; i += 64)
    await Promise.all(
      Array.from({ length: Math.min(64, count - i) }, (_, j) =>
        js.publish(`raw.${(i + j) % 500}`, body),
      ),
    );
  return count / ((performance.now() - start) / 1000);
}

async function throughput(replicas: number): Promise<number> {
  const running = await executors(replicas);
  const ops = [];
  for (let i = 0; i < OPS; i++) ops.push(await proposed());
  const completed = seen(
    ops.map((o) => o.opId),
    'ExecutionCompleted',
  );
  const start = performance.now();
  await Promise.all(ops.map((o) => grant(o.opId, o.state)));
  await Promise.all(completed);
  const rate = OPS / ((performance.now() - start) / 1000);
  await Promise.all(running.map((p) => p.stop()));
  return rate;
}

const raw = await rawPublishRate(20_000);

const [single] = await executors(1);
const latencies: number[] = [];
for (let i = 0; i < LATENCY_OPS + 5; i++) {
  const { opId, state } = await proposed();
  const [succeeded] = seen([opId], 'StepSucceeded');
  const start = performance.now();
  await grant(opId, state);
  await succeeded;
  if (i >= 5) latencies.push(performance.now() - start); // the first few warm the caches
}
await single!.stop();
latencies.sort((a, b) => a - b);

const one = await throughput(1);
const two = await throughput(2);

console.log(`raw JetStream publish (64 in flight, 800 B):      ${raw.toFixed(0)} msgs/s`);
console.log(
  `approval → StepSucceeded, one-step plan (${LATENCY_OPS} ops): p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
    `p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms (goal p50 < 100 ms)`,
);
console.log(
  `operations executed per second, ${OPS} granted at once: 1 executor ${one.toFixed(1)}/s, 2 executors ${two.toFixed(1)}/s (×${(two / one).toFixed(2)})`,
);

await nc.close();
await sim.stop();
await nats.stop();
process.exit(0);
