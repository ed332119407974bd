/** The /scale subresource of deployments, replicasets and statefulsets (autoscaling/v1 Scale). */
import { notFound, ApiError } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import { applyJsonPatch, applyMergePatch } from '../patch/json-patch.ts';
import { applyStrategicPatch } from '../patch/strategic.ts';
import type { Call, ServerContext } from './context.ts';
import { dryRunOf, fieldManagerOf, patchTypeOf } from './params.ts';
import { parseBody, sendJson } from './respond.ts';

function selectorString(selector: { matchLabels?: Record<string, string> } | undefined): string {
  return Object.entries(selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function toScale(object: KObject): KObject {
  const spec = (object['spec'] ?? {}) as {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
  };
  const status = (object['status'] ?? {}) as { replicas?: number };
  const m = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
  };
}

function current(ctx: ServerContext, call: Call): KObject {
  const object = ctx.cluster.get(call.resource, call.info.namespace, call.info.name!);
  if (!object) throw notFound(call.resource, call.info.name!);
  return object;
}

export function handleScale(ctx: ServerContext, call: Call): void {
  const { verb } = call.info;
  const object = current(ctx, call);
  if (verb === 'get') return sendJson(call.res, 200, toScale(object));
  let scale: KObject;
  if (verb === 'update')
    scale = parseBody(call.body, call.req.headers['content-type'] ?? 'application/json') as KObject;
  else if (verb === 'patch') {
    const contentType = call.req.headers['content-type'] ?? '';
    call.audit.patchType = contentType.split(';')[0];
    const type = patchTypeOf(contentType);
    const patch = parseBody(call.body, contentType);
    const base = toScale(object);
    if (type === 'json') scale = applyJsonPatch(base, patch) as KObject;
    else if (type === 'merge') scale = applyMergePatch(base, patch) as KObject;
    else scale = applyStrategicPatch(base, patch) as KObject;
  } else
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  const replicas = (scale['spec'] as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || replicas < 0)
    throw new ApiError(
      422,
      'Invalid',
      `Scale.autoscaling "${call.info.name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
    );
  const next = structuredClone(object) as KObject;
  (next['spec'] as Record<string, unknown>)['replicas'] = replicas;
  next.metadata.resourceVersion =
    scale.metadata?.resourceVersion ?? object.metadata.resourceVersion;
  const updated = ctx.cluster.update(call.resource, next, {
    user: call.identity.user,
    dryRun: dryRunOf(call),
    fieldManager: fieldManagerOf(call),
    subresource: 'scale',
  });
  sendJson(call.res, 200, toScale(updated));
}
