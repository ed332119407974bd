/**
 * Runs one kube-sim library scenario on the whole simulated cluster (kube-sim's
 * startScenarioSim: controllers, scheduler and kubelets on the sim's one clock), and gives
 * the tests a client that reaches it only through a kubeconfig, like `opsloop diagnose` does.
 */
import { startScenarioSim } from '@opsloop/kube-sim';
import type { KubeSim } from '@opsloop/kube-sim';
import { connectCluster } from '../../src/mod.ts';
import type { Cluster } from '../../src/mod.ts';

export const SPEED = 50;

export interface ScenarioEnv {
  name: string;
  namespace: string;
  sim: KubeSim;
  cluster: Cluster;
  /** Whether every verify check holds and no forbid check does. */
  solved(): Promise<{ ok: boolean; report: string }>;
  waitSolved(timeoutMs?: number): Promise<{ ok: boolean; report: string }>;
  stop(): Promise<void>;
}

export async function runScenario(name: string, speed = SPEED): Promise<ScenarioEnv> {
  const run = await startScenarioSim(name, { speed });
  const cluster = await connectCluster({ kubeconfigText: run.kubeconfig() });
  return {
    name,
    namespace: run.namespace,
    sim: run.sim,
    cluster,
    solved: () => run.solved(),
    waitSolved: (timeoutMs) => run.waitSolved(timeoutMs),
    stop: () => run.stop(),
  };
}
