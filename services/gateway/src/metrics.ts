import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, on /metrics. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'opsloop_gateway_requests_total',
    help: 'HTTP requests answered, by route and status code',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly refusals = new Counter({
    name: 'opsloop_gateway_refusals_total',
    help: 'Requests refused (4xx), by route and error code',
    labelNames: ['route', 'code'] as const,
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'opsloop_gateway_approval_decisions_total',
    help: 'Approval decisions recorded (repeats not counted)',
    labelNames: ['decision'] as const,
    registers: [this.registry],
  });
  readonly streams = new Gauge({
    name: 'opsloop_gateway_sse_streams',
    help: 'Open Server-Sent Events streams',
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'opsloop_gateway_request_seconds',
    help: 'Request duration, by route',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }
}
