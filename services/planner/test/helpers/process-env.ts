/**
 * What a test of the planner as its own process needs: a real nats-server, a kube-sim
 * scenario, its kubeconfig written to a file (as a pod would mount it) and the cluster's id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScenarioSim, type ScenarioSim } from '@opsloop/kube-sim';
import { connectCluster } from '@opsloop/kube-tools';
import { startNats, type Nats } from './env.ts';

export interface ProcessEnv {
  nats: Nats;
  run: ScenarioSim;
  /** A temporary directory for the kubeconfig and other files; removed by stop(). */
  dir: string;
  kubeconfig: string;
  clusterId: string;
  stop(): Promise<void>;
}

export async function startProcessEnv(scenario: string): Promise<ProcessEnv> {
  const nats = await startNats();
  const run = await startScenarioSim(scenario, { speed: 50 });
  const dir = mkdtempSync(join(tmpdir(), 'planner-proc-'));
  const kubeconfig = join(dir, 'kubeconfig');
  run.sim.writeKubeconfig(kubeconfig);
  const clusterId = await (await connectCluster({ kubeconfigPath: kubeconfig })).identity();
  return {
    nats,
    run,
    dir,
    kubeconfig,
    clusterId,
    async stop() {
      await run.stop();
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
