import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnService } from '@opsloop/testkit';
import { ask, only, outcomeOf, type Nats } from '../helpers/env.ts';
import { startProcessEnv, type ProcessEnv } from '../helpers/process-env.ts';
import { startFakeOllama, startFakeOpenAi } from './fakes.ts';

/** The planner as a process with a model: `--llm ollama --llm-url <fake>`, and the key file. */
const entry = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
let nats: Nats;
let dir: string;
let kubeconfig: string;
let clusterId: string;
let env: ProcessEnv;
beforeAll(async () => {
  env = await startProcessEnv('payment-api-selector-mismatch');
  ({ nats, dir, kubeconfig, clusterId } = env);
}, 60_000);
afterAll(() => env?.stop());

describe('planner process with a model', () => {
  it('--llm ollama --llm-url <fake>: the request goes to the model, its answer is recorded', async () => {
    const fake = await startFakeOllama(() => ({
      calls: [
        { name: 'answer', args: { answer: 'The Service selector of payment-api matches no pod.' } },
      ],
    }));
    const proc = await spawnService({
      name: 'planner',
      entry,
      args: [
        '--nats',
        nats.server.url,
        '--kubeconfig',
        kubeconfig,
        '--llm',
        'ollama',
        '--llm-url',
        fake.url,
        '--model',
        'qwen2.5:7b',
      ],
    });
    try {
      const ready = await proc.waitForLog((l) => l.msg === 'ready');
      expect(ready).toMatchObject({ llm: 'ollama', model: 'qwen2.5:7b', llmUrl: fake.url });
      const events = await outcomeOf(
        nats.log,
        await ask(nats.log, clusterId, 'why is payment-api unreachable?', { scope: ['payments'] }),
      );
      expect(only(events, 'OperationAnswered').payload.answer).toMatch(
        /^The Service selector of payment-api matches no pod\./,
      );
      expect(only(events, 'ContextGathered').payload.model).toMatchObject({
        provider: 'ollama',
        calls: 1,
      });
      expect(fake.requests.length).toBeGreaterThan(0);
    } finally {
      expect(await proc.stop()).toBe(0);
      await fake.stop();
    }
  }, 90_000);

  it('--llm openai with the key in a file: sent to the server, in no log line or event', async () => {
    const key = 'sk-from-file-0a1b2c3d4e5f60718293';
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, `${key}\n`);
    const fake = await startFakeOpenAi(() => ({
      calls: [{ name: 'answer', args: { answer: 'payment-api: the selector has a typo.' } }],
    }));
    const proc = await spawnService({
      name: 'planner-openai',
      entry,
      args: [
        '--nats',
        nats.server.url,
        '--kubeconfig',
        kubeconfig,
        '--llm',
        'openai',
        '--llm-url',
        fake.url,
        '--model',
        'gpt-x',
        '--llm-api-key-file',
        keyFile,
        '--log-level',
        'debug',
      ],
    });
    try {
      const events = await outcomeOf(
        nats.log,
        await ask(nats.log, clusterId, 'why is payment-api unreachable?', { scope: ['payments'] }),
      );
      expect(only(events, 'OperationAnswered').payload.answer).toMatch(/selector has a typo/);
      expect(fake.headers[0]!.authorization).toBe(`Bearer ${key}`);
      expect(JSON.stringify(events)).not.toContain(key);
    } finally {
      expect(await proc.stop()).toBe(0);
      expect(proc.output()).not.toContain(key);
      await fake.stop();
    }
  }, 90_000);

  it('--llm ollama without --model → one config line, exit 2', async () => {
    const bad = await spawnService({
      name: 'planner-bad',
      entry,
      args: ['--nats', nats.server.url, '--llm', 'ollama'],
      ready: null,
    });
    expect(await bad.exited).toBe(2);
    expect(bad.output().trim()).toBe(
      'planner: invalid configuration: --model (OPSLOOP_LLM_MODEL): required with --llm ollama',
    );
  }, 30_000);
});
