import { OpsError } from '@opsloop/contracts';

/**
 * What the loop needs from a model server, whichever protocol it speaks: one chat round
 * trip with optional native tools. Providers stream the reply and return it whole; they
 * turn every failure into one of the typed errors below, so the loop never sees a
 * provider's own error classes (or anything they carry, such as request headers).
 */
export type ProviderName = 'ollama' | 'openai-compatible';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** On assistant messages: the tool calls the model made. */
  toolCalls?: ModelToolCall[];
  /** On tool messages: the call answered. */
  toolCallId?: string;
  toolName?: string;
}

export interface ModelToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them: an object, or a string when it was not JSON. */
  arguments: unknown;
}

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ChatReply {
  content: string;
  toolCalls: ModelToolCall[];
  /** The server's own counts, when it reports them. */
  promptTokens?: number;
  completionTokens?: number;
}

export interface ChatProvider {
  readonly provider: ProviderName;
  readonly model: string;
  /** Where the server is, without credentials: for messages and the record. */
  readonly endpoint: string;
  /** `tools` null: the JSON-output mode (the protocol is in the prompt). */
  chat(messages: ChatMessage[], tools: ToolSpec[] | null, signal: AbortSignal): Promise<ChatReply>;
}

export const MODEL_ERRORS = {
  Unreachable: 'OPS_ERR_MODEL_UNREACHABLE',
  Failed: 'OPS_ERR_MODEL_FAILED',
  Timeout: 'OPS_ERR_MODEL_TIMEOUT',
  InvalidOutput: 'OPS_ERR_MODEL_INVALID_OUTPUT',
  LoopBound: 'OPS_ERR_MODEL_LOOP_BOUND',
  Budget: 'OPS_ERR_MODEL_TOKEN_BUDGET',
} as const;

/** Nothing listens at the model's address: the planner falls back to planning without it. */
export class ModelUnreachableError extends OpsError {
  constructor(message: string) {
    super(MODEL_ERRORS.Unreachable, message, { retryable: true });
  }
}

/** The server answered with an error, or broke off the stream. */
export class ModelCallError extends OpsError {
  constructor(message: string) {
    super(MODEL_ERRORS.Failed, message);
  }
}

export class ModelTimeoutError extends OpsError {
  constructor(message: string) {
    super(MODEL_ERRORS.Timeout, message);
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Whether `error` (or one of its causes) says no server could be reached at all. */
export function isUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((x) => isUnreachable(x))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The URL without user info, query or fragment: safe to log and to record. */
export function safeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * The typed error for a failed call: unreachable, timed out (the signal fired), or failed,
 * with a message naming the server and never the provider's raw error object.
 */
export function classify(
  error: unknown,
  signal: AbortSignal,
  provider: ChatProvider,
  status?: number,
): OpsError {
  if (error instanceof OpsError) return error;
  const where = `${provider.provider} model ${provider.model} at ${provider.endpoint}`;
  if (signal.aborted) {
    const reason = signal.reason as { message?: string } | undefined;
    return new ModelTimeoutError(
      `${where} did not answer in time (${reason?.message ?? 'aborted'})`,
    );
  }
  if (isUnreachable(error)) {
    return new ModelUnreachableError(
      `${where} cannot be reached (connection refused or no such host)`,
    );
  }
  const message = String((error as Error)?.message ?? error).slice(0, 500);
  return new ModelCallError(
    status === undefined
      ? `${where} failed: ${message}`
      : `${where} answered HTTP ${status}: ${message}`,
  );
}
