/**
 * startScenarioSim: a whole library scenario (or scenario file) on a simulated cluster, for
 * tests and tools. Object checks read the in-process API; service checks go through the
 * API server's real service proxy over HTTPS with the admin token, as a user's would.
 */
import { request } from 'node:https';
import { parse } from 'yaml';
import { startKubeSim, type KubeSim, type KubeSimOptions } from './kube-sim.ts';
import { evaluateScenario, type Evaluation, type ServiceProxy } from './sim/evaluate.ts';
import type { Scenario } from './sim/scenario.ts';
import type { Check } from './sim/scenario-schema.ts';

export type ScenarioSimOptions = Omit<KubeSimOptions, 'scenario'>;

export interface ScenarioVerdict {
  ok: boolean;
  /** One line per failing check (all checks when ok is false), e.g. `verify FAIL Deployment web {.status.availableReplicas}: (no value)`. */
  report: string;
  evaluation: Evaluation;
}

export interface ScenarioSim {
  sim: KubeSim;
  scenario: Scenario;
  /** The scenario's `spec.namespace`. */
  namespace: string;
  /** Resolves when the later stages are applied; rejects with a SimLoadError. */
  applied: Promise<void>;
  /** Kubeconfig YAML for `user` (default admin). */
  kubeconfig(user?: string): string;
  /** Whether, right now, every verify check holds and no forbid check does. */
  solved(): Promise<ScenarioVerdict>;
  /** Polls solved() every 250 ms until ok or `timeoutMs` (default 30 s); returns the last verdict. */
  waitSolved(timeoutMs?: number): Promise<ScenarioVerdict>;
  stop(): Promise<void>;
}

function describeCheck(check: Check): string {
  if ('description' in check && typeof check.description === 'string') return check.description;
  if ('service' in check) return `service ${check.service}:${check.port}${check.path}`;
  return `${check.kind} ${check.name}${'jsonpath' in check ? ` ${check.jsonpath}` : ''}`;
}

function report(evaluation: Evaluation): string {
  return [
    ...evaluation.verify
      .filter((c) => !c.ok)
      .map((c) => `verify FAIL ${describeCheck(c.item)}: ${c.observed}`),
    ...evaluation.forbid
      .filter((c) => !c.ok)
      .map((c) => `forbid VIOLATED ${describeCheck(c.item)}: ${c.observed}`),
  ].join('; ');
}

/** GET through `/api/v1/namespaces/{ns}/services/{svc}:{port}/proxy{path}` on the real server. */
export function httpsServiceProxy(url: string, token: string): ServiceProxy {
  return (namespace, service, port, path) =>
    new Promise((resolve, reject) => {
      const target = new URL(
        `/api/v1/namespaces/${namespace}/services/${service}:${port}/proxy${path}`,
        url,
      );
      const req = request(
        target,
        { headers: { authorization: `Bearer ${token}` }, rejectUnauthorized: false },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.setTimeout(15_000, () => req.destroy(new Error('service proxy timed out')));
      req.end();
    });
}

function tokenIn(kubeconfig: string): string {
  const config = parse(kubeconfig) as { users: { user: { token: string } }[] };
  return config.users[0]!.user.token;
}

/** Starts a sim with the scenario loaded (default speed 50). */
export async function startScenarioSim(
  scenario: string | Scenario,
  options: ScenarioSimOptions = {},
): Promise<ScenarioSim> {
  const sim = await startKubeSim({ speed: 50, ...options, scenario });
  const loaded = sim.scenario!;
  const proxy = httpsServiceProxy(sim.url, tokenIn(sim.kubeconfig()));
  const solved = async (): Promise<ScenarioVerdict> => {
    const evaluation = await evaluateScenario(sim.api, loaded, proxy);
    return { ok: evaluation.ok, report: report(evaluation), evaluation };
  };
  return {
    sim,
    scenario: loaded,
    namespace: loaded.spec.namespace,
    applied: sim.scenarioApplied,
    kubeconfig: (user) => sim.kubeconfig(user),
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
    stop: () => sim.stop(),
  };
}
