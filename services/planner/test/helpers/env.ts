/**
 * A planner under test: a real nats-server (one per test file), a kube-sim scenario reached
 * through a kubeconfig, the planner's consumer running in this process, and helpers that
 * ask as the gateway does (OperationRequested written for a user) and wait for the outcome.
 */
import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { OpsEvents, newEvent, type OpsEvent } from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { startScenarioSim, type ScenarioSim } from '@opsloop/kube-sim';
import { connectCluster, type Cluster } from '@opsloop/kube-tools';
import { createLogger } from '@opsloop/service-kit';
import { startNatsServer, type NatsServer } from '@opsloop/testkit';
import { startPlanner, type PlannerLimits, type RunningPlanner } from '../../src/mod.ts';
import type { OpsLog } from '../../src/ops-log.ts';
import { PLANNER_USER, loadDeployedRbac } from './deployed.ts';

export const OUTCOMES = [
  'PlanProposed',
  'OperationAnswered',
  'PlanRejectedByPolicy',
  'OperationFailed',
];

export interface Nats {
  server: NatsServer;
  nc: NatsConnection;
  log: OpsLog;
  stop(): Promise<void>;
}

export async function startNats(): Promise<Nats> {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  const log = await EventLog.open(nc, OpsEvents);
  return {
    server,
    nc,
    log,
    async stop() {
      await nc.close();
      await server.stop();
    },
  };
}

export interface AskOptions {
  scope?: string[] | null;
  namespace?: string;
  clusterId?: string;
  user?: string;
  opId?: string;
  traceparent?: string;
}

/** Appends an OperationRequested as the gateway writes it; returns the opId. */
export async function ask(
  log: OpsLog,
  clusterId: string,
  request: string,
  o: AskOptions = {},
): Promise<string> {
  const opId = o.opId ?? `op-${randomUUID()}`;
  const user = o.user ?? 'alice@example.com';
  const scope = o.scope === undefined ? undefined : o.scope;
  const event = newEvent(
    'OperationRequested',
    {
      request,
      requestedBy: user,
      cluster: { id: o.clusterId ?? clusterId },
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(scope === null || scope === undefined ? {} : { scope: { namespaces: scope } }),
      teams: ['team-a'],
    },
    {
      opId,
      actor: { kind: 'user', id: user },
      causationId: null,
      correlationId: opId,
      traceparent: o.traceparent ?? null,
    },
  );
  await log.append(opId, [event], 0);
  return opId;
}

/** Polls the operation until the planner recorded its outcome (and OperationClosed when one follows). */
export async function outcomeOf(
  log: OpsLog,
  opId: string,
  timeoutMs = 60_000,
): Promise<OpsEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { events } = await log.read(opId);
    const outcome = events.find((e) => OUTCOMES.includes(e.type));
    const settled =
      outcome &&
      (outcome.type === 'PlanProposed' || events.some((e) => e.type === 'OperationClosed'));
    if (settled) return events;
    if (Date.now() > deadline) {
      throw new Error(
        `no outcome for ${opId} within ${timeoutMs} ms; events: ${events.map((e) => e.type).join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function only<T extends OpsEvent['type']>(
  events: OpsEvent[],
  type: T,
): Extract<OpsEvent, { type: T }> {
  const found = events.filter((e) => e.type === type);
  if (found.length !== 1)
    throw new Error(
      `expected one ${type}, got ${found.length}: ${events.map((e) => e.type).join(', ')}`,
    );
  return found[0] as Extract<OpsEvent, { type: T }>;
}

export interface ScenarioPlanner {
  run: ScenarioSim;
  /** The planner's own client (admin kubeconfig). */
  cluster: Cluster;
  /** A second client standing in for the executor, which applies approved steps. */
  executor: Cluster;
  clusterId: string;
  planner: RunningPlanner;
  stop(): Promise<void>;
}

/**
 * `asDeployed`: the planner reads with the rights deploy/ gives it (no Secrets), not as the
 * sim's admin; the executor here stays the admin.
 */
export async function startScenarioPlanner(
  nats: Nats,
  scenario: string,
  limits: Partial<PlannerLimits> = {},
  options: { asDeployed?: boolean } = {},
): Promise<ScenarioPlanner> {
  const run = await startScenarioSim(scenario, {
    speed: 50,
    ...(options.asDeployed ? { users: [PLANNER_USER] } : {}),
  });
  if (options.asDeployed) loadDeployedRbac(run);
  const cluster = await connectCluster({
    kubeconfigText: run.kubeconfig(options.asDeployed ? PLANNER_USER.username : undefined),
  });
  const executor = await connectCluster({ kubeconfigText: run.kubeconfig() });
  const clusterId = await executor.identity();
  const planner = await startPlanner({
    log: nats.log,
    cluster,
    logger: createLogger('planner-test', 'silent'),
    limits,
  });
  return {
    run,
    cluster,
    executor,
    clusterId,
    planner,
    async stop() {
      await planner.stop();
      await run.stop();
    },
  };
}
