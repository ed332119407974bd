/** The resource verbs over HTTP: get, list, watch, create, update, patch, delete, deletecollection. */
import { fromStorage, needsConversion } from '../api/convert.ts';
import { badRequest, ApiError, methodNotAllowed, notFound } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import type { DeleteOptions } from '../api/gc.ts';
import { groupVersion, verbsOf, type ResourceType } from '../resources.ts';
import type { Entry } from '../store/store.ts';
import type { Call, ServerContext } from './context.ts';
import type { IncludeObject } from './extensions.ts';
import { dryRunOf, fieldManagerOf, intParam, patchTypeOf, wantsTable } from './params.ts';
import { partialList, partialObject, wantsPartialMetadata } from './partial-metadata.ts';
import { parseBody, sendJson, sendText } from './respond.ts';
import { serveWatch } from './watch.ts';

function includeObjectOf(call: Call): IncludeObject {
  const v = call.query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function render(
  call: Call,
  ctx: ServerContext,
  resource: ResourceType,
  entry: Entry,
): string {
  return needsConversion(resource)
    ? JSON.stringify(fromStorage(resource, entry.object))
    : entry.json();
}

function table(ctx: ServerContext, call: Call, objects: KObject[]): Record<string, unknown> {
  return ctx.extensions.toTable(call.resource, objects, {
    includeObject: includeObjectOf(call),
    now: new Date(ctx.cluster.now()),
  });
}

/**
 * fieldValidation=Strict refuses fields the schema does not know (400, like the API
 * server's strict decoder); Warn answers them as Warning headers.
 */
function checkFields(ctx: ServerContext, call: Call, object: KObject): void {
  const mode = call.query.get('fieldValidation');
  if (mode !== 'Strict' && mode !== 'Warn') return;
  const unknown = ctx.extensions.unknownFields(object);
  if (unknown.length === 0) return;
  if (mode === 'Warn') {
    call.res.setHeader(
      'Warning',
      unknown.map((f) => `299 - "unknown field \\"${f}\\""`),
    );
    return;
  }
  const list = unknown.map((f) => `unknown field "${f}"`).join(', ');
  throw badRequest(
    `${object.kind} in version "${call.resource.version}" cannot be handled as a ${object.kind}: strict decoding error: ${list}`,
  );
}

function objectBody(call: Call): KObject {
  const body = parseBody(
    call.body,
    call.req.headers['content-type'] ?? 'application/json',
  ) as KObject;
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the body of the request must be an object');
  body.metadata ??= {};
  const r = call.resource;
  if (r.namespaced && call.info.namespace !== undefined) {
    if (
      body.metadata.namespace !== undefined &&
      body.metadata.namespace !== '' &&
      body.metadata.namespace !== call.info.namespace
    )
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    body.metadata.namespace = call.info.namespace;
  }
  if (body.kind !== undefined && body.kind !== r.kind && !r.group.startsWith('authorization'))
    throw badRequest(
      `the API version in the data (${body.apiVersion}) does not match the expected API version (${groupVersion(r)})`,
    );
  body.apiVersion ??= groupVersion(r);
  body.kind ??= r.kind;
  return body;
}

export function handleGet(ctx: ServerContext, call: Call): void {
  const { resource, info } = call;
  const entry = ctx.cluster.entry(resource, info.namespace, info.name!);
  if (!entry) throw notFound(resource, info.name!);
  if (wantsTable(call))
    return sendJson(call.res, 200, table(ctx, call, [fromStorage(resource, entry.object)]));
  if (wantsPartialMetadata(call, 'PartialObjectMetadata'))
    return sendJson(call.res, 200, partialObject(fromStorage(resource, entry.object)));
  sendText(call.res, 200, render(call, ctx, resource, entry));
}

export function handleList(ctx: ServerContext, call: Call): void {
  const { resource, info, query } = call;
  if (info.verb === 'watch') {
    const tableMode = wantsTable(call);
    ctx.activeWatches.add(call.res);
    call.res.on('close', () => ctx.activeWatches.delete(call.res));
    serveWatch(ctx.cluster.store, call.req, call.res, {
      resource,
      namespace: resource.namespaced ? info.namespace : undefined,
      query,
      bookmarkIntervalMs: ctx.bookmarkIntervalMs,
      plain: !tableMode && !needsConversion(resource),
      render: (entry, object) =>
        tableMode ? JSON.stringify(table(ctx, call, [object])) : render(call, ctx, resource, entry),
    });
    return;
  }
  const page = ctx.cluster.listPage(resource, info.namespace, {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit: intParam(call, 'limit'),
    continue: query.get('continue') ?? undefined,
  });
  const metadata = {
    resourceVersion: String(page.resourceVersion),
    ...(page.continue ? { continue: page.continue } : {}),
    ...(page.remainingItemCount !== undefined
      ? { remainingItemCount: page.remainingItemCount }
      : {}),
  };
  if (wantsTable(call)) {
    const objects = page.entries.map((e) => fromStorage(resource, e.object));
    return sendJson(call.res, 200, { ...table(ctx, call, objects), metadata });
  }
  if (wantsPartialMetadata(call, 'PartialObjectMetadataList')) {
    const objects = page.entries.map((e) => fromStorage(resource, e.object));
    return sendJson(call.res, 200, partialList(objects, metadata));
  }
  const items = page.entries.map((e) => render(call, ctx, resource, e)).join(',');
  const head = JSON.stringify({
    kind: `${resource.kind}List`,
    apiVersion: groupVersion(resource),
    metadata,
  });
  sendText(call.res, 200, `${head.slice(0, -1)},"items":[${items}]}`);
}

export function handleCreate(ctx: ServerContext, call: Call): void {
  const object = objectBody(call);
  checkFields(ctx, call, object);
  const created = ctx.cluster.create(call.resource, object, {
    user: call.identity.user,
    dryRun: dryRunOf(call),
    fieldManager: fieldManagerOf(call),
  });
  sendJson(call.res, 201, created);
}

export function handleUpdate(ctx: ServerContext, call: Call, subresource?: 'status'): void {
  const object = objectBody(call);
  checkFields(ctx, call, object);
  if (object.metadata.name !== undefined && object.metadata.name !== call.info.name)
    throw badRequest(
      `the name of the object (${object.metadata.name}) does not match the name on the URL (${call.info.name})`,
    );
  object.metadata.name = call.info.name;
  const updated = ctx.cluster.update(call.resource, object, {
    user: call.identity.user,
    dryRun: dryRunOf(call),
    fieldManager: fieldManagerOf(call),
    ...(subresource ? { subresource } : {}),
  });
  sendJson(call.res, 200, updated);
}

export function handlePatch(ctx: ServerContext, call: Call, subresource?: 'status'): void {
  const contentType = call.req.headers['content-type'] ?? '';
  const type = patchTypeOf(contentType);
  call.audit.patchType = contentType.split(';')[0];
  const patch = parseBody(call.body, contentType);
  const force = call.query.get('force') === 'true';
  if (force && type !== 'apply')
    throw badRequest('Forbidden: may not be specified for non-apply patch');
  const existed =
    ctx.cluster.entry(call.resource, call.info.namespace, call.info.name!) !== undefined;
  const result = ctx.cluster.patch(
    call.resource,
    call.info.namespace,
    call.info.name!,
    type,
    patch,
    {
      user: call.identity.user,
      dryRun: dryRunOf(call),
      fieldManager: fieldManagerOf(call, type === 'apply'),
      force,
      ...(subresource ? { subresource } : {}),
    },
  );
  sendJson(call.res, existed ? 200 : 201, result);
}

function deleteOptionsOf(call: Call): DeleteOptions & { dryRun: boolean } {
  let body: Record<string, unknown> = {};
  if (call.body.length > 0 && call.body.toString().trim() !== '')
    body = parseBody(call.body, 'application/json') as Record<string, unknown>;
  const policy = (call.query.get('propagationPolicy') ?? body['propagationPolicy']) as
    DeleteOptions['propagationPolicy'] | undefined;
  const orphan = call.query.get('orphanDependents') ?? body['orphanDependents'];
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy))
    throw new ApiError(
      422,
      'Invalid',
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    );
  const bodyDryRun = Array.isArray(body['dryRun']) && (body['dryRun'] as string[]).includes('All');
  const dryRun = dryRunOf(call) || bodyDryRun;
  call.audit.dryRun = dryRun;
  const grace =
    intParam(call, 'gracePeriodSeconds') ?? (body['gracePeriodSeconds'] as number | undefined);
  return {
    dryRun,
    ...(policy
      ? { propagationPolicy: policy }
      : orphan === true || orphan === 'true'
        ? { propagationPolicy: 'Orphan' as const }
        : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(body['preconditions']
      ? { preconditions: body['preconditions'] as DeleteOptions['preconditions'] }
      : {}),
  };
}

export function handleDelete(ctx: ServerContext, call: Call): void {
  const { resource, info } = call;
  const options = deleteOptionsOf(call);
  const result = ctx.cluster.delete(resource, info.namespace, info.name!, {
    user: call.identity.user,
    ...options,
  });
  const stillThere = result?.metadata.deletionTimestamp !== undefined && !options.dryRun;
  const returnsObject =
    resource.kind === 'Pod' || resource.kind === 'Namespace' || stillThere || options.dryRun;
  if (returnsObject) return sendJson(call.res, 200, result);
  sendJson(call.res, 200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: info.name,
      group: resource.group,
      kind: resource.plural,
      uid: result?.metadata.uid,
    },
  });
}

export function handleDeleteCollection(ctx: ServerContext, call: Call): void {
  const { resource, info, query } = call;
  if (!verbsOf(resource).includes('deletecollection')) throw methodNotAllowed();
  const options = deleteOptionsOf(call);
  const victims = ctx.cluster.listPage(resource, info.namespace, {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  }).entries;
  const deleted: KObject[] = [];
  for (const entry of victims) {
    const m = entry.object.metadata;
    const result = ctx.cluster.delete(resource, m.namespace, m.name!, {
      user: call.identity.user,
      ...options,
    });
    if (result) deleted.push(result);
  }
  sendJson(call.res, 200, {
    kind: `${resource.kind}List`,
    apiVersion: groupVersion(resource),
    metadata: {},
    items: deleted,
  });
}
