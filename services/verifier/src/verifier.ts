import { consume, type RunningConsumer } from '@opsloop/eventlog';
import type { Cluster } from '@opsloop/kube-tools';
import type { Logger } from '@opsloop/service-kit';
import type { CheckPolicy } from './run-check.ts';
import type { OpsLog } from './session.ts';
import { DEFAULT_CHECK_TIMEOUTS_MS } from './timeouts.ts';
import { handleExecutionCompleted, type VerifierContext } from './verify.ts';

export interface VerifierOptions {
  log: OpsLog;
  cluster: Cluster;
  /** Allowed to dry-run writes; plans rollbacks. Default: `cluster`. */
  planCluster?: Cluster;
  logger: Logger;
  checks?: Partial<CheckPolicy>;
  concurrency?: number;
  ackWaitMs?: number;
  maxDeliver?: number;
}

export interface RunningVerifier {
  stop(): Promise<void>;
}

/** Durable consumer of the verifier role; every replica shares it. */
export const VERIFIER_CONSUMER = 'verifier';

/**
 * Starts the verifier: `concurrency` pull subscriptions on the shared durable consumer, each
 * verifying one operation at a time. Only ExecutionCompleted events are acted on.
 */
export async function startVerifier(options: VerifierOptions): Promise<RunningVerifier> {
  const ctx: VerifierContext = {
    log: options.log,
    cluster: options.cluster,
    planCluster: options.planCluster ?? options.cluster,
    logger: options.logger,
    checks: {
      timeoutsMs: options.checks?.timeoutsMs ?? DEFAULT_CHECK_TIMEOUTS_MS,
      pollMs: options.checks?.pollMs ?? 2000,
      stableWindowMs: options.checks?.stableWindowMs ?? 30_000,
    },
  };
  const consumers: RunningConsumer[] = [];
  for (let i = 0; i < (options.concurrency ?? 8); i++) {
    consumers.push(
      await consume(options.log, {
        name: VERIFIER_CONSUMER,
        batch: 1,
        ackWaitMs: options.ackWaitMs ?? 30_000,
        maxDeliver: options.maxDeliver ?? 200,
        backoffMs: (n) => Math.min(10_000, 500 * 2 ** (n - 1)),
        handler: (event) => handleExecutionCompleted(ctx, event),
      }),
    );
  }
  options.logger.info({ checks: ctx.checks }, 'verifier consuming');
  return {
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
