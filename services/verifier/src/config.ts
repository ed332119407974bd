import { z } from 'zod';
import { CommonConfig, type Setting } from '@opsloop/service-kit';
import { DEFAULT_CHECK_TIMEOUTS_MS } from './timeouts.ts';

/** "RolloutComplete=600000,PodsHealthy=120000" → per-check timeouts in ms. */
const CheckTimeouts = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const out: Record<string, number> = {};
    for (const part of text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [name, ms] = part.split('=');
      const value = Number(ms);
      if (!name || !/^[A-Z][A-Za-z]+$/.test(name) || !Number.isInteger(value) || value < 100) {
        ctx.addIssue({
          code: 'custom',
          message: `"${part}" is not CheckName=milliseconds (≥ 100)`,
        });
        return z.NEVER;
      }
      out[name] = value;
    }
    return { ...DEFAULT_CHECK_TIMEOUTS_MS, ...out };
  });

/** Every verifier setting, as a flag and an environment variable (flags win). */
export const VerifierConfig = CommonConfig.extend({
  /** Kubeconfig of an identity allowed to dry-run writes, used only to plan a rollback. */
  planKubeconfig: z.string().min(1).optional(),
  checkTimeouts: CheckTimeouts,
  /** How often a check that has not passed yet is evaluated again. */
  pollMs: z.coerce.number().int().min(50).max(60_000).default(2000),
  /** How long pods must keep passing PodsHealthy once it first passes. */
  stableWindowMs: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Operations verified at once by this process. */
  concurrency: z.coerce.number().int().min(1).max(64).default(8),
  ackWaitMs: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  maxDeliver: z.coerce.number().int().min(2).max(100_000).default(200),
  userAgent: z.string().min(1).max(200).default('opsloop-verifier/0.1.0'),
});
export type VerifierConfig = z.infer<typeof VerifierConfig>;

export const VERIFIER_SETTINGS: Setting[] = [
  {
    key: 'planKubeconfig',
    flag: 'plan-kubeconfig',
    env: 'OPSLOOP_VERIFIER_PLAN_KUBECONFIG',
    help: 'kubeconfig allowed to dry-run writes, used only to plan a rollback (default: --kubeconfig)',
  },
  {
    key: 'checkTimeouts',
    flag: 'check-timeouts',
    env: 'OPSLOOP_CHECK_TIMEOUTS',
    help: 'per-check timeouts overriding the defaults, e.g. RolloutComplete=600000,PodsHealthy=300000',
  },
  {
    key: 'pollMs',
    flag: 'poll-ms',
    env: 'OPSLOOP_VERIFIER_POLL_MS',
    help: 'delay between evaluations of a check not passed yet (default 2000)',
  },
  {
    key: 'stableWindowMs',
    flag: 'stable-window-ms',
    env: 'OPSLOOP_VERIFIER_STABLE_WINDOW_MS',
    help: 'how long PodsHealthy must keep passing once it passes (default 30000)',
  },
  {
    key: 'concurrency',
    flag: 'concurrency',
    env: 'OPSLOOP_VERIFIER_CONCURRENCY',
    help: 'operations verified at once (default 8)',
  },
  {
    key: 'ackWaitMs',
    flag: 'ack-wait-ms',
    env: 'OPSLOOP_VERIFIER_ACK_WAIT_MS',
    help: 'redelivery to another replica after this long without a keep-alive (default 30000)',
  },
  {
    key: 'maxDeliver',
    flag: 'max-deliver',
    env: 'OPSLOOP_VERIFIER_MAX_DELIVER',
    help: 'deliveries of one event before it is dead-lettered (default 200)',
  },
  {
    key: 'userAgent',
    flag: 'user-agent',
    env: 'OPSLOOP_VERIFIER_USER_AGENT',
    help: 'User-Agent of every Kubernetes request (default opsloop-verifier/0.1.0)',
  },
];
