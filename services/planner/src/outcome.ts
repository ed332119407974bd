import {
  OpsError,
  PLAN_SCHEMA_VERSION,
  type Command,
  type ErrorInfo,
  type Finding as FindingPayload,
  type Plan,
} from '@opsloop/contracts';
import {
  InvalidArgsError,
  KubeApiError,
  PreconditionError,
  TargetNotFoundError,
  analyzeSnapshot,
  getAction,
  planStep,
} from '@opsloop/kube-tools';
import type { Cluster } from '@opsloop/kube-tools';
import type { PlannerLimits } from './config.ts';
import {
  Budget,
  contextSummary,
  gatherContext,
  type Context,
  type OperationInput,
} from './context.ts';
import { readToolRunner } from './read-tools.ts';
import { diagnosisPayload, injectionFindings, scopeFindings } from './diagnosis.ts';
import { parseRequest } from './intent.ts';
import { checkLimits, checkRequestNamespace, checkTargets, type TargetRef } from './policy.ts';
import { inSpan, PlannerAttr } from './spans.ts';
import type { Decision, ModelUsage, Planner, Proposal } from './strategy.ts';
import { ModelRunError } from './model/usage.ts';

/** A command of the outcome and the suffix of its deterministic event id. */
export interface Decided {
  suffix: string;
  command: Command;
}

export const PLANNER_ERRORS = {
  ClusterMismatch: 'OPS_ERR_CLUSTER_MISMATCH',
  PlanningFailed: 'OPS_ERR_PLANNING_FAILED',
} as const;

const close = (reason?: string): Decided => ({
  suffix: 'closed',
  command: reason === undefined ? { type: 'Close' } : { type: 'Close', reason },
});

export function failure(error: ErrorInfo): Decided[] {
  return [
    { suffix: 'failed', command: { type: 'Fail', error } },
    close(error.message.slice(0, 2000)),
  ];
}

/**
 * Everything the planner records for one request, in order: ContextGathered,
 * DiagnosisRecorded, then exactly one of PlanProposed / OperationAnswered /
 * PlanRejectedByPolicy / OperationFailed, and OperationClosed after all but a plan.
 * Reads the cluster only (planning is a server-side dry run). Throws only what the caller
 * may retry (the cluster unreachable, a 5xx); every other problem is an outcome.
 */
export async function decideOutcome(
  input: OperationInput,
  cluster: Cluster,
  planner: Planner,
  limits: PlannerLimits,
): Promise<Decided[]> {
  const identity = await inSpan(
    'tool cluster_identity',
    { [PlannerAttr.Tool]: 'cluster_identity' },
    () => cluster.identity(),
  );
  if (identity !== input.clusterId) {
    return failure({
      code: PLANNER_ERRORS.ClusterMismatch,
      message: `the request is for cluster ${input.clusterId}, but the planner is connected to cluster ${identity}; nothing was read or planned`,
      retryable: false,
    });
  }
  const parsed = parseRequest(input.request);
  const context = await gatherContext(cluster, input, parsed, limits);
  const allFindings = context.snapshot ? analyzeSnapshot(context.snapshot) : [];
  const r = context.resolution;
  const targets = r && 'found' in r ? [r.found, ...r.others] : [];
  const findings = context.snapshot ? scopeFindings(allFindings, context.snapshot, targets) : [];
  const flagged = injectionFindings(context.snapshot, context.logs);
  const budget = new Budget(cluster, limits, { calls: context.apiCalls, bytes: context.bytesRead });
  // Context and diagnosis are recorded after the decision, so that they carry what a model
  // cost and whether it was reachable; they come first in the operation all the same.
  const recorded = (model?: ModelUsage): Decided[] => [
    {
      suffix: 'context',
      command: {
        type: 'RecordContext',
        summary: withModel(contextSummary(context, limits), model),
        toolCalls: budget.spent().calls,
        truncated: context.truncated,
        ...(model ? { model } : {}),
      },
    },
    {
      suffix: 'diagnosis',
      command: {
        type: 'RecordDiagnosis',
        findings: [
          ...(model?.fallback ? [modelUnreachable(context.namespace, model.fallback)] : []),
          ...diagnosisPayload([...flagged, ...findings]),
        ].slice(0, 100),
      },
    },
  ];
  let decision: Decision;
  try {
    decision = await inSpan('planner decide', { [PlannerAttr.Intent]: parsed.intent.kind }, () =>
      planner.decide({
        request: input,
        parsed,
        context,
        findings: [...findings, ...flagged],
        allFindings,
        cluster,
        readTool: readToolRunner(cluster, budget, context.namespace ? [context.namespace] : []),
        limits,
      }),
    );
  } catch (error) {
    // A model that failed (timeout, HTTP error, invalid output, a bound): the operation's
    // failure, recorded after what was read and what it cost.
    if (error instanceof ModelRunError)
      return [...recorded(error.usage), ...failure(errorInfo(error))];
    throw error;
  }
  const decided = recorded(decision.model);
  if (decision.kind === 'answer') {
    return [
      ...decided,
      { suffix: 'answer', command: { type: 'Answer', answer: decision.answer } },
      close(),
    ];
  }
  return [
    ...decided,
    ...(await planned(
      decision.proposals,
      decision.rationale,
      input,
      context,
      cluster,
      planner,
      limits,
    )),
  ];
}

/** Policy on the targets first (nothing out of scope is even dry-run), then plan, then limits. */
async function planned(
  proposals: Proposal[],
  rationale: string,
  input: OperationInput,
  context: Context,
  cluster: Cluster,
  planner: Planner,
  limits: PlannerLimits,
): Promise<Decided[]> {
  const targets: TargetRef[] = [];
  for (const p of proposals) {
    try {
      const action = getAction(p.action);
      const args = action.schema.parse(p.args);
      targets.push(action.target(args as never));
    } catch (error) {
      return answerFor(
        `I could not use ${p.action} with ${JSON.stringify(p.args)}: ${(error as Error).message}`,
      );
    }
  }
  const refused = [
    ...checkTargets(targets, input.scope, limits),
    ...checkRequestNamespace(targets, context.namespace),
  ];
  if (refused.length > 0) return rejected({ type: 'RejectPlanByPolicy', violations: refused });
  const kubePolicy = { protectedNamespaces: limits.protectedNamespaces, allowProtected: [] };
  const steps = [];
  for (const [index, p] of proposals.entries()) {
    try {
      const step = await inSpan(`plan ${p.action}`, { [PlannerAttr.Tool]: 'plan_step' }, () =>
        planStep(p.action, p.args, cluster, kubePolicy),
      );
      steps.push({ id: `s${index + 1}`, ...step });
    } catch (error) {
      if (
        error instanceof TargetNotFoundError ||
        error instanceof PreconditionError ||
        error instanceof InvalidArgsError
      ) {
        return answerFor(
          `I could not plan ${p.action} on ${describeTarget(targets[index]!)}: ${error.message}. Nothing was changed.`,
        );
      }
      if (error instanceof KubeApiError && !error.retryable) {
        return failure({
          code: PLANNER_ERRORS.PlanningFailed,
          message:
            `planning ${p.action} on ${describeTarget(targets[index]!)} failed: ${error.message}`.slice(
              0,
              2000,
            ),
          retryable: false,
        });
      }
      throw error;
    }
  }
  const why = proposals.map((p, i) => `Step ${i + 1}: ${p.why}`).join('\n');
  const plan: Plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    clusterId: input.clusterId,
    steps,
    rationale: `${rationale}\n${why}\n(planned by ${planner.name})`.slice(0, 4000),
  };
  const breaches = checkLimits(plan, limits);
  if (breaches.length > 0)
    return rejected({ type: 'RejectPlanByPolicy', plan, violations: breaches });
  return [{ suffix: 'plan', command: { type: 'ProposePlan', plan } }];
}

function rejected(command: Extract<Command, { type: 'RejectPlanByPolicy' }>): Decided[] {
  const reason = `refused by policy: ${command.violations.map((v) => v.rule).join(', ')}`;
  return [{ suffix: 'policy-rejection', command }, close(reason)];
}

function answerFor(text: string): Decided[] {
  return [
    { suffix: 'answer', command: { type: 'Answer', answer: text.slice(0, 16_000) } },
    close(),
  ];
}

function describeTarget(t: TargetRef): string {
  return `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
}

/** An error as it crosses the service boundary in OperationFailed. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof OpsError && /^[A-Z][A-Z0-9_]{2,63}$/.test(error.code)) {
    return {
      code: error.code,
      message: error.message.slice(0, 2000) || 'failed',
      retryable: error.retryable,
    };
  }
  return {
    code: PLANNER_ERRORS.PlanningFailed,
    message: String((error as Error)?.message ?? error).slice(0, 2000) || 'failed',
    retryable: false,
  };
}

/** The diagnosis says when the model could not be reached and the analyzers planned alone. */
function modelUnreachable(namespace: string | null, reason: string): FindingPayload {
  return {
    code: 'MODEL_UNREACHABLE',
    severity: 'info',
    object: { kind: 'Namespace', namespace: null, name: namespace ?? 'default' },
    explanation:
      `The configured model could not be reached, so this request was planned without a model (analyzers only): ${reason}`.slice(
        0,
        2000,
      ),
    evidence: [],
  };
}

function withModel(summary: string, model: ModelUsage | undefined): string {
  if (!model) return summary;
  const line =
    `model: ${model.provider} ${model.name}, ${model.calls} calls, ${model.promptTokens} prompt tokens ` +
    `(largest ${model.maxPromptTokens}), ${model.completionTokens} completion tokens, ${model.toolCalls} tool calls, ${model.repairs} repairs` +
    (model.fallback ? `; not reachable, planned without a model` : '');
  return `${summary}\n${line}`.slice(0, 8000);
}
