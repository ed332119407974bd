import { z } from 'zod';
import type { ModelToolCall } from './provider.ts';
import { issuesText } from './schemas.ts';

/**
 * The JSON-output mode, for models without native tool calling: the prompt describes the
 * protocol (one JSON object `{"tool": name, "args": {…}}` per reply) and the reply is
 * parsed here. A code fence or words around the object are tolerated; anything else is
 * an invalid reply, sent back to the model with the reason.
 */
const JsonCall = z.strictObject({
  tool: z.string().min(1).max(64),
  args: z.record(z.string(), z.unknown()).default({}),
});

export function parseJsonCall(
  content: string,
  turn: number,
): { ok: true; call: ModelToolCall } | { ok: false; error: string } {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end < start) {
    return {
      ok: false,
      error: 'the reply holds no JSON object; reply with {"tool": "<name>", "args": {…}}',
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(content.slice(start, end + 1));
  } catch (error) {
    return { ok: false, error: `the reply is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = JsonCall.safeParse(value);
  if (!parsed.success) return { ok: false, error: issuesText(parsed.error) };
  return {
    ok: true,
    call: { id: `json-${turn}`, name: parsed.data.tool, arguments: parsed.data.args },
  };
}
