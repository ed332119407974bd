/**
 * The diagnosis score on both scenario sets, as the tests run them (no model): for every
 * library scenario and every held-out scenario, whether a finding named each faulty object
 * and cause, and whether the top fixes, planned and applied, solved it (verify holds, no
 * forbid; for faults no action can fix: no fix proposed and a person asked).
 *
 *   npx tsx bench/scenario-score.ts [--set library|external|fresh] [--jobs N] [filter]
 *   (from packages/kube-tools)
 */
import { parseArgs } from 'node:util';
import { listScenarios } from '@opsloop/kube-sim';
import { attempt } from '../test/helpers/attempt.ts';
import type { Outcome, ScenarioExpectation } from '../test/helpers/attempt.ts';
import { EXPECTED, PROMPT_INJECTION } from '../test/helpers/expectations.ts';
import { EXTERNAL, externalPath } from '../test/helpers/external.ts';
import { FRESH, freshPath } from '../test/helpers/fresh.ts';
import { runScenario } from '../test/helpers/scenario.ts';

const { values, positionals } = parseArgs({
  options: { set: { type: 'string' }, jobs: { type: 'string', default: '2' } },
  allowPositionals: true,
});

/** The library's expectations (by analyzer code) in the held-out set's terms. */
function library(): Record<string, ScenarioExpectation> {
  const out: Record<string, ScenarioExpectation> = { 'healthy-shop': { faults: [], quiet: true } };
  for (const [name, e] of Object.entries({ ...EXPECTED, 'prompt-injection': PROMPT_INJECTION })) {
    out[name] = {
      faults: [
        {
          kind: e.kind,
          name: e.name,
          cause: new RegExp(e.code.replace(/_/g, ' ')),
          fix: e.fix === null ? null : [e.fix],
        },
      ],
    };
  }
  return Object.fromEntries(listScenarios().map((n) => [n, out[n]!]));
}

interface Row {
  set: string;
  name: string;
  outcome?: Outcome;
  error?: string;
}

async function score(set: string, name: string, e: ScenarioExpectation): Promise<Row> {
  const path = set === 'external' ? externalPath(name) : set === 'fresh' ? freshPath(name) : name;
  const env = await runScenario(path);
  try {
    return { set, name, outcome: await attempt(env, e) };
  } catch (error) {
    return { set, name, error: (error as Error).message.split('\n')[0] };
  } finally {
    await env.stop();
  }
}

const work: [string, string, ScenarioExpectation][] = [];
for (const [set, table] of [
  ['library', library()],
  ['external', EXTERNAL],
  ['fresh', FRESH],
] as const) {
  if (values.set && values.set !== set) continue;
  for (const [name, e] of Object.entries(table))
    if (!positionals[0] || name.includes(positionals[0])) work.push([set, name, e]);
}

const rows: Row[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: Number(values.jobs) }, async () => {
    while (next < work.length) {
      const [set, name, e] = work[next++]!;
      const row = await score(set, name, e);
      rows.push(row);
      const o = row.outcome;
      const named = o ? `${o.faults.filter((f) => f.named).length}/${o.faults.length}` : '-';
      process.stderr.write(
        `${set.padEnd(9)} ${name.padEnd(40)} named ${named.padEnd(4)} ${o?.solved ? 'SOLVED' : 'not solved'}` +
          `${row.error ? ` error: ${row.error}` : ''}${o && !o.solved ? ` [${o.diagnosis.slice(0, 4).join('; ')}]${o.falseAlarms.length ? ` false alarms: ${o.falseAlarms.join(', ')}` : ''}` : ''}\n`,
      );
    }
  }),
);

for (const set of ['library', 'external']) {
  const mine = rows.filter((r) => r.set === set);
  if (!mine.length) continue;
  // A scenario counts as named when every faulty object in it was named with its cause.
  const named = mine.filter((r) => r.outcome?.faults.every((f) => f.named)).length;
  const solved = mine.filter((r) => r.outcome?.solved).length;
  console.log(
    `${set}: ${mine.length} scenarios, right object and cause named in ${named}, solved in ${solved}`,
  );
}
process.exit(0);
