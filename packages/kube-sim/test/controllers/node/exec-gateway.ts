/**
 * Test-side stand-in for the API server's upgrade routing (which lives in src/server):
 * forwards ordinary requests to kube-sim and serves pods/exec|attach upgrades with the
 * node side's remote-command handlers, so the real kubectl can exec/attach end to end.
 */
import { request as httpRequest } from 'node:http';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import { selfSignedCertificate } from '../../../src/server/self-signed.ts';
import type { AddressInfo } from 'node:net';
import type { NodeSide } from '../../../src/controllers/node/mod.ts';
import {
  attachHandler,
  execHandler,
  serveRemoteCommand,
} from '../../../src/controllers/node/mod.ts';

export interface ExecGateway {
  url: string;
  close(): Promise<void>;
}

export async function startExecGateway(target: string, node: NodeSide): Promise<ExecGateway> {
  const upstream = new URL(target);
  const server: Server = createServer(selfSignedCertificate(), (req, res) => {
    const request = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        rejectUnauthorized: false,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/.exec(url.pathname);
    if (!m) return socket.destroy();
    const [, namespace, pod, kind] = m as unknown as [string, string, string, string];
    const q = url.searchParams;
    const container = q.get('container') ?? undefined;
    const stdin = q.get('stdin') === 'true' || q.get('input') === '1';
    const tty = q.get('tty') === 'true';
    const command = q.getAll('command');
    const target = { namespace, pod, container };
    const handler =
      kind === 'exec'
        ? execHandler(node, target, command, { stdin, tty })
        : attachHandler(node, target);
    serveRemoteCommand(req, socket, head, { stdin, tty, command }, handler);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
