/** @opsloop/telemetry: one OpenTelemetry setup for every service, and W3C traceparent in envelopes and NATS headers. */
export { Attr, MESSAGING_SYSTEM_NATS } from './attributes.ts';
export {
  startTelemetry,
  startTestTelemetry,
  TRACER_NAME,
  type Telemetry,
  type TelemetryOptions,
  type TestTelemetry,
} from './setup.ts';
export {
  TRACEPARENT_HEADER,
  contextFromTraceparent,
  extractTraceparent,
  injectTraceparent,
  parseTraceparent,
  traceparentOf,
  type HeaderCarrier,
} from './traceparent.ts';
export { inConsumerSpan, inSpan, type Attributes, type Span } from './spans.ts';
