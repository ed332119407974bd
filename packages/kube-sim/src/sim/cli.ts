/**
 * `opsloop sim --scenario <name|file>`: loads a scenario into the started sim through the
 * core's extension points (SIM_FLAGS, SIM_START_HOOKS). Its ImageBehavior documents go to
 * the per-sim registry that the kubelets read (`imageBehaviorsFor(sim)`; startKubeSim
 * passes the same live array to startControllers as `imageBehaviors`).
 */
import type { KubeSim } from '../kube-sim.ts';
import type { KObject } from '../api/types.ts';
import { SIM_FLAGS, type SimFlag } from '../cli/options.ts';
import { SIM_START_HOOKS, type SimStartHook } from '../cli/run.ts';
import { SimLoadError, type DocumentHandler } from '../loader/yaml.ts';
import { SimError } from './errors.ts';
import { parseImageBehavior, type ImageBehavior } from './image-behavior.ts';
import { applyLaterStages, createScenarioObjects } from './scenario-apply.ts';
import { loadScenario } from './scenario-load.ts';

const registries = new WeakMap<object, ImageBehavior[]>();

/** The user ImageBehavior documents loaded into this sim (live array: later loads append). */
export function imageBehaviorsFor(sim: object): ImageBehavior[] {
  let list = registries.get(sim);
  if (list === undefined) {
    list = [];
    registries.set(sim, list);
  }
  return list;
}

/** Makes `list` the registry of `sim` (startKubeSim: the array its kubelets already read). */
export function adoptImageBehaviors(sim: object, list: ImageBehavior[]): void {
  registries.set(sim, list);
}

/** A loader handler that validates ImageBehavior documents and appends them to `list`. */
export function imageBehaviorDocumentHandler(list: ImageBehavior[]): DocumentHandler {
  return (document: KObject, source: string) => {
    try {
      list.push(parseImageBehavior(document, source));
    } catch (error) {
      if (error instanceof SimError) throw new SimLoadError(error.message);
      throw error;
    }
  };
}

export const SCENARIO_FLAG: SimFlag = {
  name: 'scenario',
  value: 'NAME|FILE',
  help: 'load a scenario: a built-in name (e.g. healthy-shop) or a scenario YAML file',
  apply: (options, value) => void (options.extra.scenario = value),
};

const scenarioHook: SimStartHook = (sim: KubeSim, options) => {
  const nameOrPath = options.extra.scenario;
  if (typeof nameOrPath !== 'string') return;
  try {
    const scenario = loadScenario(nameOrPath);
    imageBehaviorsFor(sim).push(...scenario.imageBehaviors);
    createScenarioObjects(sim.api, scenario, sim.clock.nowIso());
    options.extra.scenarioSummary = `${scenario.name}: ${scenario.spec.summary}`;
    options.extra.scenarioNamespace = scenario.spec.namespace;
    // Later revisions wait for the cluster to settle; the command must not wait for them.
    applyLaterStages(sim.api, scenario, sim.clock).catch((error: unknown) => {
      console.error(
        `opsloop sim: scenario ${scenario.name}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  } catch (error) {
    if (error instanceof SimError) throw new SimLoadError(error.message);
    throw error;
  }
};

/** Registers the flag and the start hook once (idempotent). */
export function installScenarioCli(): void {
  if (!SIM_FLAGS.includes(SCENARIO_FLAG)) SIM_FLAGS.push(SCENARIO_FLAG);
  if (!SIM_START_HOOKS.includes(scenarioHook)) SIM_START_HOOKS.push(scenarioHook);
}
