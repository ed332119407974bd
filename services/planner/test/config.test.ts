import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@opsloop/service-kit';
import { PLANNER_SETTINGS, PlannerConfig } from '../src/mod.ts';

const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseConfig(PlannerConfig, PLANNER_SETTINGS, argv, env);

describe('planner configuration', () => {
  it('defaults: no model, the three system namespaces protected, bounded plans and context', () => {
    expect(parse([])).toMatchObject({
      llm: 'none',
      protectedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
      maxSteps: 5,
      maxObjects: 5,
      maxRisk: 'high',
      maxApiCalls: 150,
      maxContextBytes: 4_000_000,
      logLines: 200,
    });
  });
  it('flags override environment variables', () => {
    const config = parse(['--max-steps', '3', '--protected-namespaces', 'kube-system, opsloop'], {
      OPSLOOP_MAX_STEPS: '9',
      OPSLOOP_MAX_RISK: 'medium',
    });
    expect(config).toMatchObject({
      maxSteps: 3,
      maxRisk: 'medium',
      protectedNamespaces: ['kube-system', 'opsloop'],
    });
  });
  it('a bad value fails with one line naming the flag and its variable', () => {
    expect(() => parse(['--max-risk', 'reckless'])).toThrow(ConfigError);
    expect(() => parse([], { OPSLOOP_MAX_STEPS: 'many' })).toThrow(
      /^invalid configuration: --max-steps \(OPSLOOP_MAX_STEPS\): /,
    );
    expect(() => parse(['--llm', 'gpt'])).toThrow(/--llm \(OPSLOOP_LLM\)/);
    expect(() => parse(['--no-such-flag'])).toThrow(/invalid arguments/);
  });
});
