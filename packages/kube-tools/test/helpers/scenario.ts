/**
 * Runs one kube-sim library scenario on the whole simulated cluster (kube-sim's own
 * controllers, scheduler and kubelets, on the sim's one clock, which also stamps object
 * times), and gives the tests a client that reaches it only through a kubeconfig, like
 * `opsloop diagnose` does.
 */
import {
  applyScenario,
  evaluateScenario,
  imageBehaviorsFor,
  loadScenario,
  startKubeSim,
} from '@opsloop/kube-sim';
import type { KubeSim } from '@opsloop/kube-sim';
import { connectCluster, KubeApiError } from '../../src/mod.ts';
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
  const scenario = loadScenario(name);
  const sim = await startKubeSim({ port: 0, speed });
  // The kubelets read this registry; the scenario's image behaviours join it before any pod runs.
  imageBehaviorsFor(sim).push(...scenario.imageBehaviors);
  const applied = applyScenario(sim.api, scenario, sim.clock);
  const cluster = await connectCluster({ kubeconfigText: sim.kubeconfig() });
  // The scenario's own yardstick, observed through the API server's service proxy.
  const proxy = async (ns: string, service: string, port: number | string, path: string) => {
    try {
      const body = await cluster.request<string>(
        'GET',
        `/api/v1/namespaces/${ns}/services/${service}:${port}/proxy${path}`,
        { text: true, accept: '*/*' },
      );
      return { status: 200, body };
    } catch (error) {
      if (error instanceof KubeApiError) return { status: error.status, body: error.message };
      throw error;
    }
  };
  const solved = async () => {
    const evaluation = await evaluateScenario(sim.api, scenario, proxy);
    const report = [
      ...evaluation.verify.map((c) => `verify ${c.ok ? 'ok' : 'FAIL'}: ${c.observed}`),
      ...evaluation.forbid.filter((c) => !c.ok).map((c) => `forbid VIOLATED: ${c.observed}`),
    ].join('; ');
    return { ok: evaluation.ok, report };
  };
  return {
    name,
    namespace: scenario.spec.namespace,
    sim,
    cluster,
    solved,
    async waitSolved(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last = await solved();
      while (!last.ok && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        last = await solved();
      }
      return last;
    },
    async stop() {
      // Later scenario stages may still be waiting for the cluster to settle; they end with the sim.
      applied.catch(() => undefined);
      await sim.stop();
    },
  };
}
