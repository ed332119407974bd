import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { TRACER_NAME } from '@opsloop/telemetry';

/** Span attribute names the planner adds (the shared ones live in @opsloop/telemetry's Attr). */
export const PlannerAttr = {
  Tool: 'opsloop.planner.tool',
  Intent: 'opsloop.planner.intent',
  Namespace: 'k8s.namespace.name',
  Outcome: 'opsloop.planner.outcome',
  ApiCalls: 'opsloop.planner.api_calls',
  BytesRead: 'opsloop.planner.bytes_read',
  // The model's calls, named as OpenTelemetry's GenAI conventions name them.
  ModelProvider: 'gen_ai.system',
  Model: 'gen_ai.request.model',
  PromptTokens: 'gen_ai.usage.input_tokens',
  CompletionTokens: 'gen_ai.usage.output_tokens',
  PromptTokensEstimate: 'opsloop.planner.prompt_tokens_estimate',
  ModelToolCalls: 'opsloop.planner.model_tool_calls',
} as const;

/**
 * Runs `fn` in a child span of the active one (the request's span, which continues the
 * envelope's trace). A throw marks the span failed and is rethrown.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: String((error as Error)?.message ?? error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A read against the cluster, as a child span named after the tool. */
export function toolCall<T>(
  tool: string,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  return inSpan(`tool ${tool}`, { [PlannerAttr.Tool]: tool, ...attributes }, fn);
}
