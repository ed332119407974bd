/**
 * The simulation's public surface: image behaviour, the process and shell model the kubelet
 * runs, and scenarios. Re-exported from the package entry (src/mod.ts).
 */
export { SimError, SimErrorCode } from './errors.ts';
export { parseImageRef, sameImage, type ImageRef } from './image-ref.ts';
export {
  imageBehaviorSchema,
  parseImageBehavior,
  SIM_API_VERSION,
  type ImageBehavior,
  type ImageBehaviorSpec,
} from './image-behavior.ts';
export {
  statusFor,
  bodyFor,
  type ResolvedImage,
  type Listener,
  type HttpBehavior,
  type PullOutcome,
} from './resolved.ts';
export { resolveImage, pullSucceeds } from './catalog.ts';
export {
  pullFailedMessage,
  pullErrorDetail,
  execNotFoundMessage,
  kubeletMessages,
} from './messages.ts';
export type {
  NetworkProbe,
  Reachability,
  HttpCall,
  DnsLookup,
  SimEnvironment,
  LogLine,
  ListeningPort,
  ProcessExit,
  ExitReason,
} from './runtime-types.ts';
export {
  startContainer,
  execInContainer,
  type ExecOutcome,
  effectiveArgv,
  expandKubeVars,
  type ContainerInput,
  type ContainerOutcome,
  type StartError,
} from './process.ts';
export { runShell, runArgv, parseDuration, type ShellContext, type ShellResult } from './shell.ts';
export { jsonPath, parseJsonPath, type JsonPathResult } from './jsonpath.ts';
export { parseScenario, type Scenario, type ScenarioSpec } from './scenario.ts';
export type {
  Check,
  ObjectAssertion,
  ServiceAssertion,
  DeletedAssertion,
} from './scenario-schema.ts';
export { loadScenario, listScenarios, scenarioPath, SCENARIO_DIR } from './scenario-load.ts';
export {
  scenarioObjects,
  applyScenario,
  createScenarioObjects,
  applyLaterStages,
  SCENARIO_USER,
} from './scenario-apply.ts';
export { imageBehaviorsFor, SCENARIO_FLAG, installScenarioCli } from './cli.ts';
export { generateNodes, KUBELET_STOPPED_ANNOTATION } from './scenario-nodes.ts';
export {
  evaluateScenario,
  checkHolds,
  type Evaluation,
  type CheckResult,
  type ServiceProxy,
} from './evaluate.ts';
