import { expect } from 'vitest';
import { applyStep } from '@opsloop/kube-tools';
import type { OpsEvent } from '@opsloop/contracts';
import { ask, only, outcomeOf, startScenarioPlanner, type Nats } from './env.ts';
import type { Expectation, Healthy } from './library.ts';
import { waitHealthy } from './healthy.ts';
import { waitForFault } from './scenarios.ts';

/**
 * One scenario as a user meets it: the fault shows, the user asks the scenario's request
 * (scope: the scenario's namespace), the planner answers or plans; an approved plan is
 * applied step by step as the executor would, and the scenario's verify must then hold
 * with no forbid.
 */
export async function askAndFix(
  nats: Nats,
  name: string,
  expectation: Expectation | Healthy | null,
): Promise<OpsEvent[]> {
  if (expectation && 'healthy' in expectation) return askHealthy(nats, name, expectation);
  const expected = expectation;
  const env = await startScenarioPlanner(nats, name);
  try {
    await waitForFault(env, expected);
    const opId = await ask(nats.log, env.clusterId, env.run.scenario.spec.request, {
      scope: [env.run.namespace],
    });
    const events = await outcomeOf(nats.log, opId);
    const findings = only(events, 'DiagnosisRecorded').payload.findings;
    const named = findings.map((f) => `${f.code} ${f.object.kind}/${f.object.name}`);
    if (expected)
      expect(
        named,
        `${name}: diagnosis; context: ${only(events, 'ContextGathered').payload.summary}`,
      ).toContain(`${expected.code} ${expected.kind}/${expected.name}`);
    const outcome = events.find(
      (e) =>
        e.type === 'PlanProposed' ||
        e.type === 'OperationAnswered' ||
        e.type === 'PlanRejectedByPolicy' ||
        e.type === 'OperationFailed',
    )!;
    if (outcome.type === 'OperationAnswered') {
      const answer = outcome.payload.answer;
      if (expected === null) {
        // The external set: an answer is right only where nothing needs fixing.
        // Nothing was changed, so if the scenario holds (once settled) the answer was right.
        const verdict = await env.run.waitSolved(30_000);
        expect(verdict.ok, `${name}: answered instead of planning: ${answer}`).toBe(true);
        return events;
      }
      expect(expected.fix, `${name}: answered instead of planning: ${answer}`).toBeNull();
      expect(answer).toContain(expected.name);
      expect(answer).toMatch(/needs a person/i);
      return events;
    }
    expect(outcome.type, `${name}: ${JSON.stringify(outcome.payload).slice(0, 800)}`).toBe(
      'PlanProposed',
    );
    const { plan } = only(events, 'PlanProposed').payload;
    expect(plan.clusterId).toBe(env.clusterId);
    if (expected?.fix)
      expect(
        plan.steps.map((s) => s.action),
        `${name}: plan`,
      ).toContain(expected.fix);
    for (const step of plan.steps) {
      expect(step.target.namespace, `${name}: a step outside the request's namespace`).toBe(
        env.run.namespace,
      );
      await applyStep(step, env.executor);
    }
    const verdict = await env.run.waitSolved(60_000);
    expect(
      verdict.ok,
      `${name} not solved by ${plan.steps.map((s) => s.summary).join('; ')}: ${verdict.report}`,
    ).toBe(true);
    return events;
  } finally {
    await env.stop();
  }
}

/** A healthy scenario, asked once it has settled: an answer, nothing proposed, nothing broken. */
async function askHealthy(nats: Nats, name: string, expected: Healthy): Promise<OpsEvent[]> {
  const env = await startScenarioPlanner(nats, name);
  try {
    await waitHealthy(env.executor, env.run.namespace);
    const opId = await ask(nats.log, env.clusterId, env.run.scenario.spec.request, {
      scope: [env.run.namespace],
    });
    const events = await outcomeOf(nats.log, opId);
    expect(events.map((e) => e.type)).not.toContain('PlanProposed');
    const answer = only(events, 'OperationAnswered').payload.answer;
    if (expected.says) expect(answer).toMatch(expected.says);
    const verdict = await env.run.waitSolved(30_000);
    expect(verdict.ok, verdict.report).toBe(true);
    return events;
  } finally {
    await env.stop();
  }
}
