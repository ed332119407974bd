/** Builds the top-level definition of a kind: apiVersion, kind, metadata plus its own fields. */
import type { Definition, Field } from './model.ts';

export function kindDef(
  name: string,
  gvk: { group: string; version: string; kind: string },
  description: string,
  fields: Record<string, Field>,
  open = false,
): Definition {
  return {
    name,
    description,
    gvk: [gvk],
    open,
    fields: {
      apiVersion: ['string', 'The versioned schema of this representation of the object.'],
      kind: ['string', 'The REST resource this object represents, in CamelCase.'],
      metadata: ['@ObjectMeta', 'Standard object metadata.'],
      ...fields,
    },
  };
}
