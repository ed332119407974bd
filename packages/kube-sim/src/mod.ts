/**
 * @opsloop/kube-sim: a Kubernetes API server (and, with the controllers, a simulated
 * cluster) that the real kubectl and @kubernetes/client-node talk to.
 */
export { startKubeSim, type KubeSim, type KubeSimOptions } from './kube-sim.ts';
export {
  runSimCommand,
  SIM_DOCUMENT_HANDLERS,
  SIM_START_HOOKS,
  type SimStartHook,
} from './cli/run.ts';
export { SIM_FLAGS, parseSimArgs, type SimCommandOptions, type SimFlag } from './cli/options.ts';
export { SimLoadError, type DocumentHandler } from './loader/yaml.ts';
export { ApiError } from './api/errors.ts';
export { Cluster } from './api/cluster.ts';
export type { AuditEntry } from './server/audit.ts';
export type { UserSpec } from './server/auth.ts';
export type * from './api/types.ts';
export { RESOURCES, findKind, findResource, type ResourceType } from './resources.ts';
export { createClock, type SimClock } from './clock/clock.ts';
export { startControllers, type Controllers, type ControllerOptions } from './controllers/mod.ts';
export type { NodeSide, PodUsage, ExecResult } from './controllers/node/mod.ts';
// Image behaviour, the process/shell model and scenarios (src/sim/mod.ts).
export * from './sim/mod.ts';

// `opsloop sim --scenario <name|file>` (src/sim/cli.ts) registers through the CLI's extension points.
import { installScenarioCli } from './sim/cli.ts';
installScenarioCli();
