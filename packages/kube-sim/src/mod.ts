/**
 * @opsloop/kube-sim: a simulated Kubernetes cluster (API server, controllers, scheduler,
 * kubelets, network) that the real kubectl and @kubernetes/client-node talk to.
 * This entry lists what other packages use; importing it has no side effects.
 */
export { startKubeSim, type KubeSim, type KubeSimOptions } from './kube-sim.ts';
export {
  startScenarioSim,
  type ScenarioSim,
  type ScenarioSimOptions,
  type ScenarioVerdict,
} from './scenario-sim.ts';
export { runSimCommand } from './cli/run.ts';
export { SimLoadError } from './loader/yaml.ts';
export { ApiError } from './api/errors.ts';
export type { UserSpec } from './server/auth.ts';
export type { AuditEntry } from './server/audit.ts';
export type { ClusterApi, KObject, UserInfo, SimHooks } from './api/types.ts';
export { findKind, findResource, type ResourceType } from './resources.ts';
export type { SimClock } from './clock/clock.ts';
export { SimError, SimErrorCode } from './sim/errors.ts';
export { parseImageBehavior, type ImageBehavior } from './sim/image-behavior.ts';
export { parseScenario, type Scenario, type ScenarioSpec } from './sim/scenario.ts';
export type { Check } from './sim/scenario-schema.ts';
export { listScenarios, loadScenario, SCENARIO_DIR } from './sim/scenario-load.ts';
export { evaluateScenario, type Evaluation, type CheckResult } from './sim/evaluate.ts';
