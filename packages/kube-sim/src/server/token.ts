/**
 * serviceaccounts/{name}/token (TokenRequest, `kubectl create token`): mints a bearer token
 * that authenticates as system:serviceaccount:{ns}:{name} for as long as the sim runs.
 */
import { randomBytes } from 'node:crypto';
import { notFound } from '../api/errors.ts';
import type { Call, ServerContext } from './context.ts';
import { dryRunOf } from './params.ts';
import { parseBody, sendJson } from './respond.ts';

export function handleTokenRequest(ctx: ServerContext, call: Call): void {
  const { namespace, name } = call.info;
  const account = ctx.cluster.get(call.resource, namespace, name!);
  if (!account) throw notFound(call.resource, name!);
  const request = (
    call.body.length > 0
      ? parseBody(call.body, call.req.headers['content-type'] ?? 'application/json')
      : {}
  ) as {
    spec?: { audiences?: string[]; expirationSeconds?: number };
  };
  const seconds = request.spec?.expirationSeconds ?? 3600;
  const token = `kube-sim-sa.${randomBytes(24).toString('hex')}`;
  if (!dryRunOf(call))
    ctx.authn.addToken(token, `system:serviceaccount:${namespace}:${name}`, [
      'system:serviceaccounts',
      `system:serviceaccounts:${namespace}`,
    ]);
  sendJson(call.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: null },
    spec: {
      audiences: request.spec?.audiences ?? ['https://kubernetes.default.svc'],
      expirationSeconds: seconds,
      boundObjectRef: null,
    },
    status: {
      token,
      expirationTimestamp: new Date(Date.now() + seconds * 1000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z'),
    },
  });
}
