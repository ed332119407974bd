import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  OpsEvents,
  decide,
  evolve,
  initialState,
  newEventFrom,
  planHash,
} from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { startKubeSim, type KubeSim } from '@opsloop/kube-sim';
import { connectCluster, type Cluster } from '@opsloop/kube-tools';
import {
  spawnService,
  startNatsServer,
  type NatsServer,
  type ServiceProcess,
} from '@opsloop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEmbeddedUsers, type Credential } from '../src/mod.ts';
import { plan } from './helpers/plans.ts';

/**
 * The gateway as its own process (src/main.ts) against a real nats-server and kube-sim:
 * the cluster id is the sim's, and SubjectAccessReview decides whether an approval is granted.
 */
let nats: NatsServer;
let sim: KubeSim;
let admin: Cluster;
let gateway: ServiceProcess;
let nc: NatsConnection;
let url: string;
let users: Record<string, Credential>;
const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));

beforeAll(async () => {
  nats = await startNatsServer();
  sim = await startKubeSim({ controllers: false });
  admin = await connectCluster({ kubeconfigText: sim.kubeconfig() });
  const dir = mkdtempSync(join(tmpdir(), 'gw-process-'));
  const embedded = await generateEmbeddedUsers({
    teams: [{ name: 'shop', namespaces: ['shop'] }],
    dataDir: dir,
  });
  users = Object.fromEntries(embedded.credentials.map((c) => [c.name, c]));
  await admin.request('POST', '/api/v1/namespaces', {
    body: { kind: 'Namespace', metadata: { name: 'shop' } },
  });
  // RBAC lets approver-1 (by user name) scale deployments in shop; approver-2 has nothing.
  const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/shop';
  await admin.request('POST', `${rbac}/roles`, {
    body: {
      kind: 'Role',
      metadata: { name: 'scaler' },
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] }],
    },
  });
  await admin.request('POST', `${rbac}/rolebindings`, {
    body: {
      kind: 'RoleBinding',
      metadata: { name: 'scaler' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'scaler' },
      subjects: [
        {
          kind: 'User',
          name: users['shop-approver-1']!.kubernetes.user,
          apiGroup: 'rbac.authorization.k8s.io',
        },
      ],
    },
  });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig());
  gateway = await spawnService({
    name: 'gateway',
    entry,
    args: [
      '--nats',
      nats.url,
      '--kubeconfig',
      kubeconfig,
      '--port',
      '0',
      '--data-dir',
      dir,
      '--log-level',
      'info',
    ],
    readyTimeoutMs: 60_000,
  });
  const ready = gateway.logs.find((l) => l.msg === 'ready')!;
  url = ready.url as string;
  nc = await connect({ servers: nats.url });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await nc?.close();
  await sim?.stop();
  await nats?.stop();
});

const call = async (user: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${users[user]!.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
  return { status: res.status, body: (await res.json()) as any };
};

/** What the planner would do: propose a plan for the sim's cluster. */
async function propose(opId: string) {
  const log = await EventLog.open(nc, OpsEvents);
  const { events } = await log.read(opId);
  const state = events.reduce(evolve, initialState);
  const p = plan('shop', 'low', state.clusterId!);
  const [pending] = decide({ type: 'ProposePlan', plan: p }, state, new Date());
  await log.append(
    opId,
    [
      newEventFrom(pending!, {
        opId,
        actor: { kind: 'service', id: 'planner' },
        causationId: state.lastEventId,
        correlationId: opId,
      }),
    ],
    state.eventCount,
  );
  return planHash(p);
}

describe('gateway process', () => {
  it('logs its URL when ready and answers /healthz and /readyz', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('requests carry the cluster id (the kube-system namespace uid); SAR allows approver-1, denies approver-2', async () => {
    const created = await call('shop-requester', 'POST', '/api/v1/operations', {
      request: 'scale checkout to 5',
      namespace: 'shop',
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    const log = await EventLog.open(nc, OpsEvents);
    const { events } = await log.read(id);
    const kubeSystem = await admin.request<{ metadata: { uid: string } }>(
      'GET',
      '/api/v1/namespaces/kube-system',
    );
    expect(events[0]).toMatchObject({
      type: 'OperationRequested',
      payload: { cluster: { id: kubeSystem.metadata.uid } },
    });

    const hash = await propose(id);
    const denied = await call('shop-approver-2', 'POST', `/api/v1/operations/${id}/approval`, {
      decision: 'approve',
      planHash: hash,
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('OPS_ERR_RBAC_DENIED');
    expect(denied.body.error.message).toMatch(
      /step 0 \(s1\): missing permission: (get|patch) apps\/deployments shop\/checkout/,
    );
    const granted = await call('shop-approver-1', 'POST', `/api/v1/operations/${id}/approval`, {
      decision: 'approve',
      planHash: hash,
    });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ status: 'approved', approver: 'shop-approver-1' });
    const after = await log.read(id);
    expect(after.events.map((e) => e.type)).toEqual([
      'OperationRequested',
      'PlanProposed',
      'ApprovalGranted',
    ]);
    const refusal = gateway.logs.find(
      (l) => l.msg === 'request refused' && l.code === 'OPS_ERR_RBAC_DENIED',
    );
    expect(refusal).toMatchObject({ user: 'shop-approver-2', status: 403 });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/opsloop_gateway_refusals_total\{[^}]*code="OPS_ERR_RBAC_DENIED"\} 1/);
  });

  it('a malformed users file stops it at start with the file, line and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-bad-users-'));
    const file = join(dir, 'users.yaml');
    writeFileSync(
      file,
      'teams:\n  - name: shop\n    namespaces: [shop]\nusers:\n  - name: bob\n    teams: [shop]\n    roles: [root]\n    oidcSubject: b\n',
    );
    const bad = await spawnService({
      name: 'gateway-bad',
      entry,
      args: ['--nats', nats.url, '--port', '0', '--users', file],
      ready: null,
    });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain(`${file}:7: users[0].roles[0]:`);
  }, 30_000);

  it('drains on SIGTERM and exits 0', async () => {
    expect(await gateway.stop()).toBe(0);
  });
});
