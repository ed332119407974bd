/**
 * The API server's service proxy: /api/v1/namespaces/{ns}/services/[http:|https:]{name}[:{port}]/proxy/{path}.
 * SimHooks answer for the simulated workloads; without them (or without endpoints) the
 * answer is the real server's 503.
 */
import type { Call, ServerContext } from './context.ts';
import { sendText } from './respond.ts';
import { notFound } from '../api/errors.ts';

export function parseServiceRef(ref: string): { scheme: string; name: string; port: string } {
  const parts = ref.split(':');
  if (parts.length === 3) return { scheme: parts[0]!, name: parts[1]!, port: parts[2]! };
  if (parts.length === 2) {
    if (parts[0] === 'http' || parts[0] === 'https')
      return { scheme: parts[0], name: parts[1]!, port: '' };
    return { scheme: '', name: parts[0]!, port: parts[1]! };
  }
  return { scheme: '', name: ref, port: '' };
}

export async function handleServiceProxy(ctx: ServerContext, call: Call): Promise<void> {
  const { name, port } = parseServiceRef(call.info.name!);
  const namespace = call.info.namespace!;
  if (!ctx.cluster.get(call.resource, namespace, name)) throw notFound(call.resource, name);
  const url = new URL(call.req.url ?? '/', 'http://x');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(call.req.headers))
    if (typeof v === 'string' && k !== 'authorization') headers[k] = v;
  const response = await ctx.hooks.proxy(namespace, name, port, {
    method: call.req.method ?? 'GET',
    path: `/${call.info.rest.join('/')}`,
    query: url.search.replace(/^\?/, ''),
    headers,
    body: call.body,
  });
  const body = typeof response.body === 'string' ? response.body : response.body.toString('utf8');
  sendText(
    call.res,
    response.status,
    body,
    response.headers['content-type'] ?? 'text/plain; charset=utf-8',
  );
}
