/**
 * The operations of each resource, enough for clients that inspect them: kubectl decides
 * whether the server validates fields itself by finding, in the group-version document, a
 * PATCH operation tagged with the kind's x-kubernetes-group-version-kind that takes the
 * `fieldValidation` query parameter (then it sends fieldValidation=Strict and skips its
 * own schema check).
 *
 * PATCH deliberately does not list application/strategic-merge-patch+json as a request
 * body: kubectl then computes strategic merge patches from its compiled-in Go types, which
 * are complete, instead of from this compact model, which is not. The server still accepts
 * strategic merge patches.
 */
import { groupVersion, verbsOf, type ResourceType } from '../resources.ts';
import type { Dialect } from './schema.ts';

type Json = Record<string, unknown>;

const QUERY_PARAMS: [string, string][] = [
  ['dryRun', 'When present (All), the change is validated and admitted but not persisted.'],
  ['fieldManager', 'Name of the actor making the change, recorded in managedFields.'],
  [
    'fieldValidation',
    'Ignore, Warn or Strict: how unknown and duplicate fields in the request body are handled.',
  ],
];

function parameter(
  name: string,
  description: string,
  dialect: Dialect,
  where: 'query' | 'path' = 'query',
): Json {
  const base: Json = { name, in: where, description };
  if (where === 'path') base.required = true;
  return dialect === 'v2'
    ? { ...base, type: 'string', uniqueItems: true }
    : { ...base, schema: { type: 'string', uniqueItems: true } };
}

function basePath(resource: ResourceType): string {
  return resource.group === ''
    ? `/api/${resource.version}`
    : `/apis/${resource.group}/${resource.version}`;
}

function operationId(action: string, resource: ResourceType): string {
  const group = resource.group
    .split('.')
    .filter((p) => p !== 'k8s' && p !== 'io')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
  const version = resource.version.charAt(0).toUpperCase() + resource.version.slice(1);
  const scope = resource.namespaced ? 'Namespaced' : '';
  return `${action}${group || 'Core'}${version}${scope}${resource.kind}`;
}

function operation(
  resource: ResourceType,
  action: string,
  verb: string,
  schemaName: string,
  dialect: Dialect,
  body?: string[],
): Json {
  const ref =
    dialect === 'v2' ? `#/definitions/${schemaName}` : `#/components/schemas/${schemaName}`;
  const op: Json = {
    description: `${action} ${resource.kind}`,
    operationId: operationId(action, resource),
    tags: [groupVersion(resource).replace('/', '_')],
    parameters: body !== undefined ? QUERY_PARAMS.map(([n, d]) => parameter(n, d, dialect)) : [],
    'x-kubernetes-action': verb,
    'x-kubernetes-group-version-kind': {
      group: resource.group,
      version: resource.version,
      kind: resource.kind,
    },
  };
  if (dialect === 'v2') {
    op.responses = { '200': { description: 'OK', schema: { $ref: ref } } };
    if (body !== undefined) {
      op.consumes = body;
      (op.parameters as Json[]).unshift({
        name: 'body',
        in: 'body',
        required: true,
        schema: { type: 'object' },
      });
    }
  } else {
    op.responses = {
      '200': { description: 'OK', content: { 'application/json': { schema: { $ref: ref } } } },
    };
    if (body !== undefined) {
      op.requestBody = {
        required: true,
        content: Object.fromEntries(body.map((type) => [type, { schema: { type: 'object' } }])),
      };
    }
  }
  return op;
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

/** The path items of one resource, keyed by URL template. */
export function resourcePaths(
  resource: ResourceType,
  schemaName: string,
  dialect: Dialect,
): Record<string, Json> {
  const verbs = verbsOf(resource);
  const ns = resource.namespaced ? '/namespaces/{namespace}' : '';
  const collection = `${basePath(resource)}${ns}/${resource.plural}`;
  const item = `${collection}/{name}`;
  const common = (withName: boolean): Json[] => [
    ...(withName ? [parameter('name', `name of the ${resource.kind}`, dialect, 'path')] : []),
    ...(resource.namespaced
      ? [
          parameter(
            'namespace',
            'object name and auth scope, such as for teams and projects',
            dialect,
            'path',
          ),
        ]
      : []),
  ];
  const paths: Record<string, Json> = {};
  const coll: Json = { parameters: common(false) };
  if (verbs.includes('list')) coll.get = operation(resource, 'list', 'list', schemaName, dialect);
  if (verbs.includes('create'))
    coll.post = operation(resource, 'create', 'post', schemaName, dialect, [
      'application/json',
      'application/yaml',
    ]);
  paths[collection] = coll;
  if (verbs.some((v) => ['get', 'update', 'patch', 'delete'].includes(v))) {
    const one: Json = { parameters: common(true) };
    if (verbs.includes('get')) one.get = operation(resource, 'read', 'get', schemaName, dialect);
    if (verbs.includes('update'))
      one.put = operation(resource, 'replace', 'put', schemaName, dialect, [
        'application/json',
        'application/yaml',
      ]);
    if (verbs.includes('patch'))
      one.patch = operation(resource, 'patch', 'patch', schemaName, dialect, PATCH_TYPES);
    if (verbs.includes('delete'))
      one.delete = operation(resource, 'delete', 'delete', schemaName, dialect);
    paths[item] = one;
  }
  return paths;
}
