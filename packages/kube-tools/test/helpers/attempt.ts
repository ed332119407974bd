/**
 * One attempt at a scenario as a user of `--llm none` would see it: diagnose until the
 * faults show, then plan and apply the top remediation of the finding on each faulty
 * object (and its follow-up steps), and see whether the scenario's verify holds with no
 * forbid. Returns what happened instead of asserting, so the same run serves the tests and
 * the score script (bench/scenario-score.ts).
 */
import { DiagnosisRecorded } from '@opsloop/contracts';
import { SEVERITY_RANK } from '../../src/analyzers/types.ts';
import {
  ACTIONS,
  analyzeSnapshot,
  applyStep,
  loadSnapshot,
  planStep,
  toFindingPayload,
} from '../../src/mod.ts';
import type { Finding, Remediation } from '../../src/mod.ts';
import type { ScenarioEnv } from './scenario.ts';

export interface Fault {
  kind: string;
  name: string;
  /** What the finding's code or explanation must say about the cause. */
  cause: RegExp;
  /** Actions that fix it (any one); null when no catalog action can and a person must act. */
  fix: string[] | null;
  /** Args the top remediation must contain, to tell two faults on one object apart. */
  args?: Record<string, unknown>;
  /** Words a person-must-act finding must name (the permission, the program, …). */
  mentions?: string[];
}

export interface ScenarioExpectation {
  faults: Fault[];
  /** Objects that look odd but are fine: no finding of warning or worse may name them. */
  healthy?: { kind: string; name: string }[];
  /** Nothing is wrong: once settled, no finding of warning or worse at all. */
  quiet?: boolean;
}

export interface FaultOutcome {
  fault: Fault;
  /** A warning-or-worse finding on the right object whose code/explanation names the cause. */
  named: boolean;
  finding?: Finding;
  /** The remediation applied for it, or covered by the step on its object (null: none proposed). */
  applied: Remediation | null;
  /** For fix === null: no remediation, and what a person must do names `mentions`. */
  personAsked: boolean;
}

export interface Outcome {
  faults: FaultOutcome[];
  /** Findings of warning or worse on objects listed as healthy (or any, when quiet). */
  falseAlarms: string[];
  solved: boolean;
  report: string;
  /** Every finding of the last diagnosis before any fix, one line each. */
  diagnosis: string[];
}

/**
 * One diagnosis of the scenario's namespace. Every diagnosis also crosses the seam to the
 * event log: its findings, converted by `toFindingPayload`, must be a valid
 * `DiagnosisRecorded` payload (a planner appends exactly that), or this throws.
 */
export async function diagnoseOnce(env: ScenarioEnv): Promise<Finding[]> {
  const findings = analyzeSnapshot(await loadSnapshot(env.cluster, env.namespace));
  const recorded = DiagnosisRecorded.schema.safeParse({ findings: findings.map(toFindingPayload) });
  if (!recorded.success)
    throw new Error(
      `${env.name}: DiagnosisRecorded rejects the findings: ${recorded.error.message}`,
    );
  return findings;
}

const serious = (f: Finding) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.warning;
const on = (f: Finding, o: { kind: string; name: string }) =>
  f.object.kind === o.kind && f.object.name === o.name;

function argsContain(r: Remediation | undefined, args: Record<string, unknown> | undefined) {
  if (!args) return true;
  return (
    !!r && Object.entries(args).every(([k, v]) => JSON.stringify(r.args[k]) === JSON.stringify(v))
  );
}

/** The finding that stands for a fault: on its object, naming the cause, args matching. */
function findingFor(all: Finding[], fault: Fault): Finding | undefined {
  const candidates = all.filter(
    // Codes are SNAKE_CASE; read them as words so /node ?selector/ matches NODE_SELECTOR_….
    (f) =>
      serious(f) &&
      on(f, fault) &&
      fault.cause.test(`${f.code.replace(/_/g, ' ')} ${f.explanation}`),
  );
  return (
    candidates.find((f) => argsContain(f.remediations[0], fault.args) && f.remediations.length) ??
    candidates.find((f) => argsContain(f.remediations[0], fault.args)) ??
    candidates[0]
  );
}

function asksPerson(f: Finding | undefined, fault: Fault): boolean {
  if (!f || f.remediations.length > 0 || !f.humanAction) return false;
  const text = `${f.explanation} ${f.humanAction}`.toLowerCase();
  return (fault.mentions ?? []).every((m) => text.includes(m.toLowerCase()));
}

function ready(all: Finding[], e: ScenarioExpectation): boolean {
  return e.faults.every((fault) => {
    const f = findingFor(all, fault);
    if (fault.fix === null) return asksPerson(f, fault);
    return !!f && f.remediations.length > 0 && argsContain(f.remediations[0], fault.args);
  });
}

const line = (f: Finding) =>
  `${f.severity} ${f.code} ${f.object.kind}/${f.object.name}` +
  (f.remediations[0] ? ` → ${f.remediations[0].action}` : '');

export async function attempt(
  env: ScenarioEnv,
  e: ScenarioExpectation,
  { findTimeoutMs = 40_000, solveTimeoutMs = 60_000 } = {},
): Promise<Outcome> {
  let all: Finding[] = [];
  if (e.quiet) {
    // A healthy namespace is judged once it has settled: its own verify holds.
    await env.waitSolved(solveTimeoutMs);
    const deadline = Date.now() + findTimeoutMs;
    do {
      all = await diagnoseOnce(env);
      if (!all.some(serious)) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } while (Date.now() < deadline);
  } else {
    const deadline = Date.now() + findTimeoutMs;
    do {
      all = await diagnoseOnce(env);
      if (ready(all, e)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } while (Date.now() < deadline);
  }
  const healthy = e.healthy ?? [];
  const falseAlarms = all
    .filter((f) => serious(f) && (e.quiet || healthy.some((h) => on(f, h))))
    .map(line);
  const faults: FaultOutcome[] = e.faults.map((fault) => {
    const finding = findingFor(all, fault);
    return {
      fault,
      named: !!finding,
      ...(finding ? { finding } : {}),
      applied: null,
      personAsked: fault.fix === null && asksPerson(finding, fault),
    };
  });
  // Apply, one fault after the other, the top remediation of the finding on its object
  // (any finding there when none named the cause: a fix that solves it still counts).
  // One step per object, as the planner plans (a second step on an object the first one
  // changed could not apply): a second fault on an object already fixed this attempt is
  // counted as covered by that step, and the scenario's verify tells whether it was.
  const stepped = new Set<string>();
  for (const outcome of faults) {
    const { fault } = outcome;
    if (fault.fix === null) continue;
    const finding =
      (outcome.finding?.remediations.length ? outcome.finding : undefined) ??
      all.find((f) => serious(f) && on(f, fault) && f.remediations.length > 0);
    const top = finding?.remediations[0];
    if (!top) continue;
    outcome.applied = top;
    const target = ACTIONS[top.action]!.target(top.args as never);
    const object = `${target.kind}/${target.namespace ?? ''}/${target.name}`;
    if (stepped.has(object)) continue;
    stepped.add(object);
    for (const step of [top, ...(top.followUps ?? [])]) {
      // Planned right before it is written, as an executor re-derives a step from live state.
      await applyStep(await planStep(step.action, step.args, env.cluster), env.cluster);
    }
  }
  const fixable = faults.filter((o) => o.fault.fix !== null);
  const verdict =
    fixable.length > 0 && fixable.every((o) => o.applied)
      ? await env.waitSolved(solveTimeoutMs)
      : await env.solved();
  const solved =
    faults.every((o) => (o.fault.fix === null ? o.personAsked : o.applied !== null)) &&
    (fixable.length === 0 || verdict.ok) &&
    falseAlarms.length === 0;
  return { faults, falseAlarms, solved, report: verdict.report, diagnosis: all.map(line) };
}
