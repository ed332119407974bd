/** All definitions by short alias, and the definition of each served kind. */
import type { ResourceType } from '../resources.ts';
import { apisDefs } from './defs-apis.ts';
import { coreDefs } from './defs-core.ts';
import { metaDefs } from './defs-meta.ts';
import { podDefs } from './defs-pod.ts';
import { workloadDefs } from './defs-workloads.ts';
import { kindDef } from './kinds.ts';
import type { Definition } from './model.ts';

export const DEFINITIONS: Record<string, Definition> = {
  ...metaDefs,
  ...podDefs,
  ...coreDefs,
  ...workloadDefs,
  ...apisDefs,
};

export function definition(alias: string): Definition {
  const found = DEFINITIONS[alias];
  if (found === undefined) throw new Error(`openapi model has no definition "${alias}"`);
  return found;
}

function groupPackage(group: string): string {
  if (group === '') return 'core';
  return group.replace(/\.k8s\.io$/, '').replace(/\.authorization$/, '');
}

/**
 * The definition describing a served kind. A kind the model does not describe gets an open
 * one (metadata only), so every served kind has a schema with its GVK.
 */
export function kindDefinition(
  resource: Pick<ResourceType, 'group' | 'version' | 'kind'>,
): Definition {
  for (const def of Object.values(DEFINITIONS)) {
    if (
      def.gvk?.some(
        (g) =>
          g.group === resource.group && g.version === resource.version && g.kind === resource.kind,
      )
    )
      return def;
  }
  const name = `io.k8s.api.${groupPackage(resource.group)}.${resource.version}.${resource.kind}`;
  return kindDef(
    name,
    { group: resource.group, version: resource.version, kind: resource.kind },
    `${resource.kind} objects.`,
    {},
    true,
  );
}

/** The alias a field type refers to, if any: "@X", "[]@X", "map[@X]". */
export function referencedAlias(type: string): string | undefined {
  const match = /^(?:\[\]|map\[)?@([A-Za-z0-9]+)\]?$/.exec(type);
  return match?.[1];
}
