import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenarioSim, type ScenarioSim } from '@opsloop/kube-sim';
import { analyzeSnapshot, connectCluster, loadSnapshot, type Cluster } from '@opsloop/kube-tools';
import type { createLogger } from '@opsloop/service-kit';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  ModelPlanner,
  OllamaProvider,
  OpenAiProvider,
  startPlanner,
  type ChatProvider,
  type LoopSettings,
} from '../../src/mod.ts';
import { ask, only, outcomeOf, startNats, type Nats } from '../helpers/env.ts';
import { waitForFault } from '../helpers/scenarios.ts';
import {
  promptText,
  startFakeOllama,
  startFakeOpenAi,
  type FakeModel,
  type Turn,
} from './fakes.ts';

/**
 * The model layer end to end: OperationRequested in, events out, through the real flow,
 * a real nats-server, kube-sim's payment-api-selector-mismatch scenario and fake model
 * servers speaking the real protocols.
 */
let nats: Nats;
let run: ScenarioSim;
let cluster: Cluster;
let clusterId: string;
let fix: { action: string; args: Record<string, unknown> };
const SETTINGS: LoopSettings = {
  mode: 'native',
  tokenBudget: 6000,
  maxToolCalls: 4,
  modelTimeoutMs: 3000,
  modelWallMs: 20_000,
};

beforeAll(async () => {
  nats = await startNats();
  run = await startScenarioSim('payment-api-selector-mismatch', { speed: 50 });
  cluster = await connectCluster({ kubeconfigText: run.kubeconfig() });
  clusterId = await cluster.identity();
  await waitForFault({ run, executor: cluster } as never, { kind: 'Service', name: 'payment-api' });
  const findings = analyzeSnapshot(await loadSnapshot(cluster, 'payments'));
  fix = findings.flatMap((f) => f.remediations).find((r) => r.action === 'PatchServiceSelector')!;
  expect(fix).toBeDefined();
}, 90_000);
afterAll(async () => {
  await run?.stop();
  await nats?.stop();
});

const lines: string[] = [];
async function plan(
  provider: ChatProvider,
  request: string,
  scope = ['payments'],
  settings = SETTINGS,
) {
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const planner = await startPlanner({
    log: nats.log,
    cluster: await connectCluster({ kubeconfigText: run.kubeconfig() }),
    logger: pino({ level: 'debug' }, sink) as unknown as ReturnType<typeof createLogger>,
    planner: new ModelPlanner(provider, settings),
  });
  try {
    return await outcomeOf(nats.log, await ask(nats.log, clusterId, request, { scope }), 40_000);
  } finally {
    await planner.stop();
  }
}

const REQUEST = 'payment-api is unreachable since the last deploy, fix it';
const ollama = (fake: FakeModel) => new OllamaProvider({ url: fake.url, model: 'qwen2.5:7b' });
const read: Turn = {
  calls: [
    { name: 'get_object', args: { kind: 'Service', namespace: 'payments', name: 'payment-api' } },
  ],
};
const propose = (args = fix.args, action = fix.action): Turn => ({
  calls: [
    {
      name: 'propose_plan',
      args: {
        steps: [{ action, args, why: 'the selector matches no pod' }],
        rationale: 'selector typo',
      },
    },
  ],
});

describe('model layer', () => {
  it('happy path (Ollama NDJSON): reads a tool, proposes the fix → PlanProposed planned through plan(), counts recorded', async () => {
    const fake = await startFakeOllama([read, propose()]);
    try {
      const events = await plan(ollama(fake), REQUEST);
      const step = only(events, 'PlanProposed').payload.plan.steps[0]!;
      expect(step.action).toBe('PatchServiceSelector');
      expect(step.target).toMatchObject({
        kind: 'Service',
        namespace: 'payments',
        name: 'payment-api',
      });
      expect(step.diff).toBeDefined();
      expect(only(events, 'PlanProposed').payload.plan.rationale).toMatch(
        /analyzers propose the same steps/,
      );
      const ctx = only(events, 'ContextGathered').payload;
      expect(ctx.model).toMatchObject({
        provider: 'ollama',
        name: 'qwen2.5:7b',
        calls: 2,
        toolCalls: 1,
        promptTokens: 2468,
        repairs: 0,
      });
      // The second request carried the tool result inside the nonce fence, not the system prompt.
      const second = fake.requests[1]!.messages as { role: string; content: string }[];
      const system = second[0]!.content;
      const nonce = /nonce="([0-9a-f]{16})"/.exec(system)![1]!;
      expect(second.find((m) => m.role === 'tool')!.content).toContain(
        `<cluster-data nonce="${nonce}" source="get_object"`,
      );
      expect(system).not.toMatch(/payment-api/);
      expect(fake.requests[0]!.stream).toBe(true);
      expect((fake.requests[0]!.tools as unknown[]).length).toBeGreaterThan(5);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it("the model and the analyzers disagree → the model's plan, with the analyzers' typed fix recorded beside it", async () => {
    const restart = { namespace: 'payments', kind: 'Deployment', name: 'payment-api' };
    const fake = await startFakeOllama([read, propose(restart, 'RolloutRestart')]);
    try {
      const events = await plan(ollama(fake), REQUEST);
      const proposed = only(events, 'PlanProposed').payload.plan;
      expect(proposed.steps.map((s) => s.action)).toEqual(['RolloutRestart']);
      expect(proposed.rationale).toMatch(/model and the analyzers disagree/);
      expect(proposed.rationale).toMatch(/PatchServiceSelector/);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('a tool that does not exist → an error back to the model, which recovers', async () => {
    const fake = await startFakeOllama([
      { calls: [{ name: 'kubectl_exec', args: { cmd: 'rm -rf /' } }] },
      propose(),
    ]);
    try {
      const events = await plan(ollama(fake), REQUEST);
      expect(only(events, 'PlanProposed').payload.plan.steps[0]!.action).toBe(
        'PatchServiceSelector',
      );
      expect(promptText(fake.requests[1]!)).toMatch(/there is no tool "kubectl_exec"/);
      expect(only(events, 'ContextGathered').payload.model?.repairs).toBe(1);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('invalid arguments are repaired (twice is still allowed: at most 2 repairs)', async () => {
    const bad = propose({ ...fix.args, replicas: 'many' });
    const fake = await startFakeOllama([bad, propose({ namespace: 'payments' }), propose()]);
    try {
      const events = await plan(ollama(fake), REQUEST);
      expect(only(events, 'PlanProposed').payload.plan.steps[0]!.action).toBe(
        'PatchServiceSelector',
      );
      expect(promptText(fake.requests[1]!)).toMatch(/invalid propose_plan: steps\.0\.args/);
      expect(only(events, 'ContextGathered').payload.model?.repairs).toBe(2);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('still invalid after 2 repairs → OperationFailed with the reason', async () => {
    const fake = await startFakeOllama(() => propose({ namespace: 'payments' }));
    try {
      const events = await plan(ollama(fake), REQUEST);
      const failed = only(events, 'OperationFailed').payload.error;
      expect(failed.code).toBe('OPS_ERR_MODEL_INVALID_OUTPUT');
      expect(failed.message).toMatch(/still invalid after 2 repairs: invalid propose_plan/);
      expect(fake.requests).toHaveLength(3);
      expect(only(events, 'ContextGathered').payload.model?.calls).toBe(3);
      expect(events.map((e) => e.type)).not.toContain('PlanProposed');
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it("a model touching another team's namespace → PlanRejectedByPolicy, nothing dry-run", async () => {
    const fake = await startFakeOllama([
      propose(
        { namespace: 'kube-system', kind: 'Deployment', name: 'coredns', replicas: 0 },
        'ScaleWorkload',
      ),
    ]);
    try {
      const events = await plan(ollama(fake), REQUEST);
      const refused = only(events, 'PlanRejectedByPolicy').payload;
      expect(refused.plan).toBeUndefined();
      expect(refused.violations.map((v) => v.rule)).toEqual(
        expect.arrayContaining(['protected-namespace', 'namespace-in-scope', 'request-namespace']),
      );
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it("a step naming an object outside the request's namespace, inside the team's scope → refused", async () => {
    const fake = await startFakeOllama([propose({ ...fix.args, namespace: 'payments-staging' })]);
    try {
      const events = await plan(ollama(fake), REQUEST, ['payments', 'payments-staging']);
      const refused = only(events, 'PlanRejectedByPolicy').payload;
      expect(refused.violations).toEqual([
        expect.objectContaining({ rule: 'request-namespace', stepIndex: 0 }),
      ]);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('a model that never finishes → OperationFailed at the loop bound', async () => {
    const fake = await startFakeOllama(() => read);
    try {
      const events = await plan(ollama(fake), REQUEST);
      const failed = only(events, 'OperationFailed').payload.error;
      expect(failed.code).toBe('OPS_ERR_MODEL_LOOP_BOUND');
      expect(fake.requests.length).toBe(SETTINGS.maxToolCalls + 4);
      expect(only(events, 'ContextGathered').payload.model?.toolCalls).toBe(SETTINGS.maxToolCalls);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('a model that does not answer in time → OperationFailed (timeout), not a stuck operation', async () => {
    const fake = await startFakeOllama([{ hang: true }]);
    try {
      const started = Date.now();
      const events = await plan(ollama(fake), REQUEST, ['payments'], {
        ...SETTINGS,
        modelTimeoutMs: 1000,
      });
      expect(only(events, 'OperationFailed').payload.error).toMatchObject({
        code: 'OPS_ERR_MODEL_TIMEOUT',
        message: expect.stringMatching(
          /did not answer in time \(one model call may take 1000 ms\)/,
        ),
      });
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('HTTP 500 (OpenAI-compatible) → OperationFailed naming the status', async () => {
    const fake = await startFakeOpenAi([{ status: 500, error: 'CUDA out of memory' }]);
    try {
      const events = await plan(new OpenAiProvider({ url: fake.url, model: 'llama3' }), REQUEST);
      const error = only(events, 'OperationFailed').payload.error;
      expect(error.code).toBe('OPS_ERR_MODEL_FAILED');
      expect(error.message).toMatch(
        /openai-compatible model llama3 at http:\/\/127\.0\.0\.1:\d+\/v1 answered HTTP 500/,
      );
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('OpenAI SSE happy path with the API key: key sent as Bearer, never in events or logs', async () => {
    const key = 'sk-test-9f8e7d6c5b4a39281706';
    const fake = await startFakeOpenAi([read, propose()]);
    try {
      const events = await plan(
        new OpenAiProvider({ url: fake.url, model: 'gpt-x', apiKey: key }),
        REQUEST,
      );
      expect(only(events, 'PlanProposed').payload.plan.steps[0]!.action).toBe(
        'PatchServiceSelector',
      );
      expect(fake.headers[0]!.authorization).toBe(`Bearer ${key}`);
      expect(only(events, 'ContextGathered').payload.model).toMatchObject({
        provider: 'openai-compatible',
        promptTokens: 4690,
      });
      expect(JSON.stringify(events)).not.toContain(key);
      expect(lines.join('')).not.toContain(key);
      expect(lines.length).toBeGreaterThan(0);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('model unreachable → planned without a model, and the diagnosis says so', async () => {
    const fake = await startFakeOllama([]);
    const url = fake.url;
    await fake.stop();
    const events = await plan(new OllamaProvider({ url, model: 'qwen2.5:7b' }), REQUEST);
    expect(only(events, 'PlanProposed').payload.plan.steps[0]!.action).toBe('PatchServiceSelector');
    expect(only(events, 'PlanProposed').payload.plan.rationale).toMatch(
      /The model was not used: .*cannot be reached/,
    );
    const diagnosis = only(events, 'DiagnosisRecorded').payload.findings;
    expect(diagnosis[0]).toMatchObject({ code: 'MODEL_UNREACHABLE', severity: 'info' });
    expect(only(events, 'ContextGathered').payload.model?.fallback).toMatch(/cannot be reached/);
  }, 60_000);

  it('JSON-output mode (no native tools): the protocol in the prompt, the reply parsed and validated', async () => {
    const fake = await startFakeOllama([
      {
        content:
          'Let me look.\n```json\n{"tool": "get_object", "args": {"kind": "Service", "namespace": "payments", "name": "payment-api"}}\n```',
      },
      { content: 'not json at all' },
      {
        content: JSON.stringify({
          tool: 'propose_plan',
          args: {
            steps: [{ action: fix.action, args: fix.args, why: 'selector' }],
            rationale: 'typo',
          },
        }),
      },
    ]);
    try {
      const events = await plan(ollama(fake), REQUEST, ['payments'], { ...SETTINGS, mode: 'json' });
      expect(only(events, 'PlanProposed').payload.plan.steps[0]!.action).toBe(
        'PatchServiceSelector',
      );
      expect(fake.requests[0]!.tools).toBeUndefined();
      expect(promptText(fake.requests[0]!)).toMatch(/Reply with exactly one JSON object/);
      expect(promptText(fake.requests[2]!)).toMatch(
        /Invalid reply: the reply holds no JSON object/,
      );
    } finally {
      await fake.stop();
    }
  }, 60_000);
});
