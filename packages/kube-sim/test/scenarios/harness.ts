/**
 * Runs one library scenario in an in-process kube-sim (controllers included) at high speed,
 * and observes it the way Opsloop does: through @kubernetes/client-node (and the real
 * kubectl for the fixes a person would type).
 */
import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  type CoreV1Event,
  type V1Pod,
} from '@kubernetes/client-node';
import type { SimClock } from '../../src/clock/clock.ts';
import type { Controllers } from '../../src/controllers/mod.ts';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import { evaluateScenario, type Evaluation, type ServiceProxy } from '../../src/sim/evaluate.ts';
import type { Scenario } from '../../src/sim/scenario.ts';
import { Kubectl } from '../helpers/kubectl.ts';

export const SPEED = 50;

export interface ScenarioRun {
  scenario: Scenario;
  namespace: string;
  sim: KubeSim;
  clock: SimClock;
  controllers: Controllers;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  autoscaling: AutoscalingV2Api;
  networking: NetworkingV1Api;
  kubectl: Kubectl;
  /** Resolves once every later revision of the scenario has been applied. */
  applied: Promise<void>;
  /** Polls (every 50 ms, real time) until `check` yields a value, or fails naming `what`. */
  waitFor<T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    timeoutMs?: number,
  ): Promise<T>;
  pods(labelSelector?: string): Promise<V1Pod[]>;
  events(reason?: string): Promise<CoreV1Event[]>;
  /** Waits for a Warning/Normal event with this reason whose message matches. */
  event(reason: string, message: RegExp, timeoutMs?: number): Promise<CoreV1Event>;
  logs(pod: string, container?: string, previous?: boolean): Promise<string>;
  evaluate(): Promise<Evaluation>;
  /** Waits until the scenario's verify checks all hold and no forbid check does. */
  solved(timeoutMs?: number): Promise<Evaluation>;
  stop(): Promise<void>;
}

export async function runScenario(name: string, speed = SPEED): Promise<ScenarioRun> {
  const sim = await startKubeSim({ port: 0, speed, scenario: name });
  const scenario = sim.scenario!;
  const namespace = scenario.spec.namespace;
  const { clock } = sim;
  const controllers = sim.controllers!;
  const applied = sim.scenarioApplied;
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  const core = kc.makeApiClient(CoreV1Api);
  const waitFor = async <T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    timeoutMs = 20_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const value = await check();
        if (value !== undefined && value !== false) return value;
      } catch (error) {
        last = error;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
  };
  const events = async (reason?: string) => {
    const list = await core.listNamespacedEvent({ namespace });
    return list.items.filter((e) => reason === undefined || e.reason === reason);
  };
  const proxy: ServiceProxy = async (ns, service, port, path) => {
    try {
      const body = await core.connectGetNamespacedServiceProxyWithPath({
        name: `${service}:${port}`,
        namespace: ns,
        path: path.slice(1),
      });
      return { status: 200, body: String(body) };
    } catch (error) {
      if (error instanceof ApiException) return { status: error.code, body: String(error.body) };
      throw error;
    }
  };
  const evaluate = () => evaluateScenario(sim.api, scenario, proxy);
  return {
    scenario,
    namespace,
    sim,
    clock,
    controllers,
    core,
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    autoscaling: kc.makeApiClient(AutoscalingV2Api),
    networking: kc.makeApiClient(NetworkingV1Api),
    kubectl: new Kubectl(sim),
    applied,
    waitFor,
    pods: async (labelSelector) =>
      (await core.listNamespacedPod({ namespace, ...(labelSelector ? { labelSelector } : {}) }))
        .items,
    events,
    event: (reason, message, timeoutMs) =>
      waitFor(
        `event ${reason} ~ ${message}`,
        async () => (await events(reason)).find((e) => message.test(e.message ?? '')),
        timeoutMs,
      ),
    logs: async (pod, container, previous) =>
      String(
        await core.readNamespacedPodLog({
          name: pod,
          namespace,
          ...(container ? { container } : {}),
          ...(previous ? { previous } : {}),
        }),
      ),
    evaluate,
    solved: (timeoutMs = 30_000) =>
      waitFor(
        'verify to hold with no forbid violated',
        async () => {
          const result = await evaluate();
          return result.ok ? result : undefined;
        },
        timeoutMs,
      ).catch(async (error: unknown) => {
        const result = await evaluate();
        const failing = [
          ...result.verify.filter((r) => !r.ok),
          ...result.forbid.filter((r) => !r.ok),
        ];
        throw new Error(`${String(error)}; failing: ${JSON.stringify(failing)}`);
      }),
    stop: () => sim.stop(),
  };
}

/** The pods of one workload, by its app.kubernetes.io/name label. */
export const app = (name: string) => `app.kubernetes.io/name=${name}`;
