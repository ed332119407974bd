import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenarioSim, type ScenarioSim } from '@opsloop/kube-sim';
import { connectCluster, type ToolOutput } from '@opsloop/kube-tools';
import { createLogger } from '@opsloop/service-kit';
import {
  startPlanner,
  type Decision,
  type Planner,
  type PlanningInput,
  type RunningPlanner,
} from '../src/mod.ts';
import { ask, only, outcomeOf, startNats, type Nats } from './helpers/env.ts';

/**
 * The seam a model plugs into: a strategy that reads through the planner's read tools and
 * proposes steps by catalog name and args. Whatever it proposes goes through planStep and
 * the policy in the flow; what it reads is validated, bounded and kept to the namespace.
 */
class ScriptedPlanner implements Planner {
  readonly name = 'scripted';
  readonly reads: (ToolOutput | string)[] = [];
  private readonly proposals: Decision;
  constructor(proposals: Decision) {
    this.proposals = proposals;
  }
  async decide(input: PlanningInput): Promise<Decision> {
    const attempt = async (tool: string, args: unknown) => {
      try {
        this.reads.push(await input.readTool(tool, args));
      } catch (error) {
        this.reads.push(`${(error as { code?: string }).code}: ${(error as Error).message}`);
      }
    };
    await attempt('service_analysis', { namespace: 'payments', service: 'payment-api' });
    await attempt('service_analysis', { namespace: 'kube-system', service: 'kube-dns' });
    await attempt('delete_everything', {});
    await attempt('pod_logs', { namespace: 'payments', pod: 'x', tailLines: 100000 });
    return this.proposals;
  }
}

let nats: Nats;
let run: ScenarioSim;
let clusterId: string;
let planner: RunningPlanner | undefined;
beforeAll(async () => {
  nats = await startNats();
  run = await startScenarioSim('payment-api-selector-mismatch', { speed: 50 });
  clusterId = await (await connectCluster({ kubeconfigText: run.kubeconfig() })).identity();
}, 60_000);
afterAll(async () => {
  await planner?.stop();
  await run?.stop();
  await nats?.stop();
});

const withStrategy = async (strategy: Planner) => {
  await planner?.stop();
  planner = await startPlanner({
    log: nats.log,
    cluster: await connectCluster({ kubeconfigText: run.kubeconfig() }),
    logger: createLogger('planner-test', 'silent'),
    planner: strategy,
  });
};

describe('a strategy plugged into the planner', () => {
  it('reads through validated, namespace-bound read tools; its step is planned by the catalog', async () => {
    const strategy = new ScriptedPlanner({
      kind: 'plan',
      proposals: [
        {
          action: 'ScaleWorkload',
          args: { namespace: 'payments', kind: 'Deployment', name: 'payment-api', replicas: 3 },
          why: 'more capacity',
        },
      ],
      rationale: 'the strategy asked for three replicas',
    });
    await withStrategy(strategy);
    const events = await outcomeOf(
      nats.log,
      await ask(nats.log, clusterId, 'payment-api needs more capacity', { scope: ['payments'] }),
    );
    const { plan } = only(events, 'PlanProposed').payload;
    expect(plan.steps[0]).toMatchObject({
      action: 'ScaleWorkload',
      target: { name: 'payment-api' },
      risk: 'low',
    });
    expect(plan.steps[0]!.diff.length).toBeGreaterThan(0);
    expect(plan.rationale).toContain('(planned by scripted)');
    const [ok, otherNamespace, unknown, invalid] = strategy.reads;
    expect(typeof ok === 'string' ? ok : 'read').toBe('read');
    expect((ok as ToolOutput).tool).toBe('service_analysis');
    expect(otherNamespace).toMatch(
      /^OPS_ERR_INVALID_TOOL_ARGS: service_analysis may read only namespace payments/,
    );
    expect(unknown).toMatch(/^OPS_ERR_UNKNOWN_TOOL: no read tool "delete_everything"/);
    expect(invalid).toMatch(
      /^OPS_ERR_INVALID_TOOL_ARGS: invalid arguments for pod_logs: tailLines/,
    );
  }, 60_000);

  it("a proposed step outside the requester's namespaces is refused before it is planned", async () => {
    await withStrategy(
      new ScriptedPlanner({
        kind: 'plan',
        proposals: [
          {
            action: 'RolloutRestart',
            args: { namespace: 'payments', kind: 'Deployment', name: 'payment-api' },
            why: 'fine',
          },
          {
            action: 'ScaleWorkload',
            args: { namespace: 'billing', kind: 'Deployment', name: 'invoices', replicas: 0 },
            why: 'cluster text said so',
          },
        ],
        rationale: 'obeys injected text',
      }),
    );
    const events = await outcomeOf(
      nats.log,
      await ask(nats.log, clusterId, 'restart payment-api', { scope: ['payments'] }),
    );
    const refused = only(events, 'PlanRejectedByPolicy').payload;
    expect(refused.plan).toBeUndefined();
    expect(refused.violations).toEqual([
      expect.objectContaining({ rule: 'namespace-in-scope', stepIndex: 1 }),
      // The request is about payments: a step elsewhere breaks that rule too.
      expect.objectContaining({ rule: 'request-namespace', stepIndex: 1 }),
    ]);
  }, 60_000);

  it('an action outside the catalog is an answer saying so, never a plan', async () => {
    await withStrategy(
      new ScriptedPlanner({
        kind: 'plan',
        proposals: [{ action: 'DeleteNamespace', args: { name: 'payments' }, why: 'x' }],
        rationale: 'x',
      }),
    );
    const events = await outcomeOf(
      nats.log,
      await ask(nats.log, clusterId, 'clean up payments', { scope: ['payments'] }),
    );
    expect(only(events, 'OperationAnswered').payload.answer).toMatch(
      /"DeleteNamespace" is not an action in the catalog/,
    );
  }, 60_000);
});
