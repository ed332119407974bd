/**
 * The simulated kube-controller-manager and node agents: one thin list of start calls.
 * startKubeSim (or the sim command) calls startControllers once with the API and the sim
 * clock, installs `hooks` with sim.setHooks, and routes pods/exec|attach upgrades to `node`.
 */
import type { ClusterApi, SimHooks } from '../api/types.ts';
import type { SimClock } from '../clock/clock.ts';
import { startNodeControllers, type NodeSide, type NodeSideOptions } from './node/mod.ts';
import { startWorkloadControllers, type WorkloadOptions } from './workloads/mod.ts';

export type ControllerOptions = WorkloadOptions & NodeSideOptions;

export interface Controllers {
  /** pods/log and the service proxy over the simulated workloads. */
  hooks: SimHooks;
  /** exec/attach, usage (kubectl top, HPA), connectivity checks. */
  node: NodeSide;
  stop(): void;
}

export function startControllers(
  api: ClusterApi,
  clock: SimClock,
  options: ControllerOptions = {},
): Controllers {
  const node = startNodeControllers(api, clock, options);
  const stops = [
    node.stop,
    startWorkloadControllers(api, clock, { podMetrics: node.podUsage, ...options }),
  ];
  return {
    hooks: node.hooks,
    node,
    stop: () => {
      for (const stop of stops.reverse()) stop();
    },
  };
}
