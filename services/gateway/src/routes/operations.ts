import { inSpan } from '@opsloop/telemetry';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { newEvent } from '@opsloop/contracts';
import { canSee, planDeadline, requiredApprovers } from '../approvals/policy.ts';
import { ApiCode, ApiError, forbidden, notFound } from '../errors.ts';
import type { OperationView } from '../model/view.ts';
import {
  Accepted,
  CreateOperationBody,
  ErrorResponse,
  ListQuery,
  OperationDetail,
  OperationList,
  OperationParams,
  doc,
} from '../schemas.ts';
import { hasRole, ownsNamespace } from '../users/directory.ts';
import { identityOf, loadView, parse, type RouteContext } from './context.ts';

const errors = {
  400: doc(ErrorResponse, 'output'),
  401: doc(ErrorResponse, 'output'),
  403: doc(ErrorResponse, 'output'),
  404: doc(ErrorResponse, 'output'),
};

/** Sortable, unguessable operation ids: time first (base36), then 64 random bits. */
export const newOpId = () => `op-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;

export function operationRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post(
    '/api/v1/operations',
    {
      schema: {
        summary: 'Request an operation',
        tags: ['operations'],
        body: doc(CreateOperationBody),
        response: { 202: doc(Accepted, 'output'), ...errors },
      },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      if (!hasRole(identity, 'requester'))
        throw forbidden('requesting operations needs the requester role');
      const body = parse(CreateOperationBody, request.body, 'request body');
      if (body.namespace !== undefined && !ownsNamespace(identity, body.namespace)) {
        throw forbidden(
          `none of your teams owns namespace ${body.namespace}`,
          ApiCode.NotTeamOwner,
        );
      }
      const id = newOpId();
      const event = newEvent(
        'OperationRequested',
        {
          request: body.request,
          ...(body.namespace === undefined ? {} : { namespace: body.namespace }),
          requestedBy: identity.name,
          teams: identity.teams,
          scope: { namespaces: identity.namespaces },
          cluster: { id: await ctx.clusterId() },
        },
        {
          opId: id,
          actor: { kind: identity.kind, id: identity.name },
          causationId: null,
          correlationId: id,
          id: `${id}:requested`,
        },
      );
      // The operation's trace starts here; every service continues it from the events.
      const result = await inSpan(
        'POST /api/v1/operations',
        null,
        { 'opsloop.operation.id': id },
        () => ctx.log.append(id, [event], 0),
      );
      await ctx.store.waitFor(result.lastSequence);
      request.log.info({ opId: id, user: identity.name }, 'operation requested');
      return reply.code(202).send({ id, status: 'requested' });
    },
  );

  app.get(
    '/api/v1/operations',
    {
      schema: {
        summary: 'Operations you may see, newest first',
        tags: ['operations'],
        querystring: doc(ListQuery),
        response: { 200: doc(OperationList, 'output'), ...errors },
      },
    },
    async (request) => {
      const identity = identityOf(request);
      const query = parse(ListQuery, request.query, 'query');
      const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
      const matching = [...ctx.store.all()].filter(
        (v) =>
          v.createdAt !== null &&
          canSee(identity, v) &&
          (query.status === undefined || v.status === query.status) &&
          (query.namespace === undefined || v.namespace === query.namespace) &&
          (query.team === undefined || v.teams.includes(query.team)) &&
          (after === null || before(v, after)),
      );
      matching.sort((a, b) => (before(a, b) ? 1 : before(b, a) ? -1 : 0));
      const page = matching.slice(0, query.limit);
      const last = page.at(-1);
      const nextCursor =
        matching.length > query.limit && last !== undefined ? encodeCursor(last) : null;
      return { items: page.map((v) => item(ctx, v)), nextCursor };
    },
  );

  app.get(
    '/api/v1/operations/:id',
    {
      schema: {
        summary: 'One operation: status, plan, approvals, results',
        tags: ['operations'],
        params: doc(OperationParams),
        response: { 200: doc(OperationDetail, 'output'), ...errors },
      },
    },
    async (request) => {
      const identity = identityOf(request);
      const { id } = parse(OperationParams, request.params, 'path');
      const view = await loadView(ctx, id);
      if (view === null || !canSee(identity, view)) throw notFound();
      return detail(ctx, view);
    },
  );
}

/** Newest first: a sorts after b when it is older (ties by id). */
function before(
  a: { createdAt: string | null; id: string },
  b: { createdAt: string | null; id: string },
) {
  const ca = a.createdAt ?? '';
  const cb = b.createdAt ?? '';
  return ca < cb || (ca === cb && a.id < b.id);
}

const encodeCursor = (v: OperationView) =>
  Buffer.from(JSON.stringify([v.createdAt, v.id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    // fall through
  }
  throw badCursor();
}
const badCursor = () =>
  new ApiError(400, ApiCode.Validation, 'invalid query', {
    fields: { cursor: 'is not a cursor this API returned' },
  });

function approvalsOf(ctx: RouteContext, view: OperationView) {
  if (view.plan === null) return null;
  const required = requiredApprovers(ctx.policy, view);
  const granted = view.approvals.granted.map((g) => g.approver);
  return { required, granted, remaining: Math.max(0, required - granted.length) };
}

function item(ctx: RouteContext, v: OperationView) {
  return {
    id: v.id,
    status: v.status,
    request: v.request,
    namespace: v.namespace,
    requester: v.requester,
    teams: v.teams,
    planHash: v.plan?.planHash ?? null,
    risk: v.plan?.risk ?? null,
    approvals: approvalsOf(ctx, v),
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}

/** The view as the API shows it: the lifecycle internals left out, approval counts filled in. */
export function detail(ctx: RouteContext, v: OperationView) {
  const { lifecycle: _internal, ...rest } = v;
  const counts = approvalsOf(ctx, v);
  return {
    ...rest,
    plan: v.plan === null ? null : { ...v.plan, expiresAt: planDeadline(ctx.policy, v) },
    approvals: {
      ...v.approvals,
      required: counts?.required ?? null,
      remaining: counts?.remaining ?? null,
    },
  };
}
