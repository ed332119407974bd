/**
 * The parts other modules of kube-sim contribute to the HTTP server: Table conversion
 * (src/tables), OpenAPI documents and unknown-field detection (src/openapi). Collected in
 * one object so the server can be started with alternatives in tests.
 */
import type { KObject } from '../api/types.ts';
import type { ResourceType } from '../resources.ts';
import { toTable } from '../tables/mod.ts';
import {
  openapiV2,
  openapiV2Protobuf,
  openapiV3,
  openapiV3Index,
  unknownFields,
} from '../openapi/mod.ts';

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export interface Extensions {
  toTable: (
    resource: ResourceType,
    objects: KObject[],
    options: { includeObject: IncludeObject; now: Date },
  ) => Record<string, unknown>;
  openapiV2: () => object;
  openapiV2Protobuf: () => Uint8Array;
  openapiV3Index: () => object;
  openapiV3: (groupVersionPath: string) => object | undefined;
  /** Paths of fields the schema does not know (for fieldValidation=Strict|Warn). */
  unknownFields: (object: KObject) => string[];
}

export function defaultExtensions(): Extensions {
  return {
    toTable: (resource, objects, options) =>
      toTable(resource, objects, options) as unknown as Record<string, unknown>,
    openapiV2: () => openapiV2() as object,
    openapiV2Protobuf,
    openapiV3Index: () => openapiV3Index() as object,
    openapiV3: (path) => openapiV3(path) as object | undefined,
    unknownFields,
  };
}
