/**
 * Request → PlanProposed latency of the no-model planner over the kube-sim scenario
 * library, beside `opsloop diagnose` of the same namespace (kube-tools' `diagnose`, the
 * raw baseline: one snapshot + the analyzers) measured in the same run on the same sim.
 *
 *   npm run bench --workspace @opsloop/planner      [-- --rounds 5]
 *
 * Latency is from appending OperationRequested to the outcome event arriving on the
 * operation's subject (a core NATS subscription), so it includes JetStream delivery to the
 * durable consumer, context, diagnosis, dry-run planning and the append.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { OpsEvents } from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { startScenarioSim } from '@opsloop/kube-sim';
import { waitForFault } from './fault-shows.ts';
import { connectCluster, diagnose } from '@opsloop/kube-tools';
import { createLogger } from '@opsloop/service-kit';
import { startNatsServer } from '@opsloop/testkit';
import { startPlanner } from '../src/mod.ts';
import { ask } from '../test/helpers/env.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] ?? 5) || 5;
const only = process.argv.includes('--scenario')
  ? process.argv[process.argv.indexOf('--scenario') + 1]
  : undefined;
const library = fileURLToPath(new URL('../../../packages/kube-sim/scenarios/', import.meta.url));
const names = readdirSync(library)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .filter((n) => only === undefined || n === only);

const decoder = new TextDecoder();
const planMs: number[] = [];
const answerMs: number[] = [];
const diagnoseMs: number[] = [];
const rows: string[] = [];

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const fmt = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(1)} ms`);

for (const name of names) {
  const run = await startScenarioSim(name, { speed: 50 });
  const cluster = await connectCluster({ kubeconfigText: run.kubeconfig() });
  const baseline = await connectCluster({ kubeconfigText: run.kubeconfig() });
  const clusterId = await baseline.identity();
  const ns = run.namespace;
  // Ask once the fault shows, as a user would (at most 45 s).
  await waitForFault(baseline, ns, 45_000);
  // A fresh nats-server per scenario: the durable consumer starts with an empty stream.
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  const log = await EventLog.open(nc, OpsEvents);
  const planner = await startPlanner({ log, cluster, logger: createLogger('bench', 'silent') });
  const mine: number[] = [];
  const theirs: number[] = [];
  let outcome = '';
  for (let i = 0; i < rounds; i++) {
    const opId = `bench-${name}-${i}-${Date.now()}`;
    const sub = nc.subscribe(`ops.op.${opId}`);
    const started = performance.now();
    const done = (async () => {
      for await (const msg of sub) {
        const type = (JSON.parse(decoder.decode(msg.data)) as { type: string }).type;
        if (
          ['PlanProposed', 'OperationAnswered', 'PlanRejectedByPolicy', 'OperationFailed'].includes(
            type,
          )
        ) {
          sub.unsubscribe();
          return { type, ms: performance.now() - started };
        }
      }
      throw new Error('subscription ended');
    })();
    await ask(log, clusterId, run.scenario.spec.request, { scope: [ns], opId });
    const result = await done;
    outcome = result.type;
    mine.push(result.ms);
    (result.type === 'PlanProposed' ? planMs : answerMs).push(result.ms);
    const t0 = performance.now();
    await diagnose(baseline, [ns]);
    const d = performance.now() - t0;
    theirs.push(d);
    diagnoseMs.push(d);
  }
  await planner.stop();
  await nc.close();
  await server.stop();
  await run.stop();
  rows.push(
    `| ${name} | ${outcome} | ${fmt(percentile(mine, 50))} | ${fmt(percentile(theirs, 50))} |`,
  );
  process.stderr.write(
    `${name}: ${outcome} p50 ${fmt(percentile(mine, 50))}, diagnose p50 ${fmt(percentile(theirs, 50))}\n`,
  );
}

console.log(`\n${names.length} scenarios × ${rounds} requests, no model, kube-sim speed 50\n`);
console.log('| scenario | outcome | request → outcome p50 | opsloop diagnose p50 |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(row);
console.log('\n| measure | p50 | p90 | max | n |');
console.log('| --- | --- | --- | --- | --- |');
const line = (label: string, xs: number[]) =>
  console.log(
    `| ${label} | ${fmt(percentile(xs, 50))} | ${fmt(percentile(xs, 90))} | ${fmt(xs.length ? Math.max(...xs) : NaN)} | ${xs.length} |`,
  );
line('request → PlanProposed', planMs);
line('request → OperationAnswered', answerMs);
line('opsloop diagnose, same namespace (baseline)', diagnoseMs);
const goal = percentile(planMs, 50);
console.log(
  `\ngoal p50 < 300 ms: ${goal < 300 ? 'met' : 'MISSED'} (${fmt(goal)}; ${(goal / percentile(diagnoseMs, 50)).toFixed(2)}× diagnose)`,
);
