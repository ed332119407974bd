import { readFileSync } from 'node:fs';
import { ConfigError } from '@opsloop/service-kit';
import type { PlannerConfig } from '../config.ts';
import type { Planner } from '../strategy.ts';
import { OllamaProvider } from './ollama.ts';
import { OpenAiProvider } from './openai.ts';
import { ModelPlanner } from './planner.ts';
import type { ChatProvider } from './provider.ts';

export const API_KEY_ENV = 'OPSLOOP_LLM_API_KEY';

/**
 * The planner strategy the settings ask for: null for `--llm none` (the default no-model
 * planner). The API key comes from OPSLOOP_LLM_API_KEY or --llm-api-key-file, never from a
 * flag (argv is visible to every user of the machine); it is handed to the provider and
 * kept nowhere else, so no log line or event can carry it.
 */
export function plannerFromConfig(
  config: PlannerConfig,
  env: NodeJS.ProcessEnv = process.env,
): { planner: Planner; provider: ChatProvider } | null {
  if (config.llm === 'none') return null;
  if (!config.model) {
    throw new ConfigError(
      `invalid configuration: --model (OPSLOOP_LLM_MODEL): required with --llm ${config.llm}`,
    );
  }
  const provider: ChatProvider =
    config.llm === 'ollama'
      ? new OllamaProvider({
          model: config.model,
          ...(config.llmUrl ? { url: config.llmUrl } : {}),
        })
      : new OpenAiProvider({
          model: config.model,
          ...(config.llmUrl ? { url: config.llmUrl } : {}),
          ...apiKey(config, env),
        });
  const planner = new ModelPlanner(provider, {
    mode: config.llmTools,
    tokenBudget: config.tokenBudget,
    maxToolCalls: config.maxToolCalls,
    modelTimeoutMs: config.modelTimeoutMs,
    modelWallMs: config.modelWallMs,
  });
  return { planner, provider };
}

function apiKey(config: PlannerConfig, env: NodeJS.ProcessEnv): { apiKey?: string } {
  if (config.llmApiKeyFile) {
    let key: string;
    try {
      key = readFileSync(config.llmApiKeyFile, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(
        `invalid configuration: --llm-api-key-file (OPSLOOP_LLM_API_KEY_FILE): cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    if (key === '') {
      throw new ConfigError(
        'invalid configuration: --llm-api-key-file (OPSLOOP_LLM_API_KEY_FILE): the file is empty',
      );
    }
    return { apiKey: key };
  }
  const key = env[API_KEY_ENV]?.trim();
  return key ? { apiKey: key } : {};
}
