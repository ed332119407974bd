/**
 * One HTTP request: authenticate, impersonate, authorize, route, audit. Non-resource paths
 * (discovery, version, health, OpenAPI) are answered here; resource requests go to crud.ts
 * and the subresource handlers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, forbidden, methodNotAllowed, resourceNotFound } from '../api/errors.ts';
import type { AuthorizationAttributes, UserInfo } from '../api/types.ts';
import { forbiddenMessage, reviewAccess } from '../rbac/mod.ts';
import { findResource, verbsOf } from '../resources.ts';
import { MUTATING_VERBS } from './audit.ts';
import { impersonate, type Authenticator, type Identity } from './auth.ts';
import type { Call, ServerContext } from './context.ts';
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
} from './crud.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, VERSION_INFO } from './discovery.ts';
import { handleLogs } from './logs.ts';
import { METRICS_GROUP, METRICS_VERSION, metricsResourceList, serveMetrics } from './metrics.ts';
import { handleBinding, handleEviction } from './pod-actions.ts';
import { handleServiceProxy } from './proxy.ts';
import { parseRequestInfo, type RequestInfo } from './request-info.ts';
import { parseBody, readBody, sendError, sendJson, sendText } from './respond.ts';
import { handleScale } from './scale.ts';
import { handleTokenRequest } from './token.ts';

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);
const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

function attributesOf(info: RequestInfo): AuthorizationAttributes {
  if (!info.isResourceRequest)
    return { verb: info.verb, apiGroup: '', resource: '', nonResourcePath: info.path };
  return {
    verb: info.verb,
    apiGroup: info.group,
    resource: info.resource,
    ...(info.subresource ? { subresource: info.subresource } : {}),
    ...(info.namespace !== undefined ? { namespace: info.namespace } : {}),
    ...(info.name !== undefined ? { name: info.name } : {}),
  };
}

export function createHandler(ctx: ServerContext, authn: Authenticator) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    let identity: Identity | undefined;
    const audit = { dryRun: false } as Call['audit'];
    try {
      const caller =
        authn.authenticate(req.headers) ?? (PUBLIC_PATHS.has(url.pathname) ? ANONYMOUS : undefined);
      if (!caller) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      identity = impersonate(caller, req.headers, ctx.authorizer);
      if (ctx.authorizer) {
        const attrs = attributesOf(info);
        const decision = ctx.authorizer.authorize(identity.user, attrs);
        if (!decision.allowed)
          throw forbidden(
            forbiddenMessage(identity.user, attrs, decision.reason),
            findResource(info.group, info.version, info.resource),
            info.name,
          );
      }
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '')
        ? await readBody(req)
        : Buffer.alloc(0);
      if (!info.isResourceRequest) return serveNonResource(ctx, req, res, url.pathname);
      if (info.group === METRICS_GROUP) return serveMetrics(ctx, res, info, url.searchParams);
      const resource = findResource(info.group, info.version, info.resource);
      if (!resource) throw resourceNotFound();
      const call: Call = {
        req,
        res,
        info,
        resource,
        query: url.searchParams,
        identity,
        body,
        audit,
      };
      await route(ctx, call);
    } catch (error) {
      sendError(res, error);
    } finally {
      if (MUTATING_VERBS.has(info.verb) && info.isResourceRequest && identity !== undefined) {
        ctx.audit.record({
          time: new Date().toISOString(),
          user: identity.user.username,
          groups: identity.user.groups,
          ...(identity.impersonatedBy ? { impersonatedBy: identity.impersonatedBy.username } : {}),
          verb: info.verb,
          apiGroup: info.group,
          resource: info.resource,
          ...(info.subresource ? { subresource: info.subresource } : {}),
          ...(info.namespace !== undefined ? { namespace: info.namespace } : {}),
          ...(info.name !== undefined ? { name: info.name } : {}),
          ...(audit.patchType ? { patchType: audit.patchType } : {}),
          ...(audit.fieldManager ? { fieldManager: audit.fieldManager } : {}),
          dryRun: audit.dryRun,
          responseCode: res.statusCode,
        });
      }
    }
  };
}

async function route(ctx: ServerContext, call: Call): Promise<void> {
  const { info, resource } = call;
  const verbs = verbsOf(resource);
  if (info.resource !== 'namespaces' && !resource.namespaced && info.namespace !== undefined)
    throw resourceNotFound();
  if (info.subresource !== undefined) return routeSubresource(ctx, call);
  if (resource.group === 'authorization.k8s.io') {
    if (info.verb !== 'create') throw methodNotAllowed();
    const review = parseBody(
      call.body,
      call.req.headers['content-type'] ?? 'application/json',
    ) as never;
    return sendJson(
      call.res,
      201,
      reviewAccess(ctx.cluster, review, call.identity.user, ctx.reviewAuthorizer),
    );
  }
  if (!verbs.includes(info.verb) && !(info.verb === 'watch' && verbs.includes('list')))
    throw methodNotAllowed();
  switch (info.verb) {
    case 'get':
      return handleGet(ctx, call);
    case 'list':
    case 'watch':
      return handleList(ctx, call);
    case 'create':
      if (info.name !== undefined) throw methodNotAllowed();
      return handleCreate(ctx, call);
    case 'update':
      return handleUpdate(ctx, call);
    case 'patch':
      return handlePatch(ctx, call);
    case 'delete':
      return handleDelete(ctx, call);
    case 'deletecollection':
      return handleDeleteCollection(ctx, call);
    default:
      throw methodNotAllowed();
  }
}

async function routeSubresource(ctx: ServerContext, call: Call): Promise<void> {
  const { info, resource } = call;
  const sub = info.subresource!;
  if (!(resource.subresources ?? []).includes(sub)) throw resourceNotFound();
  switch (sub) {
    case 'status':
    case 'finalize':
      if (info.verb === 'get') return handleGet(ctx, call);
      if (info.verb === 'update')
        return handleUpdate(ctx, call, sub === 'status' ? 'status' : undefined);
      if (info.verb === 'patch') return handlePatch(ctx, call, 'status');
      throw methodNotAllowed();
    case 'scale':
      return handleScale(ctx, call);
    case 'log':
      if (info.verb !== 'get') throw methodNotAllowed();
      return handleLogs(ctx, call);
    case 'eviction':
      if (info.verb !== 'create') throw methodNotAllowed();
      return handleEviction(ctx, call);
    case 'binding':
      if (info.verb !== 'create') throw methodNotAllowed();
      return handleBinding(ctx, call);
    case 'proxy':
      if (resource.kind !== 'Service') throw resourceNotFound();
      return handleServiceProxy(ctx, call);
    case 'token':
      if (info.verb !== 'create') throw methodNotAllowed();
      return handleTokenRequest(ctx, call);
    case 'exec':
    case 'attach':
      throw new ApiError(400, 'BadRequest', 'Upgrade request required');
    default:
      throw resourceNotFound();
  }
}

function serveNonResource(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/version') return sendJson(res, 200, VERSION_INFO);
  if (['/healthz', '/livez', '/readyz'].includes(p) || /^\/(healthz|livez|readyz)\//.test(p))
    return sendText(res, 200, 'ok', 'text/plain; charset=utf-8');
  if (p === '/api') return sendJson(res, 200, apiVersions(ctx.serverAddress()));
  if (p === '/openapi/v2' && (req.headers.accept ?? '').includes('protobuf')) {
    const body = ctx.extensions.openapiV2Protobuf();
    res.writeHead(200, {
      'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      'Content-Length': body.length,
    });
    res.end(body);
    return;
  }
  if (p === '/apis') return sendJson(res, 200, apiGroupList(ctx.metrics ? [METRICS_GROUP] : []));
  if (ctx.metrics && p === `/apis/${METRICS_GROUP}/${METRICS_VERSION}`)
    return sendJson(res, 200, metricsResourceList());
  if (ctx.metrics && p === `/apis/${METRICS_GROUP}`)
    return sendJson(res, 200, apiGroup(METRICS_GROUP, [METRICS_VERSION]));
  const core = /^\/api\/([^/]+)$/.exec(p);
  const grouped = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(p);
  const doc = core
    ? apiResourceList('', core[1]!)
    : grouped
      ? grouped[2] === undefined
        ? apiGroup(grouped[1]!)
        : apiResourceList(grouped[1]!, grouped[2])
      : openapi(ctx, p);
  if (doc === undefined) throw resourceNotFound();
  sendJson(res, 200, doc);
}

function openapi(ctx: ServerContext, path: string): object | undefined {
  const ext = ctx.extensions;
  if (path === '/openapi/v2' || path === '/swagger.json') return ext.openapiV2();
  if (path === '/openapi/v3') return ext.openapiV3Index();
  if (path.startsWith('/openapi/v3/')) return ext.openapiV3(path.slice('/openapi/v3/'.length));
  return undefined;
}
