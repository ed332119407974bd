import { Ollama, type Message, type Tool } from 'ollama';
import {
  classify,
  safeEndpoint,
  type ChatMessage,
  type ChatProvider,
  type ChatReply,
  type ModelToolCall,
  type ToolSpec,
} from './provider.ts';

export const OLLAMA_DEFAULT_URL = 'http://127.0.0.1:11434';

/**
 * Ollama's `/api/chat` through the `ollama` package, streamed (NDJSON, ending with a
 * `done: true` line that carries the token counts). The package takes no abort signal per
 * request, so each call gets a client whose fetch carries the call's signal.
 */
export class OllamaProvider implements ChatProvider {
  readonly provider = 'ollama' as const;
  readonly model: string;
  readonly endpoint: string;
  private readonly host: string;

  constructor(options: { url?: string; model: string }) {
    this.host = options.url ?? OLLAMA_DEFAULT_URL;
    this.model = options.model;
    this.endpoint = safeEndpoint(this.host);
  }

  async chat(
    messages: ChatMessage[],
    tools: ToolSpec[] | null,
    signal: AbortSignal,
  ): Promise<ChatReply> {
    const client = new Ollama({
      host: this.host,
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal,
        }),
    });
    let status: number | undefined;
    try {
      const stream = await client.chat({
        model: this.model,
        messages: messages.map(toOllama),
        ...(tools ? { tools: tools.map(toTool) } : {}),
        stream: true,
        options: { temperature: 0 },
      });
      let content = '';
      const toolCalls: ModelToolCall[] = [];
      let promptTokens: number | undefined;
      let completionTokens: number | undefined;
      for await (const part of stream) {
        content += part.message?.content ?? '';
        for (const call of part.message?.tool_calls ?? []) {
          toolCalls.push({
            id: `call-${toolCalls.length + 1}`,
            name: call.function.name,
            arguments: call.function.arguments,
          });
        }
        if (part.done) {
          promptTokens = part.prompt_eval_count;
          completionTokens = part.eval_count;
        }
      }
      return {
        content,
        toolCalls,
        ...(promptTokens === undefined ? {} : { promptTokens }),
        ...(completionTokens === undefined ? {} : { completionTokens }),
      };
    } catch (error) {
      status = (error as { status_code?: number }).status_code;
      throw classify(error, signal, this, status);
    }
  }
}

function toOllama(m: ChatMessage): Message {
  if (m.role === 'tool') return { role: 'tool', content: m.content, tool_name: m.toolName ?? '' };
  return {
    role: m.role,
    content: m.content,
    ...(m.toolCalls?.length
      ? {
          tool_calls: m.toolCalls.map((c) => ({
            function: { name: c.name, arguments: isObject(c.arguments) ? c.arguments : {} },
          })),
        }
      : {}),
  };
}

function toTool(t: ToolSpec): Tool {
  return {
    type: 'function',
    function: {
      name: t.name,
      description: t.description,
      parameters: t.parameters as Tool['function']['parameters'],
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
