/**
 * The ImageBehavior documents a sim has loaded. startKubeSim keeps one live array per sim
 * (`sim.imageBehaviors`); the kubelets read it on every container start, so documents
 * loaded later (loadYaml, a scenario) take effect for the next start.
 */
import type { KObject } from '../api/types.ts';
import { SimLoadError, type DocumentHandler } from '../loader/yaml.ts';
import { SimError } from './errors.ts';
import { parseImageBehavior, type ImageBehavior } from './image-behavior.ts';

const registries = new WeakMap<object, ImageBehavior[]>();

/** The ImageBehavior documents loaded into this sim (the same array as `sim.imageBehaviors`). */
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
