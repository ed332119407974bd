import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { TRACER_NAME } from './setup.ts';
import { contextFromTraceparent } from './traceparent.ts';

export type { Attributes, Span };

/**
 * Runs `fn` inside a CONSUMER span that continues the trace named by `traceparent` (the
 * producer's), or starts a new trace when there is none. A throw marks the span as failed
 * and is rethrown. With tracing off this costs next to nothing (no-op span).
 */
export async function inConsumerSpan<T>(
  name: string,
  traceparent: string | null,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  return inSpan(name, traceparent, attributes, fn, SpanKind.CONSUMER);
}

/**
 * The same for work a request starts (the gateway appending a user's request or decision):
 * a SERVER span continuing `traceparent` when given (the operation's trace), so events
 * appended inside carry it and every service's work joins one trace.
 */
export async function inSpan<T>(
  name: string,
  traceparent: string | null,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
  kind: SpanKind = SpanKind.SERVER,
): Promise<T> {
  const parent = contextFromTraceparent(traceparent, context.active());
  const span = trace.getTracer(TRACER_NAME).startSpan(name, { kind, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: err instanceof Error ? err.message : String(err),
    });
    throw err;
  } finally {
    span.end();
  }
}
