/** @opsloop/planner: from an OperationRequested to a diagnosis and a typed plan (or an answer). */
export { startPlanner, type PlannerOptions, type RunningPlanner } from './service.ts';
export { PlannerConfig, PLANNER_SETTINGS, DEFAULT_LIMITS, type PlannerLimits } from './config.ts';
export { handleEvent, PLANNER_ACTOR } from './flow.ts';
export { decideOutcome, PLANNER_ERRORS, type Decided } from './outcome.ts';
export { NoModelPlanner, scaled } from './no-model.ts';
export type { Planner, PlanningInput, Proposal, Decision } from './strategy.ts';
export {
  parseRequest,
  clean,
  type Intent,
  type ParsedRequest,
  type ScaleChange,
} from './intent.ts';
export { leadingNumber, parseCount } from './numbers.ts';
export { resolve, describe as describeTarget, type Resolution, type Resolved } from './resolve.ts';
export { checkTargets, checkLimits, matchesScope, type Violation } from './policy.ts';
export { gatherContext, contextSummary, type Context, type OperationInput } from './context.ts';
export { scopeFindings, injectionFindings, addressesAgent } from './diagnosis.ts';
export { errorGroups, logErrorsAnswer, logsAnswer, type PodLog } from './logs.ts';
export type { OpsLog } from './ops-log.ts';
export { readToolRunner, READ_TOOL_ERRORS, type ReadToolRunner } from './read-tools.ts';
export { Budget } from './context.ts';
export { ModelPlanner } from './model/planner.ts';
export { OllamaProvider } from './model/ollama.ts';
export { OpenAiProvider } from './model/openai.ts';
export { plannerFromConfig } from './model/from-config.ts';
export { MODEL_ERRORS, type ChatProvider } from './model/provider.ts';
export type { LoopSettings } from './model/loop.ts';
export type { ModelUsage } from './model/usage.ts';
