import { consume, type RunningConsumer } from '@opsloop/eventlog';
import type { OpsLog } from './ops-log.ts';
import type { Cluster } from '@opsloop/kube-tools';
import type { Logger } from '@opsloop/service-kit';
import type { Registry } from 'prom-client';
import { plannerMetrics } from './metrics.ts';
import { DEFAULT_LIMITS, type PlannerLimits } from './config.ts';
import { handleEvent } from './flow.ts';
import { NoModelPlanner } from './no-model.ts';
import type { Planner } from './strategy.ts';

export interface PlannerOptions {
  log: OpsLog;
  cluster: Cluster;
  logger: Logger;
  limits?: Partial<PlannerLimits>;
  /** Default: the no-model planner. */
  planner?: Planner;
  /** Durable consumer name; replicas share it. */
  consumerName?: string;
  maxDeliver?: number;
  ackWaitMs?: number;
  /** Prometheus registry for the planner's metrics (the health server's /metrics). */
  registry?: Registry;
}

export interface RunningPlanner {
  readonly consumer: RunningConsumer;
  /** Stops taking requests and lets the one being planned finish. */
  stop(): Promise<void>;
}

/** Starts the planner's durable consumer "planner" on the OPS stream. */
export async function startPlanner(options: PlannerOptions): Promise<RunningPlanner> {
  const maxDeliver = options.maxDeliver ?? 5;
  const deps = {
    log: options.log,
    cluster: options.cluster,
    planner: options.planner ?? new NoModelPlanner(),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    logger: options.logger,
    maxDeliver,
    ...(options.registry === undefined ? {} : { metrics: plannerMetrics(options.registry) }),
  };
  const consumer = await consume(options.log, {
    name: options.consumerName ?? 'planner',
    maxDeliver,
    ...(options.ackWaitMs === undefined ? {} : { ackWaitMs: options.ackWaitMs }),
    handler: (event, ctx) => handleEvent(event, ctx, deps),
  });
  return {
    consumer,
    stop: () => consumer.stop(),
  };
}
