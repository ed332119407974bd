/* eslint-disable @typescript-eslint/no-explicit-any -- projections are read as the JSON the API returns */
/**
 * `npm run scenarios`: every scenario of the library (or --scenario FILE|DIR) through the
 * whole product. For each: load it into kube-sim, ask its `request` as a requester, approve
 * the plan as a second user (two when the plan needs two), wait for the outcome, then
 * evaluate the scenario's verify and forbid lists and check that nothing outside its
 * namespace changed. Prints a table and the score. `--llm` picks the planner's mode.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startScenarioSim } from '@opsloop/kube-sim';
import {
  REPO_ROOT,
  managedNamespaceRbac,
  rbacFiles,
  serviceIdentities,
  startOpsloop,
  teamRbacYaml,
  kubernetesGroupOfTeam,
} from '@opsloop/cli/launcher';
import { startNatsServer } from '@opsloop/testkit';
import { verdictOf, type Result } from './verdict.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', multiple: true },
    llm: { type: 'string', default: 'none' },
    speed: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});

function scenarioFiles(): string[] {
  const inputs = values.scenario ?? [join(REPO_ROOT, 'packages', 'kube-sim', 'scenarios')];
  return inputs.flatMap((input) => {
    const path = resolve(input);
    return statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith('.yaml'))
          .sort()
          .map((f) => join(path, f))
      : [path];
  });
}

interface Row {
  scenario: string;
  diagnosis: string;
  steps: string;
  outcome: string;
  checks: string;
  seconds: number;
  result: Result;
  /** The planner's answer, when it answered instead of planning. */
  answer?: string;
  /** An approval the gateway refused. */
  approval?: string;
  /** Why the operation failed (executor error, failed verification check). */
  failure?: string;
}

type Op = Record<string, any>;

async function runOne(file: string, natsUrl: string): Promise<Row> {
  const started = Date.now();
  const name = file
    .split('/')
    .at(-1)!
    .replace(/\.yaml$/, '');
  const rbac = rbacFiles(REPO_ROOT);
  const identities = serviceIdentities(rbac);
  const sc = await startScenarioSim(file, {
    speed: Number(values.speed),
    users: identities.map(({ token, username, groups }) => ({ token, username, groups })),
  });
  const dataDir = mkdtempSync(join(tmpdir(), `opsloop-scn-${name}-`));
  const row: Row = {
    scenario: name,
    diagnosis: '-',
    steps: '-',
    outcome: '-',
    checks: '-',
    seconds: 0,
    result: 'failed',
  };
  let stack: Awaited<ReturnType<typeof startOpsloop>> | undefined;
  try {
    const teams = [{ name: 'ops', namespaces: [sc.namespace] }];
    for (const f of rbac) sc.sim.loadYaml(readFileSync(f, 'utf8'), f);
    sc.sim.loadYaml(managedNamespaceRbac(REPO_ROOT, [sc.namespace]), 'managed-namespace');
    sc.sim.loadYaml(teamRbacYaml(teams, kubernetesGroupOfTeam), 'team-rbac');
    const kubeconfigs = new Map<string, string>();
    for (const id of [...identities, { name: 'admin', username: 'admin' }]) {
      const path = join(dataDir, `${id.name}.kubeconfig`);
      writeFileSync(path, sc.kubeconfig(id.username));
      kubeconfigs.set(id.name, path);
    }
    stack = await startOpsloop({
      dataDir,
      natsUrl,
      gatewayPort: 0,
      teams,
      cluster: { kubeconfigFor: (identity) => kubeconfigs.get(identity)! },
      llm: { provider: values.llm as 'none' },
    });
    const users = JSON.parse(readFileSync(stack.credentialsPath, 'utf8')) as {
      name: string;
      roles: string[];
      token: string;
    }[];
    const requester = users.find((u) => u.roles.includes('requester'))!;
    const approvers = users.filter((u) => u.roles.includes('approver'));
    const api = async (token: string, method: string, path: string, body?: unknown) => {
      const r = await fetch(new URL(path, stack!.gatewayUrl), {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return (await r.json()) as Op;
    };
    const waitFor = async (id: string, statuses: string[], ms = 240_000): Promise<Op> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const op = await api(requester.token, 'GET', `/api/v1/operations/${id}`);
        if (statuses.includes(op.status) || Date.now() > deadline) return op;
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    const { id } = await api(requester.token, 'POST', '/api/v1/operations', {
      request: sc.scenario.spec.request,
      namespace: sc.namespace,
    });
    let op = await waitFor(id, ['awaiting_approval', 'answered', 'rejected', 'failed']);
    const findings: Op[] = op.diagnosis?.findings ?? [];
    row.diagnosis = findings[0] ? `${findings[0].code} ${findings[0].object?.name ?? ''}` : 'none';
    row.steps = (op.plan?.plan?.steps ?? []).map((s: Op) => s.action).join(',') || 'none';
    if (op.status === 'awaiting_approval') {
      for (const approver of approvers) {
        const current = await api(approver.token, 'GET', `/api/v1/operations/${id}`);
        if (current.status !== 'awaiting_approval') break;
        const answer = await api(approver.token, 'POST', `/api/v1/operations/${id}/approval`, {
          decision: 'approve',
          planHash: current.plan.planHash,
          comment: 'scenario sweep',
        });
        if (answer.code || answer.error)
          row.approval = `${approver.name}: ${JSON.stringify(answer).slice(0, 200)}`;
      }
      op = await waitFor(id, ['succeeded', 'failed', 'rejected', 'invalidated']);
    }
    row.outcome = op.status;
    if (typeof op.answer === 'string') row.answer = op.answer;
    if (op.status === 'awaiting_approval')
      row.failure = `still awaiting approval: ${JSON.stringify(op.approvals).slice(0, 300)}; steps ${JSON.stringify(op.steps).slice(0, 200)}`;
    const failedCheck = (op.verification?.checks ?? []).find((c: Op) => !c.passed);
    if (op.failure || op.verification?.status === 'failed')
      row.failure = [
        op.failure ? `${op.failure.code}: ${op.failure.message}` : '',
        op.verification?.reason ?? '',
        failedCheck ? `check ${failedCheck.check}: ${failedCheck.message ?? ''}` : '',
      ]
        .filter(Boolean)
        .join('; ')
        .slice(0, 400);
    const verdict = await sc.waitSolved(30_000);
    // Opsloop's writes (every identity but the sim's admin) must stay inside the namespace.
    const executor = identities.find((i) => i.name === 'executor')!.username;
    const outside = sc.sim.audit
      .entries()
      .filter((e) => e.user === executor && !e.dryRun && e.responseCode < 300)
      .filter((e) => e.namespace !== sc.namespace && e.resource !== 'subjectaccessreviews');
    const { result, note } = verdictOf({
      scenario: name,
      status: op.status,
      answer: row.answer ?? null,
      solved: verdict.ok,
      wroteOutside: outside.length > 0,
    });
    row.result = result;
    row.checks =
      outside.length > 0
        ? `wrote outside ${sc.namespace}: ${outside[0]!.resource}/${outside[0]!.name}`
        : result === 'solved'
          ? 'ok'
          : result === 'person asked'
            ? 'fault remains; the answer says what to do'
            : `${note}; ${verdict.report.slice(0, 60)}`;
  } catch (error) {
    row.outcome = `error: ${(error as Error).message.split('\n')[0]!.slice(0, 60)}`;
  } finally {
    await stack?.stop();
    await sc.stop();
    row.seconds = Math.round((Date.now() - started) / 100) / 10;
  }
  return row;
}

const LABEL: Record<Result, string> = { solved: 'PASS', 'person asked': 'PERSON', failed: 'FAIL' };

const nats = await startNatsServer();
const rows: Row[] = [];
try {
  for (const file of scenarioFiles()) {
    if (values.only && !file.includes(values.only)) continue;
    const row = await runOne(file, nats.url);
    rows.push(row);
    if (!values.json)
      process.stdout.write(
        `${LABEL[row.result]} ${row.scenario} (${row.seconds}s): ${row.steps} → ${row.outcome}; ${row.checks}\n${row.answer && row.result !== 'solved' ? `  answer: ${row.answer}\n` : ''}${row.approval ? `  approval refused: ${row.approval}\n` : ''}${row.failure ? `  failure: ${row.failure}\n` : ''}`,
      );
  }
} finally {
  await nats.stop();
}
const count = (result: Result) => rows.filter((r) => r.result === result).length;
const [solved, asked, failed] = [count('solved'), count('person asked'), count('failed')];
if (values.json)
  process.stdout.write(
    `${JSON.stringify({ solved, personAsked: asked, failed, total: rows.length, rows }, null, 2)}\n`,
  );
else {
  const cols = [
    'scenario',
    'result',
    'diagnosis',
    'steps',
    'outcome',
    'checks',
    'seconds',
  ] as const;
  const widths = cols.map((c) =>
    Math.min(34, Math.max(c.length, ...rows.map((r) => String(r[c]).length))),
  );
  const cell = (v: string, w: number) => (v.length > w ? `${v.slice(0, w - 1)}…` : v.padEnd(w));
  process.stdout.write(`\n${cols.map((c, i) => cell(c.toUpperCase(), widths[i]!)).join(' ')}\n`);
  for (const r of rows)
    process.stdout.write(`${cols.map((c, i) => cell(String(r[c]), widths[i]!)).join(' ')}\n`);
  process.stdout.write(
    `\nscore: ${solved}/${rows.length} solved end to end, ${asked} person asked (no typed fix exists; the answer says what a person must do), ${failed} failed\n`,
  );
}
process.exit(failed === 0 ? 0 : 1);
