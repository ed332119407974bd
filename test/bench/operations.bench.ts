/* eslint-disable @typescript-eslint/no-explicit-any -- projections and events are read as the JSON the API returns */
/**
 * `npm run bench:e2e` (in test/): 100 operations on the demo cluster through the real
 * launcher (every service its own process) and the HTTP API, driven concurrently: ask →
 * approve → verified. LANES deployments are added to namespace shop; each lane scales its
 * own deployment OPS_PER_LANE times in a row (1 → 2 → 1 → …), so operations never race
 * for one object while LANES of them run at once. Prints completed per minute, p50/p95 of
 * each phase from the events' own timestamps (planning = requested → PlanProposed,
 * execution = ApprovalGranted → last StepSucceeded, verification = → VerificationPassed;
 * the wait for a human is excluded), lost and duplicated counts (events per operation and
 * the executor's writes in kube-sim's audit log), and a raw HTTP round trip to the gateway
 * from the same run as the baseline.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CLUSTER } from '@opsloop/cli/launcher';
import { startStack, type Credential, type Stack } from '../helpers/stack.ts';

const LANES = Number(process.env.BENCH_LANES ?? 20);
const OPS_PER_LANE = Number(process.env.BENCH_OPS_PER_LANE ?? 5);
const STABLE_WINDOW_MS = 5_000;

function benchCluster(): string {
  const deployments = Array.from(
    { length: LANES },
    (_, i) => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: bench-${i}, namespace: shop, labels: { app.kubernetes.io/name: bench-${i} } }
spec:
  replicas: 1
  selector: { matchLabels: { app.kubernetes.io/name: bench-${i} } }
  template:
    metadata: { labels: { app.kubernetes.io/name: bench-${i} } }
    spec:
      containers:
        - name: app
          image: registry.example.com/shop/checkout:4.1.2
          ports: [{ name: http, containerPort: 8080 }]
          resources: { requests: { cpu: 10m, memory: 32Mi } }
`,
  );
  const file = join(mkdtempSync(join(tmpdir(), 'opsloop-bench-')), 'bench-cluster.yaml');
  writeFileSync(file, `${readFileSync(DEMO_CLUSTER, 'utf8')}\n${deployments.join('')}`);
  return file;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Done {
  id: string;
  deployment: string;
  ok: boolean;
  status: string;
}

async function operation(stack: Stack, lane: number, replicas: number): Promise<Done> {
  const requester = stack.user('shop', 'requester');
  const approvers: Credential[] = [
    stack.user('shop', 'approver'),
    stack.user('shop', 'approver', 1),
  ];
  const deployment = `bench-${lane}`;
  const asked = await stack.api<{ id: string }>(requester, 'POST', '/api/v1/operations', {
    request: `Scale the ${deployment} deployment to ${replicas} replicas.`,
    namespace: 'shop',
  });
  if (asked.status !== 202) throw new Error(`ask: ${asked.status} ${JSON.stringify(asked.body)}`);
  const id = asked.body.id;
  const terminal = ['succeeded', 'failed', 'rejected', 'invalidated', 'answered', 'closed'];
  let op = await stack.waitFor(
    requester,
    id,
    (o) => o.status === 'awaiting_approval' || terminal.includes(o.status),
    600_000,
  );
  for (const approver of approvers) {
    if (op.status !== 'awaiting_approval') break;
    const r = await stack.api<any>(approver, 'POST', `/api/v1/operations/${id}/approval`, {
      decision: 'approve',
      planHash: op.plan.planHash,
    });
    if (r.status >= 300) throw new Error(`approve ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    op = r.body;
  }
  const done = await stack.waitFor(requester, id, (o) => terminal.includes(o.status), 600_000);
  return { id, deployment, ok: done.status === 'succeeded', status: done.status };
}

async function lane(stack: Stack, i: number, results: Done[]): Promise<void> {
  for (let n = 0; n < OPS_PER_LANE; n++) {
    try {
      results.push(await operation(stack, i, n % 2 === 0 ? 2 : 1));
    } catch (error) {
      process.stderr.write(`lane ${i} op ${n}: ${(error as Error).message.slice(0, 400)}\n`);
      results.push({ id: '', deployment: `bench-${i}`, ok: false, status: 'error' });
    }
  }
}

async function httpBaseline(stack: Stack, id: string): Promise<number[]> {
  const user = stack.user('shop', 'requester');
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await stack.api(user, 'GET', `/api/v1/operations/${id}`);
    times.push(performance.now() - t);
  }
  return times;
}

function executorWrites(auditLog: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(auditLog, 'utf8').trim().split('\n')) {
    const e = JSON.parse(line) as any;
    if (!String(e.user).endsWith(':executor') || e.dryRun || e.responseCode >= 300) continue;
    if (!['patch', 'update'].includes(e.verb) || !String(e.name ?? '').startsWith('bench-'))
      continue;
    counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  }
  return counts;
}

const stack = await startStack({
  speed: 10,
  scenario: benchCluster(),
  serviceEnv: {
    verifier: {
      OPSLOOP_VERIFIER_STABLE_WINDOW_MS: String(STABLE_WINDOW_MS),
      OPSLOOP_VERIFIER_CONCURRENCY: String(LANES),
    },
  },
});
try {
  await sleep(5_000); // let the added deployments roll out
  const results: Done[] = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: LANES }, (_, i) => lane(stack, i, results)));
  const wallMs = Date.now() - started;

  const phases = {
    planning: [] as number[],
    execution: [] as number[],
    verification: [] as number[],
  };
  let duplicated = 0;
  const reader = stack.user('shop', 'requester');
  for (const r of results.filter((x) => x.id)) {
    const { body } = await stack.api<any[]>(reader, 'GET', `/api/v1/operations/${r.id}/events`);
    const at = (type: string, last = false) => {
      const found = body.filter((e) => e.type === type);
      const e = last ? found.at(-1) : found[0];
      return e ? Date.parse(e.occurredAt) : Number.NaN;
    };
    const count = (type: string) => body.filter((e) => e.type === type).length;
    const once = [
      'OperationRequested',
      'PlanProposed',
      'ApprovalGranted',
      'ExecutionCompleted',
      'VerificationPassed',
      'OperationClosed',
    ];
    if (once.some((t) => count(t) > 1)) duplicated++;
    if (new Set(body.map((e) => e.id)).size !== body.length) duplicated++;
    if (!r.ok) continue;
    phases.planning.push(at('PlanProposed') - at('OperationRequested'));
    phases.execution.push(at('StepSucceeded', true) - at('ApprovalGranted', true));
    phases.verification.push(at('VerificationPassed') - at('StepSucceeded', true));
  }
  const writes = executorWrites(stack.auditLog!);
  const perDeployment = new Map<string, number>();
  for (const r of results.filter((x) => x.ok))
    perDeployment.set(r.deployment, (perDeployment.get(r.deployment) ?? 0) + 1);
  let appliedTwice = 0;
  for (const [name, n] of writes)
    if (n > (perDeployment.get(name) ?? 0)) appliedTwice += n - (perDeployment.get(name) ?? 0);
  const baseline = await httpBaseline(stack, results.find((r) => r.id)!.id);

  const ok = results.filter((r) => r.ok).length;
  const statuses = new Map<string, number>();
  for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    `operations: ${results.length} (${LANES} lanes × ${OPS_PER_LANE}), kube-sim speed 10, verifier stable window ${STABLE_WINDOW_MS} ms, concurrency ${LANES}`,
    `outcomes: ${[...statuses].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `wall ${s(wallMs)} → ${((ok / wallMs) * 60_000).toFixed(1)} completed per minute`,
    ...Object.entries(phases).map(
      ([name, v]) =>
        `${name.padEnd(13)} p50 ${s(pct(v, 50))}  p95 ${s(pct(v, 95))}  (n=${v.length})`,
    ),
    `lost: ${results.length - ok}  duplicated events: ${duplicated}  applied twice (audit log): ${appliedTwice}  executor writes: ${[...writes.values()].reduce((a, b) => a + b, 0)}`,
    `baseline: raw HTTP GET /api/v1/operations/:id round trip p50 ${pct(baseline, 50).toFixed(1)} ms, p95 ${pct(baseline, 95).toFixed(1)} ms (200 sequential)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await stack.stop();
}
