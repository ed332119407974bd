import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
}

export interface Telemetry {
  readonly tracer: Tracer;
  /** True when spans are exported; false when tracing is off (no-op tracer). */
  readonly enabled: boolean;
  /** Flushes pending spans and unregisters the global providers. Safe to call twice. */
  shutdown(): Promise<void>;
}

/** The tracer name libraries use; resolves to the global provider set up here (or no-op). */
export const TRACER_NAME = '@opsloop';

/**
 * One OpenTelemetry setup for every service: traces over OTLP/HTTP, configured by the
 * standard environment (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
 * OTEL_EXPORTER_OTLP_HEADERS, OTEL_SERVICE_NAME overrides `serviceName`, …). With neither
 * endpoint set tracing is off: no exporter, no SDK, a no-op tracer, nothing leaves the
 * process. Metrics and logs are not set up here (none are exported yet).
 */
export function startTelemetry(
  options: TelemetryOptions,
  env: NodeJS.ProcessEnv = process.env,
): Telemetry {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true') {
    return { tracer: trace.getTracer(TRACER_NAME), enabled: false, shutdown: async () => {} };
  }
  const serviceName = env.OTEL_SERVICE_NAME || options.serviceName;
  return startSdk([], { ...options, serviceName }, new OTLPTraceExporter());
}

export interface TestTelemetry extends Telemetry {
  /** Every finished span, in the order they ended. */
  readonly exporter: InMemorySpanExporter;
}

/** Tracing into memory, for tests: spans are exported synchronously as they end. */
export function startTestTelemetry(options: Partial<TelemetryOptions> = {}): TestTelemetry {
  const exporter = new InMemorySpanExporter();
  const telemetry = startSdk([new SimpleSpanProcessor(exporter)], {
    serviceName: options.serviceName ?? 'opsloop-test',
    serviceVersion: options.serviceVersion,
  });
  return { ...telemetry, exporter };
}

function startSdk(
  processors: SpanProcessor[],
  options: TelemetryOptions,
  exporter?: OTLPTraceExporter,
): Telemetry {
  // Another setup in this process would silently lose its registration: clear first.
  disableGlobals();
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion === undefined
        ? {}
        : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
    }),
    autoDetectResources: false,
    ...(exporter === undefined ? { spanProcessors: processors } : { traceExporter: exporter }),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  let stopped = false;
  return {
    tracer: trace.getTracer(TRACER_NAME),
    enabled: true,
    async shutdown() {
      if (stopped) return;
      stopped = true;
      await sdk.shutdown();
      disableGlobals();
    },
  };
}

function disableGlobals() {
  trace.disable();
  context.disable();
  propagation.disable();
}
