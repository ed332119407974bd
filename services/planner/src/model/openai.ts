import OpenAI from 'openai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import {
  classify,
  safeEndpoint,
  type ChatMessage,
  type ChatProvider,
  type ChatReply,
  type ModelToolCall,
  type ToolSpec,
} from './provider.ts';

export const OPENAI_DEFAULT_URL = 'https://api.openai.com/v1';

/**
 * Any OpenAI-compatible `/v1/chat/completions` (vLLM, llama.cpp server, LM Studio, OpenAI)
 * through the official `openai` package, streamed as SSE chunks: content deltas, tool-call
 * deltas assembled by index (arguments arrive as string fragments), usage in the last
 * chunk when the server sends it. No retries here: the loop decides what a failure means.
 */
export class OpenAiProvider implements ChatProvider {
  readonly provider = 'openai-compatible' as const;
  readonly model: string;
  readonly endpoint: string;
  private readonly client: OpenAI;

  constructor(options: { url?: string; model: string; apiKey?: string }) {
    const url = options.url ?? OPENAI_DEFAULT_URL;
    this.model = options.model;
    this.endpoint = safeEndpoint(url);
    // Local servers need no key; the SDK insists on one, and would otherwise read OPENAI_API_KEY.
    this.client = new OpenAI({
      baseURL: url,
      apiKey: options.apiKey ?? 'no-key',
      maxRetries: 0,
      logLevel: 'off',
    });
  }

  async chat(
    messages: ChatMessage[],
    tools: ToolSpec[] | null,
    signal: AbortSignal,
  ): Promise<ChatReply> {
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: messages.map(toOpenAi),
          ...(tools ? { tools: tools.map(toTool) } : {}),
          stream: true,
          stream_options: { include_usage: true },
          temperature: 0,
        },
        { signal },
      );
      let content = '';
      const calls = new Map<number, { id: string; name: string; args: string }>();
      let promptTokens: number | undefined;
      let completionTokens: number | undefined;
      for await (const chunk of stream) {
        if (chunk.usage) {
          promptTokens = chunk.usage.prompt_tokens;
          completionTokens = chunk.usage.completion_tokens;
        }
        const delta = chunk.choices[0]?.delta;
        if (!delta) continue;
        content += delta.content ?? '';
        for (const d of delta.tool_calls ?? []) {
          const call = calls.get(d.index) ?? { id: '', name: '', args: '' };
          call.id = d.id ?? call.id;
          call.name += d.function?.name ?? '';
          call.args += d.function?.arguments ?? '';
          calls.set(d.index, call);
        }
      }
      const toolCalls: ModelToolCall[] = [...calls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, c]) => ({
          id: c.id || `call-${index + 1}`,
          name: c.name,
          arguments: parseArgs(c.args),
        }));
      return {
        content,
        toolCalls,
        ...(promptTokens === undefined ? {} : { promptTokens }),
        ...(completionTokens === undefined ? {} : { completionTokens }),
      };
    } catch (error) {
      const status = error instanceof OpenAI.APIError ? error.status : undefined;
      throw classify(error, signal, this, status);
    }
  }
}

/** Arguments arrive as a JSON string; one that does not parse is kept as text for the repair message. */
function parseArgs(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toOpenAi(m: ChatMessage): ChatCompletionMessageParam {
  switch (m.role) {
    case 'tool':
      return { role: 'tool', content: m.content, tool_call_id: m.toolCallId ?? '' };
    case 'assistant':
      return m.toolCalls?.length
        ? {
            role: 'assistant',
            content: m.content || null,
            tool_calls: m.toolCalls.map((c) => ({
              id: c.id,
              type: 'function' as const,
              function: {
                name: c.name,
                arguments:
                  typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
              },
            })),
          }
        : { role: 'assistant', content: m.content };
    default:
      return { role: m.role, content: m.content };
  }
}

function toTool(t: ToolSpec): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  };
}
