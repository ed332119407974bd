import { contextSummary } from '../context.ts';
import { NoModelPlanner } from '../no-model.ts';
import type { Decision, Planner, PlanningInput, Proposal } from '../strategy.ts';
import { runModelLoop, type LoopSettings } from './loop.ts';
import { MODEL_ERRORS, type ChatProvider } from './provider.ts';
import { ModelRunError, type ModelUsage } from './usage.ts';

/**
 * A Planner backed by a model. The analyzers' decision (the no-model planner's) is made
 * first: it is the fallback when the model cannot be reached, and it stays in the record
 * beside the model's when the two disagree. What the model returns is catalog actions and
 * args only; the flow plans and polices them like any other proposal.
 */
export class ModelPlanner implements Planner {
  readonly name: string;
  private readonly provider: ChatProvider;
  private readonly settings: LoopSettings;
  private readonly baseline: Planner;

  constructor(
    provider: ChatProvider,
    settings: LoopSettings,
    baseline: Planner = new NoModelPlanner(),
  ) {
    this.provider = provider;
    this.settings = settings;
    this.baseline = baseline;
    this.name = `model ${provider.provider}/${provider.model}`;
  }

  async decide(input: PlanningInput): Promise<Decision> {
    const analyzers = await this.baseline.decide(input);
    const { context } = input;
    // Nothing the model could read (no namespace, or it does not exist): the analyzers' answer.
    if (context.namespace === null || !context.namespaceExists || context.snapshot === null) {
      return analyzers;
    }
    let run;
    try {
      run = await runModelLoop(
        this.provider,
        this.settings,
        {
          request: input.request.request,
          requestedBy: input.request.requestedBy,
          namespace: context.namespace,
          context: contextSummary(context, input.limits),
          findings: input.findings,
        },
        input.readTool,
      );
    } catch (error) {
      if (error instanceof ModelRunError && error.code === MODEL_ERRORS.Unreachable) {
        return fallback(analyzers, error.message, error.usage);
      }
      throw error;
    }
    const { final, usage } = run;
    if (final.kind === 'answer') {
      const also = analyzers.kind === 'plan' ? `\n\n${analyzerFix(analyzers.proposals)}` : '';
      return { kind: 'answer', answer: `${final.answer}${also}`.slice(0, 16_000), model: usage };
    }
    const proposals: Proposal[] = final.plan.steps.map((s) => ({
      action: s.action,
      args: s.args,
      why: s.why,
    }));
    return {
      kind: 'plan',
      proposals,
      rationale: `${this.name}: ${final.plan.rationale}\n${comparison(proposals, analyzers)}`,
      model: usage,
    };
  }
}

function fallback(analyzers: Decision, reason: string, usage: ModelUsage): Decision {
  const note = `The model was not used: ${reason}. Planned without a model (analyzers only).`;
  const model = { ...usage, fallback: reason.slice(0, 1000) };
  return analyzers.kind === 'plan'
    ? { ...analyzers, rationale: `${note}\n${analyzers.rationale}`, model }
    : { kind: 'answer', answer: `${note}\n\n${analyzers.answer}`.slice(0, 16_000), model };
}

const key = (p: Proposal) => `${p.action} ${canonical(p.args)}`;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function describe(p: Proposal): string {
  return `${p.action} ${JSON.stringify(p.args)}`;
}

function analyzerFix(proposals: Proposal[]): string {
  return `The analyzers' typed fix (ask for it to get it as a plan): ${proposals
    .map((p, i) => `${i + 1}. ${describe(p)} — ${p.why}`)
    .join(' ')}`.slice(0, 3000);
}

/** Where the model and the analyzers disagree, the record shows both. */
function comparison(model: Proposal[], analyzers: Decision): string {
  if (analyzers.kind === 'answer') {
    return `The analyzers proposed no change: ${analyzers.answer.slice(0, 400)}`;
  }
  const mine = new Set(model.map(key));
  const theirs = new Set(analyzers.proposals.map(key));
  if (mine.size === theirs.size && [...mine].every((k) => theirs.has(k))) {
    return 'The analyzers propose the same steps.';
  }
  return `The model and the analyzers disagree. ${analyzerFix(analyzers.proposals)}`;
}
