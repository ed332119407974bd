/**
 * OpenAPI for kube-sim: the swagger 2.0 document (/openapi/v2), the v3 index (/openapi/v3)
 * and one OpenAPI 3.0 document per group-version (/openapi/v3/apis/apps/v1), generated from
 * a compact model of the common kinds, plus unknown-field detection for strict field
 * validation. `kubectl explain` reads the v3 documents; `kubectl apply` reads them to learn
 * that the server validates fields itself.
 */
export {
  openapiV2,
  openapiV2Protobuf,
  openapiV3,
  openapiV3Index,
  openapiV3Paths,
  v3PathOf,
} from './documents.ts';
export { unknownFields } from './validate.ts';
