import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import {
  OpsEvents,
  decide,
  evolve,
  initialState,
  newEventFrom,
  planHash,
  type Plan,
} from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { startNatsServer, type NatsServer } from '@opsloop/testkit';
import type { FastifyInstance } from 'fastify';
import { build, OperationStore, type GatewayOptions } from '../../src/mod.ts';
import type { OpsLog } from '../../src/model/store.ts';
import { CLUSTER_ID } from './plans.ts';
import { testUsers } from './users.ts';

export interface Harness {
  nats: NatsServer;
  nc: NatsConnection;
  log: OpsLog;
  store: OperationStore;
  app: FastifyInstance;
  tokens: Record<string, string>;
  /** Test clock offset: the gateway's now() is the real time plus this. */
  clock: { offsetMs: number };
  /** What the planner does: propose `plan` for the operation; returns the planHash. */
  propose(opId: string, plan: Plan): Promise<string>;
  /** POST as `user` (JSON body) or GET; returns status and parsed body. */
  call(
    user: string | null,
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{
    status: number; // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
    body: any;
    headers: Record<string, unknown>;
  }>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<GatewayOptions> = {}): Promise<Harness> {
  const nats = await startNatsServer();
  const nc = await connect({ servers: nats.url });
  const log = await EventLog.open(nc, OpsEvents);
  const store = await OperationStore.open(log);
  const { file, tokens } = await testUsers();
  const clock = { offsetMs: 0 };
  const app = await build({
    users: file,
    log,
    store,
    logger: false,
    clusterId: async () => CLUSTER_ID,
    reviewAccess: async () => ({ allowed: true }),
    ready: async () => true,
    rateLimit: { max: 100_000, timeWindowMs: 60_000 },
    heartbeatMs: 200,
    now: () => new Date(Date.now() + clock.offsetMs),
    ...options,
  });
  await app.ready();
  const harness: Harness = {
    nats,
    nc,
    log,
    store,
    app,
    tokens,
    clock,
    async propose(opId, plan) {
      const { events } = await log.read(opId);
      const state = events.reduce(evolve, initialState);
      const [pending] = decide({ type: 'ProposePlan', plan }, state, new Date());
      const envelope = newEventFrom(pending!, {
        opId,
        actor: { kind: 'service', id: 'planner' },
        causationId: state.lastEventId,
        correlationId: opId,
      });
      const result = await log.append(opId, [envelope], state.eventCount);
      await store.waitFor(result.lastSequence);
      return planHash(plan);
    },
    async call(user, method, url, body, headers = {}) {
      const response = await app.inject({
        method,
        url,
        headers: {
          ...(user === null ? {} : { authorization: `Bearer ${tokens[user]}` }),
          ...headers,
        },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      let parsed: unknown = response.body;
      try {
        parsed = JSON.parse(response.body);
      } catch {
        // not JSON (SSE, metrics)
      }
      return { status: response.statusCode, body: parsed, headers: response.headers };
    },
    async close() {
      await app.close();
      await store.stop();
      await nc.close();
      await nats.stop();
    },
  };
  return harness;
}

/** Requests an operation as `user` and returns its id. */
export async function request(
  h: Harness,
  user: string,
  namespace = 'shop',
  text = 'scale checkout to 5',
) {
  const res = await h.call(user, 'POST', '/api/v1/operations', { request: text, namespace });
  if (res.status !== 202)
    throw new Error(`request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
