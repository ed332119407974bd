import type { Cluster, Finding } from '@opsloop/kube-tools';
import type { PlannerLimits } from './config.ts';
import type { Context, OperationInput } from './context.ts';
import type { ParsedRequest } from './intent.ts';
import type { ReadToolRunner } from './read-tools.ts';
import type { ModelUsage } from './model/usage.ts';

/**
 * The seam between the event flow and whatever decides what to do. The flow gathers
 * context, runs the analyzers and records the diagnosis; a Planner then chooses steps (by
 * catalog action and args only) or an answer. The flow plans every step through the
 * action's own `plan()` and applies the policy, whoever proposed it: a model strategy plugs
 * in here without touching the flow, and cannot put a target, patch or namespace into a
 * plan that the catalog and policy did not derive.
 */
export interface Planner {
  /** Recorded in the plan's rationale and the span, e.g. "no-model". */
  readonly name: string;
  decide(input: PlanningInput): Promise<Decision>;
}

export interface PlanningInput {
  request: OperationInput;
  parsed: ParsedRequest;
  context: Context;
  /** Analyzer findings about what the request names (all of the namespace's when it names nothing). */
  findings: Finding[];
  /** Every finding of the namespace, for answers that say what else is wrong. */
  allFindings: Finding[];
  /** Read-only access for strategies that need more than the context (models' read tools). */
  cluster: Cluster;
  /** kube-tools' read tools by name: validated, bounded by the request's budget, spanned. */
  readTool: ReadToolRunner;
  limits: PlannerLimits;
}

/** A step as a strategy proposes it: a catalog action and its arguments, and why. */
export interface Proposal {
  action: string;
  args: Record<string, unknown>;
  why: string;
}

/** What a model cost and whether it was used; recorded in ContextGathered. */
export type { ModelUsage } from './model/usage.ts';

export type Decision = (
  { kind: 'plan'; proposals: Proposal[]; rationale: string } | { kind: 'answer'; answer: string }
) & { model?: ModelUsage };
