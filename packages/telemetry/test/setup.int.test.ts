import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTelemetry } from '../src/mod.ts';

describe('startTelemetry', () => {
  it('is off (no-op tracer, nothing exported) when no OTLP endpoint is configured', async () => {
    const telemetry = startTelemetry({ serviceName: 'planner' }, {});
    expect(telemetry.enabled).toBe(false);
    const span = telemetry.tracer.startSpan('x');
    expect(span.isRecording()).toBe(false);
    span.end();
    await telemetry.shutdown();
  });

  it('exports spans over OTLP/HTTP to the endpoint from the environment', async () => {
    const received: { url: string; body: Buffer }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const env = {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'renamed-by-env',
      };
      const saved = { ...process.env };
      Object.assign(process.env, env); // the OTLP exporter reads process.env itself
      const telemetry = startTelemetry({ serviceName: 'planner', serviceVersion: '1.2.3' }, env);
      try {
        expect(telemetry.enabled).toBe(true);
        telemetry.tracer.startSpan('plan-step').end();
        await telemetry.shutdown();
      } finally {
        process.env = saved;
      }
      expect(received.map((r) => r.url)).toEqual(['/v1/traces']);
      const text = received[0]!.body.toString('utf8');
      expect(text).toContain('plan-step');
      expect(text).toContain('renamed-by-env');
    } finally {
      server.close();
    }
  });
});
