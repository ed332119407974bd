/** The served OpenAPI documents: /openapi/v2, the /openapi/v3 index and one v3 document per group-version. */
import { createHash } from 'node:crypto';
import { RESOURCES, type ResourceType } from '../resources.ts';
import type { Definition } from './model.ts';
import { resourcePaths } from './paths.ts';
import { encodeSwaggerDocument } from './proto.ts';
import { definition, kindDefinition, referencedAlias } from './registry.ts';
import { closure, definitionSchema, type Dialect } from './schema.ts';

type Json = Record<string, unknown>;

const INFO = { title: 'Kubernetes', version: 'kube-sim' };

function schemas(resources: ResourceType[], dialect: Dialect): Record<string, Json> {
  const kinds = new Map<string, Definition>();
  for (const resource of resources) {
    const def = kindDefinition(resource);
    kinds.set(def.name, def);
  }
  const refs = [...kinds.values()].flatMap((def) =>
    Object.values(def.fields)
      .map(([type]) => referencedAlias(type === 'time' ? '@Time' : type))
      .filter((a): a is string => a !== undefined),
  );
  const all = new Map<string, Definition>(kinds);
  for (const alias of closure(refs)) all.set(definition(alias).name, definition(alias));
  const out: Record<string, Json> = {};
  for (const name of [...all.keys()].sort())
    out[name] = definitionSchema(all.get(name) as Definition, dialect);
  return out;
}

function paths(resources: ResourceType[], dialect: Dialect): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const resource of resources)
    Object.assign(out, resourcePaths(resource, kindDefinition(resource).name, dialect));
  return out;
}

/** "api/v1" or "apis/apps/v1": the key of a group-version in the v3 index. */
export function v3PathOf(resource: Pick<ResourceType, 'group' | 'version'>): string {
  return resource.group === ''
    ? `api/${resource.version}`
    : `apis/${resource.group}/${resource.version}`;
}

let v2Cache: Json | undefined;
const v3Cache = new Map<string, { doc: Json; hash: string }>();

export function openapiV2(): Json {
  v2Cache ??= {
    swagger: '2.0',
    info: INFO,
    paths: paths(RESOURCES, 'v2'),
    definitions: schemas(RESOURCES, 'v2'),
  };
  return v2Cache;
}

let v2ProtoCache: Uint8Array | undefined;

/**
 * /openapi/v2 as protobuf, for `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`
 * (answer with that content type). kubectl always asks for this form.
 */
export function openapiV2Protobuf(): Uint8Array {
  v2ProtoCache ??= encodeSwaggerDocument(openapiV2());
  return v2ProtoCache;
}

function v3Entry(path: string): { doc: Json; hash: string } | undefined {
  const cached = v3Cache.get(path);
  if (cached !== undefined) return cached;
  const resources = RESOURCES.filter((r) => v3PathOf(r) === path);
  if (resources.length === 0) return undefined;
  const doc = {
    openapi: '3.0.0',
    info: INFO,
    paths: paths(resources, 'v3'),
    components: { schemas: schemas(resources, 'v3') },
  };
  const entry = {
    doc,
    hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase(),
  };
  v3Cache.set(path, entry);
  return entry;
}

/** The /openapi/v3 discovery document: one entry per served group-version. */
export function openapiV3Index(): Json {
  const index: Record<string, { serverRelativeURL: string }> = {};
  const seen = new Set<string>();
  for (const resource of RESOURCES) {
    const path = v3PathOf(resource);
    if (seen.has(path)) continue;
    seen.add(path);
    const entry = v3Entry(path);
    if (entry !== undefined)
      index[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${entry.hash}` };
  }
  return { paths: index };
}

/** The v3 document of one group-version ("apis/apps/v1", leading slash and query ignored). */
export function openapiV3(path: string): Json | undefined {
  const clean =
    path
      .replace(/^\/+/, '')
      .replace(/^openapi\/v3\//, '')
      .split('?')[0] ?? '';
  return v3Entry(clean)?.doc;
}

/** The group-version keys of the v3 index, for the server's routing. */
export function openapiV3Paths(): string[] {
  return Object.keys((openapiV3Index().paths as Json) ?? {});
}
