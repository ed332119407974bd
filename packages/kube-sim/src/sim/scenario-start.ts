/**
 * Loads a scenario into a starting sim: its ImageBehaviors join the kubelets' registry,
 * stage 0 is created at once, later stages follow once the cluster settles. Every failure
 * is a SimLoadError with one line naming the scenario and what is wrong.
 */
import type { ClusterApi } from '../api/types.ts';
import type { SimClock } from '../clock/clock.ts';
import { SimLoadError } from '../loader/yaml.ts';
import { SimError } from './errors.ts';
import type { ImageBehavior } from './image-behavior.ts';
import { applyLaterStages, createScenarioObjects } from './scenario-apply.ts';
import { loadScenario } from './scenario-load.ts';
import type { Scenario } from './scenario.ts';

function asLoadError(error: unknown): unknown {
  return error instanceof SimError ? new SimLoadError(error.message) : error;
}

/** A library name, a file path, or an already parsed scenario. */
export function resolveScenario(ref: string | Scenario): Scenario {
  if (typeof ref !== 'string') return ref;
  try {
    return loadScenario(ref);
  } catch (error) {
    throw asLoadError(error);
  }
}

/** Creates stage 0; returns the later stages' promise (marked handled: await it to see errors). */
export function loadScenarioInto(
  api: ClusterApi,
  clock: SimClock,
  imageBehaviors: ImageBehavior[],
  scenario: Scenario,
  createObjects = true,
): Promise<void> {
  imageBehaviors.push(...scenario.imageBehaviors);
  try {
    if (createObjects) createScenarioObjects(api, scenario, clock.nowIso());
  } catch (error) {
    throw asLoadError(error);
  }
  const later = applyLaterStages(api, scenario, clock).catch((error: unknown) => {
    throw new SimLoadError(
      `scenario ${scenario.name}: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  later.catch(() => undefined);
  return later;
}
