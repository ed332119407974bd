/** pods/eviction and pods/binding: the two POST subresources the scheduler and kubectl drain use. */
import { ApiError, notFound } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import type { Call, ServerContext } from './context.ts';
import { dryRunOf } from './params.ts';
import { parseBody, sendJson } from './respond.ts';

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

function pod(ctx: ServerContext, call: Call): KObject {
  const object = ctx.cluster.get(call.resource, call.info.namespace, call.info.name!);
  if (!object) throw notFound(call.resource, call.info.name!);
  return object;
}

/** Eviction = admission (PodDisruptionBudgets plug in there) then a normal delete. */
export function handleEviction(ctx: ServerContext, call: Call): void {
  const target = pod(ctx, call);
  const eviction = parseBody(
    call.body,
    call.req.headers['content-type'] ?? 'application/json',
  ) as KObject;
  const dryRun = dryRunOf(call);
  ctx.cluster.runAdmission('CREATE', call.resource, eviction, target, {
    user: call.identity.user,
    dryRun,
    subresource: 'eviction',
  });
  const options = (eviction['deleteOptions'] ?? {}) as { gracePeriodSeconds?: number };
  ctx.cluster.delete(call.resource, call.info.namespace, call.info.name!, {
    user: call.identity.user,
    dryRun,
    ...(options.gracePeriodSeconds !== undefined
      ? { gracePeriodSeconds: options.gracePeriodSeconds }
      : {}),
  });
  sendJson(call.res, 201, SUCCESS);
}

export function handleBinding(ctx: ServerContext, call: Call): void {
  const target = pod(ctx, call);
  const binding = parseBody(call.body, call.req.headers['content-type'] ?? 'application/json') as {
    target?: { name?: string };
  };
  const node = binding.target?.name;
  if (!node)
    throw new ApiError(422, 'Invalid', 'Binding "" is invalid: target.name: Required value');
  const spec = (target['spec'] ?? {}) as { nodeName?: string };
  if (spec.nodeName)
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on pods/binding "${call.info.name}": pod ${call.info.name} is already assigned to node "${spec.nodeName}"`,
    );
  const next = structuredClone(target) as KObject;
  (next['spec'] as Record<string, unknown>)['nodeName'] = node;
  ctx.cluster.rewrite(
    call.resource,
    ctx.cluster.entry(call.resource, call.info.namespace, call.info.name!)!.object,
    next,
    {
      user: call.identity.user,
      dryRun: dryRunOf(call),
    },
  );
  sendJson(call.res, 201, SUCCESS);
}
