import { context, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  contextFromTraceparent,
  extractTraceparent,
  injectTraceparent,
  parseTraceparent,
  startTestTelemetry,
  traceparentOf,
  type TestTelemetry,
} from '../src/mod.ts';

const VALID = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

class Headers {
  readonly map = new Map<string, string>();
  get(key: string) {
    return this.map.get(key) ?? '';
  }
  set(key: string, value: string) {
    this.map.set(key, value);
  }
}

describe('traceparent parsing', () => {
  it('parses a valid value and rejects malformed or all-zero ones', () => {
    expect(parseTraceparent(VALID)).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    for (const bad of [
      '',
      'nonsense',
      VALID.toUpperCase(),
      `00-${'0'.repeat(32)}-b7ad6b7169203331-01`,
      null,
    ]) {
      expect(parseTraceparent(bad)).toBeNull();
    }
  });

  it('prefers the header, falls back to the envelope field', () => {
    const headers = new Headers();
    expect(extractTraceparent(headers, { traceparent: VALID })).toBe(VALID);
    expect(extractTraceparent(headers, { traceparent: null })).toBeNull();
    const other = '00-11111111111111111111111111111111-2222222222222222-00';
    headers.set('traceparent', other);
    expect(extractTraceparent(headers, { traceparent: VALID })).toBe(other);
  });

  it('has no traceparent without an active span (tracing off)', () => {
    const headers = new Headers();
    expect(traceparentOf()).toBeNull();
    expect(injectTraceparent(headers)).toBeNull();
    expect(headers.map.size).toBe(0);
  });
});

describe('traceparent with the SDK', () => {
  let telemetry: TestTelemetry | undefined;
  afterEach(() => telemetry?.shutdown());

  it('injects the active span and continues it on the other side', async () => {
    telemetry = startTestTelemetry();
    const { tracer, exporter } = telemetry;
    const headers = new Headers();
    tracer.startActiveSpan('produce', (span) => {
      injectTraceparent(headers);
      span.end();
    });
    const sent = headers.get('traceparent');
    expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const parent = contextFromTraceparent(extractTraceparent(headers), context.active());
    tracer.startSpan('consume', {}, parent).end();
    const [produced, consumed] = exporter.getFinishedSpans();
    expect(consumed?.spanContext().traceId).toBe(produced?.spanContext().traceId);
    expect(consumed?.parentSpanContext?.spanId).toBe(produced?.spanContext().spanId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
