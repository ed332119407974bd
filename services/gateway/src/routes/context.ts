import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ApprovalDeps } from '../approvals/decide.ts';
import type { ApprovalPolicy } from '../approvals/policy.ts';
import { ApiCode, ApiError } from '../errors.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { applyToView } from '../model/apply.ts';
import type { OperationStore, OpsLog } from '../model/store.ts';
import { emptyView, type OperationView } from '../model/view.ts';
import { fieldErrors } from '../schemas.ts';
import type { Identity } from '../users/directory.ts';

/** What the route handlers share. */
export interface RouteContext {
  log: OpsLog;
  store: OperationStore;
  policy: ApprovalPolicy;
  metrics: GatewayMetrics;
  approvals: ApprovalDeps;
  clusterId: () => Promise<string>;
  heartbeatMs: number;
  now: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

export function identityOf(request: FastifyRequest): Identity {
  if (request.identity === null)
    throw new ApiError(401, ApiCode.Unauthenticated, 'a bearer token is required');
  return request.identity;
}

export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new ApiError(400, ApiCode.Validation, `invalid ${where}`, {
    fields: fieldErrors(result.error),
  });
}

/** The read model's view, or (not folded yet, e.g. just appended elsewhere) a replay of the log. */
export async function loadView(ctx: RouteContext, opId: string): Promise<OperationView | null> {
  const view = ctx.store.get(opId);
  if (view !== undefined) return view;
  const { events } = await ctx.log.read(opId);
  return events.length === 0 ? null : events.reduce(applyToView, emptyView(opId));
}
