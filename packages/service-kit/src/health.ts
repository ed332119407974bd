import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry, collectDefaultMetrics } from 'prom-client';

export interface HealthServer {
  port: number;
  registry: Registry;
  close(): Promise<void>;
}

/**
 * /healthz (the process is alive), /readyz (its dependencies answer: `ready()` resolves
 * true) and /metrics (Prometheus text) for probes and scraping. Nothing else is served.
 */
export async function startHealthServer(options: {
  port: number;
  host?: string;
  ready: () => Promise<boolean>;
  registry?: Registry;
}): Promise<HealthServer> {
  const registry = options.registry ?? new Registry();
  collectDefaultMetrics({ register: registry });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    if (req.method !== 'GET') return send(405, 'method not allowed\n');
    if (path === '/healthz') return send(200, 'ok\n');
    if (path === '/readyz') {
      options.ready().then(
        (ok) => send(ok ? 200 : 503, ok ? 'ready\n' : 'not ready\n'),
        () => send(503, 'not ready\n'),
      );
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => send(200, text, registry.contentType),
        () => send(500, 'metrics unavailable\n'),
      );
      return;
    }
    send(404, 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    registry,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
