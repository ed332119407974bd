import { afterEach, describe, expect, it } from 'vitest';
import {
  OpsEvents,
  decide,
  evolve,
  initialState,
  newEventFrom,
  planHash,
  seal,
} from '@opsloop/contracts';
import type { Command, OperationState, Plan } from '@opsloop/contracts';
import { DriftError, applyStep, planStep, toFindingPayload } from '../src/mod.ts';
import type { KubeObject, PlannedStep } from '../src/mod.ts';
import { EXPECTED, waitForFinding } from './helpers/expectations.ts';
import { runScenario } from './helpers/scenario.ts';
import type { ScenarioEnv } from './helpers/scenario.ts';

/**
 * The seam between kube-tools and the lifecycle: real findings and planned steps go into
 * decide(), every decided event is enveloped, sealed, parsed back (as the event log would)
 * and folded with evolve(); applyStep's observation or DriftError is what the executor
 * records. Writes to the cluster happen for real in between.
 */
class Operation {
  state: OperationState = initialState;
  private prevHash: string | null = null;
  private count = 0;

  act(command: Command): void {
    for (const pending of decide(command, this.state, new Date())) {
      const envelope = seal(
        newEventFrom(pending, {
          opId: 'op-seam',
          actor: { kind: 'service', id: 'seam-test' },
          causationId: null,
          correlationId: 'op-seam',
          id: `evt-${this.count++}`,
        }),
        this.prevHash,
      );
      this.prevHash = envelope.hash;
      this.state = evolve(this.state, OpsEvents.parse(JSON.parse(JSON.stringify(envelope))));
    }
  }
}

let env: ScenarioEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** Request → diagnosis (the scenario's real findings) → plan of its top fix → approval → step 0 started. */
async function approvedAndStarted(env: ScenarioEnv): Promise<{ op: Operation; step: PlannedStep }> {
  const expectation = EXPECTED[env.name]!;
  const { finding, all } = await waitForFinding(env, expectation);
  const fix = finding.remediations[0]!;
  const step = await planStep(fix.action, fix.args, env.cluster);
  const clusterId = await env.cluster.identity();
  const plan: Plan = {
    schemaVersion: 1,
    clusterId,
    steps: [{ id: 's1', ...step }],
    rationale: finding.explanation,
  };
  const hash = planHash(plan);
  const op = new Operation();
  op.act({
    type: 'RequestOperation',
    request: `fix ${expectation.kind} ${expectation.name}`,
    namespace: env.namespace,
    requestedBy: 'alice',
    teams: ['shop'],
    scope: { namespaces: [env.namespace] },
    cluster: { id: clusterId },
  });
  op.act({ type: 'RecordDiagnosis', findings: all.map(toFindingPayload) });
  op.act({ type: 'ProposePlan', plan });
  op.act({
    type: 'GrantApproval',
    planHash: hash,
    approver: 'bob',
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  });
  op.act({ type: 'StartExecution', planHash: hash });
  op.act({ type: 'StartStep', stepIndex: 0 });
  expect(op.state.phase).toBe('executing');
  return { op, step };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('decide/evolve from ProposePlan to SucceedStep / InvalidatePlan, against kube-sim', () => {
  it('quota-requires-limits: status changes after planning, the guard holds, the success is recorded', async () => {
    env = await runScenario('quota-requires-limits');
    const { op, step } = await approvedAndStarted(env);
    const { namespace, name } = step.target;
    // The ReplicaSet keeps retrying the pod the quota refuses: the Deployment's status moves.
    const churned = await until('a status write on the target', async () => {
      const live = (await env!.cluster.get(step.target.kind, namespace, name)) as KubeObject;
      return live.metadata.resourceVersion !== step.target.resourceVersion ? live : undefined;
    });
    expect(churned.metadata.generation).toBe(
      // The desired state is still the planned one: only status (and metadata) moved.
      (step.patch!.body as { path: string; value: unknown }[]).find(
        (o) => o.path === '/metadata/generation',
      )!.value,
    );
    const observed = await applyStep(step, env.cluster, { operationId: 'op-seam' });
    expect(observed.resourceVersionBefore).not.toBe(step.target.resourceVersion);
    op.act({ type: 'SucceedStep', stepIndex: 0, result: observed });
    op.act({ type: 'CompleteExecution' });
    expect(op.state.phase).toBe('executed');
    expect((await env.waitSolved(60_000)).ok).toBe(true);
  }, 120_000);

  it('readiness-probe-wrong-path: a person edits the spec after planning; drift is recorded, nothing written', async () => {
    env = await runScenario('readiness-probe-wrong-path');
    const { op, step } = await approvedAndStarted(env);
    const { kind, namespace, name } = step.target;
    await env.cluster.patch(kind, namespace, name, {
      type: 'merge',
      body: { spec: { minReadySeconds: 7 } },
    });
    const mark = env.sim.audit.entries().length;
    const error = await applyStep(step, env.cluster).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriftError);
    const drift = error as DriftError;
    expect(drift.changed).toBe('/metadata/generation');
    expect(
      env.sim.audit
        .entries()
        .slice(mark)
        .filter((e) => e.fieldManager === 'opsloop-executor' && !e.dryRun),
    ).toEqual([]);
    op.act({
      type: 'InvalidatePlan',
      stepIndex: 0,
      reason: drift.message.slice(0, 1000),
      actualResourceVersion: drift.live,
      changedPath: drift.changed,
    });
    expect(op.state.phase).toBe('invalidated');
  }, 120_000);
});
