import { z } from 'zod';
import { Risk } from '@opsloop/contracts';
import { CommonConfig, type Setting } from '@opsloop/service-kit';

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);
const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The planner's settings. Limits bound what one request may cost (API calls, bytes read)
 * and what one plan may do (steps, objects, risk); the protected namespaces are refused
 * whatever the requester's scope says.
 */
export const PlannerConfig = CommonConfig.extend({
  /** `none`: analyzers and the intent parser only (the air-gapped default); else the model's provider. */
  llm: z.enum(['none', 'ollama', 'openai']).default('none'),
  /** The model server: Ollama's host, or an OpenAI-compatible base URL (…/v1). */
  llmUrl: z.string().url().optional(),
  model: z.string().min(1).max(256).optional(),
  /** A file holding the API key (a mounted Secret); the key itself only from OPSLOOP_LLM_API_KEY. */
  llmApiKeyFile: z.string().min(1).optional(),
  /** `native`: the provider's tool calling; `json`: the protocol described in the prompt. */
  llmTools: z.enum(['native', 'json']).default('native'),
  tokenBudget: count(1000, 1_000_000, 6000),
  maxToolCalls: count(0, 50, 8),
  modelTimeoutMs: count(1000, 600_000, 60_000),
  modelWallMs: count(1000, 3_600_000, 180_000),
  protectedNamespaces: csv.default(['kube-system', 'kube-public', 'kube-node-lease']),
  maxSteps: count(1, 50, 5),
  maxObjects: count(1, 50, 5),
  maxRisk: Risk.default('high'),
  maxApiCalls: count(10, 10_000, 150),
  maxContextBytes: count(10_000, 100_000_000, 4_000_000),
  logLines: count(10, 2000, 200),
});
export type PlannerConfig = z.infer<typeof PlannerConfig>;

export const PLANNER_SETTINGS: Setting[] = [
  {
    key: 'llm',
    flag: 'llm',
    env: 'OPSLOOP_LLM',
    help: 'model provider: none (default) | ollama | openai (any OpenAI-compatible endpoint)',
  },
  {
    key: 'llmUrl',
    flag: 'llm-url',
    env: 'OPSLOOP_LLM_URL',
    help: 'model server URL (Ollama default http://127.0.0.1:11434; OpenAI-compatible: the …/v1 base URL)',
  },
  {
    key: 'model',
    flag: 'model',
    env: 'OPSLOOP_LLM_MODEL',
    help: 'model name (required with a model)',
  },
  {
    key: 'llmApiKeyFile',
    flag: 'llm-api-key-file',
    env: 'OPSLOOP_LLM_API_KEY_FILE',
    help: 'file holding the API key (else env OPSLOOP_LLM_API_KEY); never logged',
  },
  {
    key: 'llmTools',
    flag: 'llm-tools',
    env: 'OPSLOOP_LLM_TOOLS',
    help: 'native (provider tool calling, default) | json (protocol in the prompt, for models without tools)',
  },
  {
    key: 'tokenBudget',
    flag: 'token-budget',
    env: 'OPSLOOP_TOKEN_BUDGET',
    help: 'prompt tokens per model call (6000)',
  },
  {
    key: 'maxToolCalls',
    flag: 'max-tool-calls',
    env: 'OPSLOOP_MAX_TOOL_CALLS',
    help: 'read-tool calls the model may make per request (8)',
  },
  {
    key: 'modelTimeoutMs',
    flag: 'model-timeout-ms',
    env: 'OPSLOOP_MODEL_TIMEOUT_MS',
    help: 'time one model call may take (60000)',
  },
  {
    key: 'modelWallMs',
    flag: 'model-wall-ms',
    env: 'OPSLOOP_MODEL_WALL_MS',
    help: "time the model's whole loop may take per request (180000)",
  },
  {
    key: 'protectedNamespaces',
    flag: 'protected-namespaces',
    env: 'OPSLOOP_PROTECTED_NAMESPACES',
    help: 'comma-separated namespaces no plan may touch (default kube-system,kube-public,kube-node-lease)',
  },
  { key: 'maxSteps', flag: 'max-steps', env: 'OPSLOOP_MAX_STEPS', help: 'steps per plan (5)' },
  {
    key: 'maxObjects',
    flag: 'max-objects',
    env: 'OPSLOOP_MAX_OBJECTS',
    help: 'distinct objects a plan may change (5)',
  },
  {
    key: 'maxRisk',
    flag: 'max-risk',
    env: 'OPSLOOP_MAX_RISK',
    help: 'highest step risk allowed: low|medium|high|destructive (high)',
  },
  {
    key: 'maxApiCalls',
    flag: 'max-api-calls',
    env: 'OPSLOOP_MAX_API_CALLS',
    help: 'Kubernetes API calls per request (150)',
  },
  {
    key: 'maxContextBytes',
    flag: 'max-context-bytes',
    env: 'OPSLOOP_MAX_CONTEXT_BYTES',
    help: 'response bytes read per request (4000000)',
  },
  {
    key: 'logLines',
    flag: 'log-lines',
    env: 'OPSLOOP_LOG_LINES',
    help: 'log lines read per container for log requests (200)',
  },
];

/** The settings that decide plans and context, without the process wiring. */
export type PlannerLimits = Pick<
  PlannerConfig,
  | 'protectedNamespaces'
  | 'maxSteps'
  | 'maxObjects'
  | 'maxRisk'
  | 'maxApiCalls'
  | 'maxContextBytes'
  | 'logLines'
>;

export const DEFAULT_LIMITS: PlannerLimits = {
  protectedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  maxSteps: 5,
  maxObjects: 5,
  maxRisk: 'high',
  maxApiCalls: 150,
  maxContextBytes: 4_000_000,
  logLines: 200,
};
