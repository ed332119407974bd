import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NatsConnection } from '@nats-io/nats-core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError } from '@opsloop/service-kit';
import { compareStreamConfig, opsStreamConfig } from '@opsloop/eventlog';
import type { Cluster } from '@opsloop/kube-tools';
import { build } from './app.ts';
import type { GatewayConfig } from './config.ts';
import { reviewPlanAccess } from './kube/access.ts';
import { FindingsSource } from './kube/findings.ts';
import { GatewayMetrics } from './metrics.ts';
import { OperationStore, type OpsLog } from './model/store.ts';
import { loadUsersFile } from './users/load.ts';
import type { UsersFile } from './users/schema.ts';

export interface RunningGateway {
  app: FastifyInstance;
  url: string;
  metrics: GatewayMetrics;
  stop(): Promise<void>;
}

/** Opens the read model, builds the app and listens. The caller owns `nc`, `log` and `cluster`. */
export async function startGateway(
  config: GatewayConfig,
  deps: {
    nc: NatsConnection;
    log: OpsLog;
    cluster: Cluster;
    logger: Logger;
    metrics?: GatewayMetrics;
    /** Already loaded (main.ts loads it before connecting anything, to fail fast). */
    users?: UsersFile;
  },
): Promise<RunningGateway> {
  const users = deps.users ?? loadGatewayUsers(config);
  const store = await OperationStore.open(deps.log, { rebuild: config.rebuildProjection });
  const metrics = deps.metrics ?? new GatewayMetrics();
  let clusterId: Promise<string> | undefined;
  const findings = new FindingsSource(deps.cluster);
  const app = await build({
    users,
    log: deps.log,
    store,
    metrics,
    logger: deps.logger,
    clusterId: () =>
      (clusterId ??= deps.cluster.identity().catch((error: unknown) => {
        clusterId = undefined;
        throw error;
      })),
    reviewAccess: (subject, steps) => reviewPlanAccess(deps.cluster, subject, steps),
    findings: (namespace) => findings.get(namespace),
    ready: () => streamReady(deps.nc, deps.log),
    policy: { ttlMs: config.approvalTtlMinutes * 60_000, requiredByRisk: config.approvers },
    webDir: config.web,
    corsOrigins: config.corsOrigins,
    rateLimit: { max: config.rateLimit, timeWindowMs: 60_000 },
    heartbeatMs: config.heartbeatMs,
  });
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    app,
    url: `http://${host}:${port}`,
    metrics,
    async stop() {
      await app.close();
      await store.stop();
    },
  };
}

/** The users file named by --users, else <data-dir>/users.yaml; a ConfigError if neither or malformed. */
export function loadGatewayUsers(config: Pick<GatewayConfig, 'users' | 'dataDir'>): UsersFile {
  const path =
    config.users ?? (config.dataDir === undefined ? undefined : join(config.dataDir, 'users.yaml'));
  if (path === undefined) {
    throw new ConfigError(
      'invalid configuration: --users (OPSLOOP_USERS): a users file is required (or --data-dir holding users.yaml)',
    );
  }
  return loadUsersFile(path);
}

/** NATS connected and the OPS stream present with the configuration the log needs. */
export async function streamReady(nc: NatsConnection, log: OpsLog): Promise<boolean> {
  if (nc.isClosed()) return false;
  try {
    const info = await log.jsm.streams.info(log.stream.name);
    const wanted = opsStreamConfig(log.stream);
    return compareStreamConfig(wanted, info.config, log.stream.duplicateWindowMs).length === 0;
  } catch {
    return false;
  }
}
