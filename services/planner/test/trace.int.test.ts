import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTelemetry, type TestTelemetry } from '@opsloop/telemetry';
import {
  ask,
  outcomeOf,
  startNats,
  startScenarioPlanner,
  type Nats,
  type ScenarioPlanner,
} from './helpers/env.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT = 'b7ad6b7169203331';

let telemetry: TestTelemetry;
let nats: Nats;
let env: ScenarioPlanner;
beforeAll(async () => {
  telemetry = startTestTelemetry({ serviceName: 'planner-test' });
  nats = await startNats();
  env = await startScenarioPlanner(nats, 'payment-api-selector-mismatch');
}, 60_000);
afterAll(async () => {
  await env?.stop();
  await nats?.stop();
  await telemetry?.shutdown();
});

describe('tracing', () => {
  it("a span per request continues the request's trace; each tool call is a child span; events carry the trace", async () => {
    const opId = await ask(nats.log, env.clusterId, 'payment-api is unreachable, fix it', {
      scope: ['payments'],
      traceparent: `00-${TRACE}-${PARENT}-01`,
    });
    const events = await outcomeOf(nats.log, opId);
    const spans = telemetry.exporter.getFinishedSpans();
    const request = spans.find(
      (s) => s.name === 'OperationRequested process' && s.attributes['opsloop.op_id'] === opId,
    );
    expect(request?.spanContext().traceId).toBe(TRACE);
    expect(request?.parentSpanContext?.spanId).toBe(PARENT);
    const children = spans
      .filter((s) => s.parentSpanContext?.spanId === request!.spanContext().spanId)
      .map((s) => s.name);
    expect(children).toEqual(
      expect.arrayContaining([
        'tool cluster_identity',
        'tool get_namespace',
        'tool namespace_snapshot',
        'planner decide',
        'plan PatchServiceSelector',
      ]),
    );
    for (const e of events.slice(1))
      expect(e.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
  }, 60_000);
});
