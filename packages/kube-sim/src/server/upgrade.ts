/**
 * WebSocket upgrades for pods/exec and pods/attach (kubectl 1.30+ speaks the
 * v5.channel.k8s.io remote-command protocol over a GET upgrade). Authentication,
 * impersonation and RBAC run as for any request, with the `create` verb on the
 * subresource as the API server requires for these upgrades; a missing pod, an unknown
 * container or one that is not running is answered as a plain HTTP Status before the
 * upgrade, which is what kubectl prints ("error: unable to upgrade connection: …").
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, forbidden, notFound } from '../api/errors.ts';
import type { AuthorizationAttributes } from '../api/types.ts';
import {
  attachHandler,
  execHandler,
  serveRemoteCommand,
  type NodeSide,
} from '../controllers/node/mod.ts';
import { forbiddenMessage } from '../rbac/mod.ts';
import { findResource } from '../resources.ts';
import { impersonate, type Identity } from './auth.ts';
import type { ServerContext } from './context.ts';

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)\/?$/;
const POD = findResource('', 'v1', 'pods')!;
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
};

function reject(socket: Duplex, error: unknown): void {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(500, 'InternalError', `Internal error occurred: ${String(error)}`);
  const body = JSON.stringify(apiError.toStatus());
  socket.end(
    `HTTP/1.1 ${apiError.code} ${REASONS[apiError.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

export function upgradeHandler(ctx: ServerContext, node: () => NodeSide | undefined) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const match = PATH.exec(url.pathname);
    let identity: Identity | undefined;
    let code = 101;
    const [, namespace = '', pod = '', kind = 'exec'] = match ?? [];
    try {
      if (!match)
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      const caller = ctx.authn.authenticate(req.headers);
      if (!caller) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      identity = impersonate(caller, req.headers, ctx.authorizer);
      if (ctx.authorizer) {
        const attrs: AuthorizationAttributes = {
          verb: 'create',
          apiGroup: '',
          resource: 'pods',
          subresource: kind,
          namespace,
          name: pod,
        };
        const decision = ctx.authorizer.authorize(identity.user, attrs);
        if (!decision.allowed)
          throw forbidden(forbiddenMessage(identity.user, attrs, decision.reason), POD, pod);
      }
      const q = url.searchParams;
      const container = q.get('container') || undefined;
      const stdin = q.get('stdin') === 'true' || q.get('input') === '1';
      const tty = q.get('tty') === 'true';
      const command = q.getAll('command');
      const side = node();
      if (!side) {
        if (!ctx.cluster.get(POD, namespace, pod)) throw notFound(POD, pod);
        throw new ApiError(400, 'BadRequest', `container not found ("${container ?? ''}")`);
      }
      side.checkTarget(namespace, pod, container, kind === 'exec' ? 'exec into' : 'attach to');
      const target = { namespace, pod, container };
      const handler =
        kind === 'exec'
          ? execHandler(side, target, command, { stdin, tty })
          : attachHandler(side, target);
      serveRemoteCommand(req, socket, head, { stdin, tty, command }, handler);
    } catch (error) {
      code = error instanceof ApiError ? error.code : 500;
      reject(socket, error);
    } finally {
      if (match && identity) {
        ctx.audit.record({
          time: new Date().toISOString(),
          user: identity.user.username,
          groups: identity.user.groups,
          ...(identity.impersonatedBy ? { impersonatedBy: identity.impersonatedBy.username } : {}),
          verb: 'create',
          apiGroup: '',
          resource: 'pods',
          subresource: kind,
          namespace,
          name: pod,
          dryRun: false,
          responseCode: code,
        });
      }
    }
  };
}
