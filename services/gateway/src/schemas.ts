import { z } from 'zod';
import { DnsLabel, OpId, PlanHash } from '@opsloop/contracts';
import { STATUSES } from './model/status.ts';

/** Request and response shapes of the API: validated with zod, documented from the same schemas. */

export const CreateOperationBody = z.strictObject({
  request: z.string().trim().min(1).max(4000),
  namespace: DnsLabel.optional(),
});

export const ListQuery = z.strictObject({
  status: z.enum(STATUSES).optional(),
  namespace: DnsLabel.optional(),
  /** Operations of this team (one of the caller's; any other matches nothing they may see). */
  team: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

export const OperationParams = z.strictObject({ id: OpId });

export const ApprovalBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  planHash: PlanHash,
  comment: z.string().trim().min(1).max(2000).optional(),
});

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    current: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const Accepted = z.object({ id: OpId, status: z.enum(STATUSES) });

const Approvals = z.object({
  required: z.number().int(),
  granted: z.array(z.string()),
  remaining: z.number().int(),
});

export const DecisionResponse = z.object({
  id: OpId,
  decision: z.enum(['approve', 'reject']),
  planHash: PlanHash,
  approver: z.string(),
  eventId: z.string(),
  decidedAt: z.string(),
  status: z.enum(STATUSES),
  approvals: Approvals,
});

export const OperationItem = z.object({
  id: OpId,
  status: z.enum(STATUSES),
  request: z.string().nullable(),
  namespace: z.string().nullable(),
  requester: z.string().nullable(),
  teams: z.array(z.string()),
  planHash: z.string().nullable(),
  risk: z.enum(['low', 'medium', 'high', 'destructive']).nullable(),
  approvals: Approvals.nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

export const OperationList = z.object({
  items: z.array(OperationItem),
  nextCursor: z.string().nullable(),
});

/** The detail view (see OperationView in src/model/view.ts); documented loosely here. */
export const OperationDetail = z.looseObject({ id: OpId, status: z.enum(STATUSES) });

export const Me = z.object({
  name: z.string(),
  kind: z.enum(['user', 'service']),
  roles: z.array(z.string()),
  teams: z.array(z.string()),
  namespaces: z.array(z.string()),
  kubernetes: z.object({ user: z.string(), groups: z.array(z.string()) }),
});

/** JSON Schema (OpenAPI 3.0 dialect) of a zod schema, for fastify's route docs. */
export function doc(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** Parses with zod; a failure is a 400 naming every bad field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    fields[key] ??= issue.message;
  }
  return fields;
}
