/**
 * Prompt tokens per operation and the planner's own overhead per model call, over the
 * kube-sim scenario library, with a scripted in-process model (it reads one tool, then
 * proposes the analyzers' first typed fix from the fenced findings, or answers), beside
 * the no-model planner on the same request in the same run.
 *
 *   npm run bench:model --workspace @opsloop/planner      [-- --rounds 3]
 *
 * Both sides run decideOutcome (context, analyzers, decision, dry-run planning) against
 * the same sim; the model side's time minus the no-model time minus the time spent inside
 * the scripted model is the model layer's overhead (prompt building, fencing, validation,
 * budget fitting, spans, and the one read-tool call the script makes).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startScenarioSim } from '@opsloop/kube-sim';
import { waitForFault } from './fault-shows.ts';
import { connectCluster } from '@opsloop/kube-tools';
import { DEFAULT_LIMITS, ModelPlanner, NoModelPlanner, decideOutcome } from '../src/mod.ts';
import type { ChatMessage, ChatProvider, ChatReply } from '../src/model/provider.ts';
import { promptTokens } from '../src/model/tokens.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] ?? 3) || 3;
const library = fileURLToPath(new URL('../../../packages/kube-sim/scenarios/', import.meta.url));
const names = readdirSync(library)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

/** The scripted model: one read, then the first fix in the findings fence, else an answer. */
class ScriptedModel implements ChatProvider {
  readonly provider = 'ollama' as const;
  readonly model = 'scripted';
  readonly endpoint = 'in-process';
  spentMs = 0;
  largest = 0;
  /** Of the largest prompt: fixed (system + tools), the request with findings, the rest. */
  parts = { fixed: 0, request: 0, results: 0 };
  private readonly namespace: string;
  constructor(namespace: string) {
    this.namespace = namespace;
  }
  async chat(messages: ChatMessage[], tools: unknown): Promise<ChatReply> {
    const t0 = performance.now();
    const tokens = promptTokens(messages, tools as never);
    if (tokens > this.largest) {
      this.largest = tokens;
      const fixed = promptTokens(messages.slice(0, 1), tools as never);
      const request = promptTokens(messages.slice(1, 2), null);
      this.parts = { fixed, request, results: tokens - fixed - request };
    }
    const turn = messages.filter((m) => m.role === 'assistant').length;
    let reply: ChatReply;
    if (turn === 0) {
      reply = {
        content: '',
        toolCalls: [
          {
            id: 'c1',
            name: 'events',
            arguments: { namespace: this.namespace, warningsOnly: true, limit: 20 },
          },
        ],
      };
    } else {
      const user = messages[1]!.content;
      const body = /source="findings"[^\n]*\n(.*)\n<\/cluster-data/.exec(user)?.[1] ?? '[]';
      const findings = JSON.parse(body.replace(/…$/, '')) as {
        fix: { action: string; args: Record<string, unknown> }[];
      }[];
      const fix = findings.flatMap((f) => f.fix)[0];
      reply = {
        content: '',
        toolCalls: [
          fix
            ? {
                id: 'c2',
                name: 'propose_plan',
                arguments: {
                  steps: [{ ...fix, why: 'the analyzers’ fix' }],
                  rationale: 'as diagnosed',
                },
              }
            : {
                id: 'c2',
                name: 'answer',
                arguments: { answer: 'Nothing to change that a catalog action can do.' },
              },
        ],
      };
    }
    this.spentMs += performance.now() - t0;
    return reply;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const perOpLargest: number[] = [];
const perOpTotal: number[] = [];
const overheadPerCall: number[] = [];
const baselineMs: number[] = [];
const parts = { fixed: [] as number[], request: [] as number[], results: [] as number[] };
const modelMs: number[] = [];

for (const name of names) {
  const run = await startScenarioSim(name, { speed: 50 });
  try {
    const cluster = await connectCluster({ kubeconfigText: run.kubeconfig() });
    const ns = run.namespace;
    await waitForFault(cluster, ns, 30_000);
    const input = {
      opId: `bench-${name}`,
      request: run.scenario.spec.request,
      namespace: ns,
      scope: [ns],
      clusterId: await cluster.identity(),
      requestedBy: 'bench@example.com',
    };
    let tokens = 0;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await decideOutcome(input, cluster, new NoModelPlanner(), DEFAULT_LIMITS);
      const base = performance.now() - t0;
      const fake = new ScriptedModel(ns);
      const planner = new ModelPlanner(fake, {
        mode: 'native',
        tokenBudget: 6000,
        maxToolCalls: 8,
        modelTimeoutMs: 60_000,
        modelWallMs: 180_000,
      });
      const t1 = performance.now();
      const decided = await decideOutcome(input, cluster, planner, DEFAULT_LIMITS);
      const total = performance.now() - t1;
      const ctx = decided.find((d) => d.command.type === 'RecordContext')!.command as {
        model?: { calls: number; promptTokens: number; maxPromptTokens: number };
      };
      const calls = ctx.model?.calls ?? 0;
      baselineMs.push(base);
      modelMs.push(total);
      if (calls > 0) overheadPerCall.push((total - base - fake.spentMs) / calls);
      if (i === 0 && ctx.model) {
        perOpLargest.push(ctx.model.maxPromptTokens);
        perOpTotal.push(ctx.model.promptTokens);
        tokens = ctx.model.maxPromptTokens;
        parts.fixed.push(fake.parts.fixed);
        parts.request.push(fake.parts.request);
        parts.results.push(fake.parts.results);
      }
    }
    console.log(`${name.padEnd(36)} largest prompt ${String(tokens).padStart(5)} tokens`);
  } finally {
    await run.stop();
  }
}

console.log(
  `\n${names.length} scenarios × ${rounds} rounds, scripted model (2 calls: one read, then finish)`,
);
console.log(
  `largest prompt per operation: median ${median(perOpLargest)}, max ${Math.max(...perOpLargest)} tokens (goal median ≤ 3000)`,
);
console.log(
  `of the largest prompt, median: fixed (system prompt + tool schemas) ${median(parts.fixed)}, request + findings ${median(parts.request)}, tool results ${median(parts.results)}`,
);
console.log(
  `prompt tokens per operation (all calls): median ${median(perOpTotal)}, max ${Math.max(...perOpTotal)}`,
);
console.log(
  `planner overhead per model call: median ${median(overheadPerCall).toFixed(1)} ms, max ${Math.max(...overheadPerCall).toFixed(1)} ms (excluding the model's own time)`,
);
console.log(
  `decideOutcome, no model (baseline, same run): median ${median(baselineMs).toFixed(1)} ms; with the scripted model: median ${median(modelMs).toFixed(1)} ms`,
);
