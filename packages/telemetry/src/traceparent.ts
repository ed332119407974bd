import { context, trace, TraceFlags, type Context, type SpanContext } from '@opentelemetry/api';

/** The header (and envelope field) carrying W3C trace context across NATS. */
export const TRACEPARENT_HEADER = 'traceparent';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/** W3C `traceparent` of the span active in `ctx`, or null when there is none (tracing off). */
export function traceparentOf(ctx: Context = context.active()): string | null {
  const span = trace.getSpanContext(ctx);
  if (span === undefined || !trace.isSpanContextValid(span)) return null;
  const flags = (span.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${span.traceId}-${span.spanId}-${flags}`;
}

/** Parses a `traceparent` value; null for anything malformed or all-zero (never throws). */
export function parseTraceparent(value: string | null | undefined): SpanContext | null {
  if (typeof value !== 'string') return null;
  const match = TRACEPARENT.exec(value.trim());
  if (match === null) return null;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  if (traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID) return null;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true };
}

/**
 * A context whose parent is the remote span named by `traceparent`, to continue a trace in
 * the consumer. Falls back to `base` unchanged when the value is missing or malformed.
 */
export function contextFromTraceparent(
  traceparent: string | null | undefined,
  base: Context = context.active(),
): Context {
  const parent = parseTraceparent(traceparent);
  return parent === null ? base : trace.setSpanContext(base, parent);
}

/** The minimal header interface shared by nats.js `MsgHdrs` and plain maps. */
export interface HeaderCarrier {
  get(key: string): string;
  set(key: string, value: string): void;
}

/** Sets the `traceparent` header from the active context; returns the value or null. */
export function injectTraceparent(
  headers: HeaderCarrier,
  ctx: Context = context.active(),
): string | null {
  const value = traceparentOf(ctx);
  if (value !== null) headers.set(TRACEPARENT_HEADER, value);
  return value;
}

/**
 * The traceparent to continue from a received message: the NATS header if present, else
 * the envelope's own field (events read back from the stream or from an export).
 */
export function extractTraceparent(
  headers: Pick<HeaderCarrier, 'get'> | undefined,
  envelope?: { traceparent?: string | null },
): string | null {
  const fromHeader = headers?.get(TRACEPARENT_HEADER) ?? '';
  if (parseTraceparent(fromHeader) !== null) return fromHeader;
  const fromEnvelope = envelope?.traceparent ?? null;
  return parseTraceparent(fromEnvelope) !== null ? fromEnvelope : null;
}
