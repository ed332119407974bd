import type { ChatMessage, ToolSpec } from './provider.ts';

/**
 * A tokenizer estimate: no tokenizer is shared by every model a site may run, so count
 * ≈ 3.5 characters per token (BPE tokenizers give 3.5–4.5 on English and JSON; erring
 * low on characters per token keeps the budget on the safe side), plus a few tokens of
 * framing per message.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5);
}

export function messageTokens(m: ChatMessage): number {
  const calls = m.toolCalls?.length
    ? JSON.stringify(m.toolCalls.map((c) => [c.name, c.arguments]))
    : '';
  return 4 + estimateTokens(m.content) + estimateTokens(calls);
}

export function promptTokens(messages: ChatMessage[], tools: ToolSpec[] | null): number {
  const toolText = tools ? JSON.stringify(tools) : '';
  return messages.reduce((n, m) => n + messageTokens(m), 0) + estimateTokens(toolText);
}

/** Characters that fit in `tokens` by the same estimate. */
export function charsFor(tokens: number): number {
  return Math.max(0, Math.floor(tokens * 3.5));
}

export const TRIMMED =
  '[trimmed to keep the prompt under the token budget; call the tool again if needed]';

/**
 * Keeps the conversation under `budget` by replacing the oldest tool results (the bulk
 * of any prompt) with a marker, newest kept longest. Returns whether it fits now; the
 * system prompt, the request and the model's own calls are never cut.
 */
export function fitToBudget(
  messages: ChatMessage[],
  tools: ToolSpec[] | null,
  budget: number,
): boolean {
  for (let i = 0; i < messages.length && promptTokens(messages, tools) > budget; i++) {
    const m = messages[i]!;
    if (m.role === 'tool' || (m.role === 'user' && m.toolName !== undefined)) {
      if (m.content !== TRIMMED) messages[i] = { ...m, content: TRIMMED };
    }
  }
  return promptTokens(messages, tools) <= budget;
}
