// Cluster access
export { connectCluster, loadKubeConfig } from './cluster.ts';
export type { Cluster, ConnectOptions, PatchType, RequestStats } from './cluster.ts';
export * from './errors.ts';
export type { KubeObject, ObjectKey } from './types.ts';
export { redact, redactEnvValue, redactValue, quote, quoteJson, tailBound } from './redact.ts';
export * as validation from './validation.ts';

// Actions
export {
  ACTIONS,
  getAction,
  planStep,
  isApplied,
  inverseOf,
  actionJsonSchemas,
} from './actions/catalog.ts';
export { DEFAULT_POLICY, FIELD_MANAGER } from './actions/types.ts';
export { applyStep } from './actions/apply.ts';
export { OPERATION_ANNOTATION } from './actions/write.ts';
export { stepPermissions, reviewStepAccess } from './actions/permissions.ts';
export type { AccessDenial, AccessReview, KubeRequest } from './actions/permissions.ts';
export type {
  ActionDefinition,
  ApplyOptions,
  PlannedStep,
  Policy,
  StepObservation,
} from './actions/types.ts';

// Checks
export { CHECKS, runCheck, checkJsonSchemas, toVerdict } from './checks/catalog.ts';
export type { CheckDefinition, Evaluation } from './checks/types.ts';
export type { CheckVerdict } from '@opsloop/contracts';

// Read tools
export { READ_TOOLS } from './read/tools.ts';
export { renderForModel, jsonSchemaOf } from './read/types.ts';
export type { ReadTool, ToolOutput } from './read/types.ts';

// Analyzers and diagnosis
export { ANALYZERS, analyzeSnapshot } from './analyzers/run.ts';
export { loadSnapshot, loadClusterScoped, emptySnapshot } from './analyzers/snapshot.ts';
export type { Snapshot } from './analyzers/snapshot.ts';
export { toFindingPayload } from './analyzers/types.ts';
export type { Analyzer, Finding, FindingObject, Remediation, Severity } from './analyzers/types.ts';
export { diagnose, runDiagnoseCommand, parseDiagnoseArgs } from './diagnose/command.ts';
export { findingJson, formatReport } from './diagnose/format.ts';
