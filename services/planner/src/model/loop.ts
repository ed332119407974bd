import { trace } from '@opentelemetry/api';
import { OpsError } from '@opsloop/contracts';
import { ACTIONS, READ_TOOLS } from '@opsloop/kube-tools';
import { READ_TOOL_ERRORS, type ReadToolRunner } from '../read-tools.ts';
import { inSpan, PlannerAttr } from '../spans.ts';
import { parseJsonCall } from './json-mode.ts';
import {
  fenced,
  newNonce,
  systemPrompt,
  toolResult,
  userPrompt,
  type FindingDetail,
  type RequestPrompt,
} from './prompt.ts';
import {
  MODEL_ERRORS,
  type ChatMessage,
  type ChatProvider,
  type ModelToolCall,
} from './provider.ts';
import {
  ACTION_SCHEMA_TOOL,
  ActionSchemaArgs,
  AnswerArgs,
  actionSchema,
  issuesText,
  toolSpecs,
  validatePlan,
  type ProposePlanArgs,
} from './schemas.ts';
import { charsFor, estimateTokens, fitToBudget, promptTokens } from './tokens.ts';
import { ModelRunError, type ModelUsage } from './usage.ts';

export interface LoopSettings {
  /** `native`: the provider's tool calling; `json`: the protocol in the prompt. */
  mode: 'native' | 'json';
  tokenBudget: number;
  maxToolCalls: number;
  modelTimeoutMs: number;
  modelWallMs: number;
}

export type LoopFinal =
  { kind: 'plan'; plan: ProposePlanArgs } | { kind: 'answer'; answer: string };

/** Invalid replies sent back with the reason before the operation fails. */
export const MAX_REPAIRS = 2;
const MAX_TOOL_RESULT_CHARS = 6000;

type Handled = { final: LoopFinal } | { text: string; bad: boolean };

/**
 * The bounded tool loop. The model gets the request and the findings, calls read tools,
 * and must finish with propose_plan or answer. Every call is validated: a bad call (an
 * unknown tool, arguments its schema rejects, a reply that is not a call) goes back to the
 * model with the reason, at most MAX_REPAIRS times. Bounded by read-tool calls, round
 * trips, the token budget, a timeout per call and a wall time; whatever breaks a bound
 * or fails at the provider is a ModelRunError carrying the usage, never a hang.
 */
export async function runModelLoop(
  provider: ChatProvider,
  settings: LoopSettings,
  prompt: RequestPrompt,
  readTool: ReadToolRunner,
): Promise<{ final: LoopFinal; usage: ModelUsage }> {
  const usage: ModelUsage = {
    provider: provider.provider,
    name: provider.model.slice(0, 256),
    calls: 0,
    promptTokens: 0,
    maxPromptTokens: 0,
    completionTokens: 0,
    toolCalls: 0,
    repairs: 0,
  };
  const wall = new AbortController();
  const wallTimer = setTimeout(
    () => wall.abort(new Error(`the model's loop may take ${settings.modelWallMs} ms`)),
    settings.modelWallMs,
  );
  try {
    const final = await loop(provider, settings, prompt, readTool, usage, wall.signal);
    return { final, usage };
  } catch (error) {
    if (error instanceof OpsError) throw new ModelRunError(error, usage);
    throw error;
  } finally {
    clearTimeout(wallTimer);
  }
}

async function loop(
  provider: ChatProvider,
  settings: LoopSettings,
  prompt: RequestPrompt,
  readTool: ReadToolRunner,
  usage: ModelUsage,
  wall: AbortSignal,
): Promise<LoopFinal> {
  const nonce = newNonce();
  const specs = toolSpecs();
  const tools = settings.mode === 'native' ? specs : null;
  const system: ChatMessage = {
    role: 'system',
    content: systemPrompt(nonce, settings.mode === 'json' ? specs : null),
  };
  const messages = [system, firstUserMessage(system, tools, prompt, nonce, settings.tokenBudget)];
  const maxRoundTrips = settings.maxToolCalls + MAX_REPAIRS + 2;
  const fail = (code: string, message: string) => new OpsError(code, message);
  for (;;) {
    if (usage.calls >= maxRoundTrips) {
      throw fail(
        MODEL_ERRORS.LoopBound,
        `the model made ${usage.calls} calls (${usage.toolCalls} tool calls) without finishing with propose_plan or answer; the bound is ${maxRoundTrips}`,
      );
    }
    if (!fitToBudget(messages, tools, settings.tokenBudget)) {
      throw fail(
        MODEL_ERRORS.Budget,
        `the prompt does not fit the token budget of ${settings.tokenBudget} tokens even with every tool result trimmed`,
      );
    }
    const estimate = promptTokens(messages, tools);
    const reply = await chat(provider, messages, tools, settings.modelTimeoutMs, wall, estimate);
    usage.calls++;
    const promptCount = reply.promptTokens ?? estimate;
    usage.promptTokens += promptCount;
    usage.maxPromptTokens = Math.max(usage.maxPromptTokens, promptCount);
    usage.completionTokens +=
      reply.completionTokens ?? estimateTokens(reply.content + JSON.stringify(reply.toolCalls));

    let calls: ModelToolCall[] = reply.toolCalls;
    let problem: string | null = null;
    if (settings.mode === 'json') {
      const parsed = parseJsonCall(reply.content, usage.calls);
      calls = parsed.ok ? [parsed.call] : [];
      if (!parsed.ok) problem = parsed.error;
    } else if (calls.length === 0) {
      problem =
        'the reply called no tool; finish with propose_plan or answer (or call a read tool)';
    }
    if (calls.length === 0) {
      repair(usage, problem!);
      messages.push({ role: 'assistant', content: reply.content.slice(0, 2000) });
      messages.push({ role: 'user', content: `Invalid reply: ${problem}` });
      continue;
    }
    messages.push(
      settings.mode === 'native'
        ? { role: 'assistant', content: reply.content.slice(0, 2000), toolCalls: calls }
        : { role: 'assistant', content: reply.content.slice(0, 2000) },
    );
    let lastBad: string | null = null;
    for (const call of calls) {
      const room = charsFor(settings.tokenBudget - promptTokens(messages, tools) - 300);
      const handled = await handle(call, readTool, usage, settings, nonce, room);
      if ('final' in handled) return handled.final;
      if (handled.bad) lastBad = handled.text.replace(/^error: /, '');
      messages.push(
        settings.mode === 'native'
          ? { role: 'tool', content: handled.text, toolCallId: call.id, toolName: call.name }
          : {
              role: 'user',
              content: `Result of ${call.name}:\n${handled.text}`,
              toolName: call.name,
            },
      );
    }
    if (lastBad !== null) repair(usage, lastBad);
  }
}

function repair(usage: ModelUsage, problem: string): void {
  usage.repairs++;
  if (usage.repairs > MAX_REPAIRS) {
    throw new OpsError(
      MODEL_ERRORS.InvalidOutput,
      `the model's output was still invalid after ${MAX_REPAIRS} repairs: ${problem}`.slice(
        0,
        1500,
      ),
    );
  }
}

/** The request and the findings at the richest detail that leaves room for tool results. */
function firstUserMessage(
  system: ChatMessage,
  tools: ReturnType<typeof toolSpecs> | null,
  prompt: RequestPrompt,
  nonce: string,
  budget: number,
): ChatMessage {
  const details: FindingDetail[] = ['full', 'short', 'codes'];
  let message: ChatMessage = { role: 'user', content: '' };
  for (const detail of details) {
    message = {
      role: 'user',
      content: userPrompt(prompt, nonce, detail, charsFor(Math.floor(budget * 0.3))),
    };
    if (promptTokens([system, message], tools) <= budget * 0.6) return message;
  }
  if (promptTokens([system, message], tools) > budget) {
    throw new OpsError(
      MODEL_ERRORS.Budget,
      `the fixed prompt (${promptTokens([system, message], tools)} tokens) does not fit the token budget of ${budget}`,
    );
  }
  return message;
}

async function chat(
  provider: ChatProvider,
  messages: ChatMessage[],
  tools: ReturnType<typeof toolSpecs> | null,
  timeoutMs: number,
  wall: AbortSignal,
  estimate: number,
) {
  const call = new AbortController();
  const timer = setTimeout(
    () => call.abort(new Error(`one model call may take ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    return await inSpan(
      'model chat',
      {
        [PlannerAttr.ModelProvider]: provider.provider,
        [PlannerAttr.Model]: provider.model,
        [PlannerAttr.PromptTokensEstimate]: estimate,
      },
      async () => {
        const reply = await provider.chat(messages, tools, AbortSignal.any([call.signal, wall]));
        const span = trace.getActiveSpan();
        if (reply.promptTokens !== undefined)
          span?.setAttribute(PlannerAttr.PromptTokens, reply.promptTokens);
        if (reply.completionTokens !== undefined)
          span?.setAttribute(PlannerAttr.CompletionTokens, reply.completionTokens);
        span?.setAttribute(PlannerAttr.ModelToolCalls, reply.toolCalls.length);
        return reply;
      },
    );
  } finally {
    clearTimeout(timer);
  }
}

async function handle(
  call: ModelToolCall,
  readTool: ReadToolRunner,
  usage: ModelUsage,
  settings: LoopSettings,
  nonce: string,
  room: number,
): Promise<Handled> {
  const bad = (text: string): Handled => ({ text: `error: ${text}`, bad: true });
  if (
    typeof call.arguments !== 'object' ||
    call.arguments === null ||
    Array.isArray(call.arguments)
  ) {
    return bad(
      `the arguments of ${call.name} are not a JSON object: ${String(call.arguments).slice(0, 200)}`,
    );
  }
  switch (call.name) {
    case 'propose_plan': {
      const checked = validatePlan(call.arguments);
      return checked.ok
        ? { final: { kind: 'plan', plan: checked.plan } }
        : bad(`invalid propose_plan: ${checked.error}`);
    }
    case 'answer': {
      const parsed = AnswerArgs.safeParse(call.arguments);
      return parsed.success
        ? { final: { kind: 'answer', answer: parsed.data.answer } }
        : bad(`invalid answer: ${issuesText(parsed.error)}`);
    }
    case ACTION_SCHEMA_TOOL: {
      const parsed = ActionSchemaArgs.safeParse(call.arguments);
      if (!parsed.success) return bad(`invalid ${ACTION_SCHEMA_TOOL}: ${issuesText(parsed.error)}`);
      if (!Object.hasOwn(ACTIONS, parsed.data.action))
        return bad(`"${parsed.data.action}" is not a catalog action`);
      usage.toolCalls++;
      return { text: JSON.stringify(actionSchema(parsed.data.action)), bad: false };
    }
  }
  if (!Object.hasOwn(READ_TOOLS, call.name)) {
    return bad(
      `there is no tool "${call.name}"; the tools are ${[...Object.keys(READ_TOOLS), ACTION_SCHEMA_TOOL, 'propose_plan', 'answer'].join(', ')}`,
    );
  }
  if (usage.toolCalls >= settings.maxToolCalls) {
    return {
      text: `error: the ${settings.maxToolCalls} tool calls of this request are spent; finish now with propose_plan or answer`,
      bad: false,
    };
  }
  usage.toolCalls++;
  try {
    const output = await readTool(call.name, call.arguments);
    return {
      text: toolResult(output, nonce, Math.max(400, Math.min(MAX_TOOL_RESULT_CHARS, room))),
      bad: false,
    };
  } catch (error) {
    if (error instanceof OpsError) {
      if (
        error.code === READ_TOOL_ERRORS.InvalidToolArgs ||
        error.code === READ_TOOL_ERRORS.UnknownTool
      )
        return bad(error.message);
      // A read the cluster refused or lacks: the model may try another; the text is cluster data.
      return { text: `error: ${fenced('error', error.message, nonce, 800)}`, bad: false };
    }
    throw error;
  }
}
