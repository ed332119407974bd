// The HTTP surface clients depend on, checked on the wire: authentication, impersonation,
// discovery, 404s, tables, watch semantics, service proxy and the audit log.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError, startKubeSim, type KubeSim } from '../../src/mod.ts';
import { https, watchStream } from '../helpers/https.ts';
import { until } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let sim: KubeSim;
let admin: string;
const json = { 'Content-Type': 'application/json' };

beforeAll(async () => {
  // The API server alone: binding, proxy and logs are asserted without a simulated cluster.
  sim = await startKubeSim({
    port: 0,
    controllers: false,
    bookmarkIntervalMs: 200,
    users: [{ token: 'bob', username: 'bob', groups: [] }],
  });
  admin = /token: (\S+)/.exec(sim.kubeconfig())![1]!;
  await https(`${sim.url}/api/v1/namespaces`, {
    method: 'POST',
    token: admin,
    headers: json,
    body: JSON.stringify({ metadata: { name: 'shop' } }),
  });
});
afterAll(async () => {
  await sim.stop();
});

describe('HTTP surface', () => {
  it('answers /version and health anonymously, everything else only with a known token', async () => {
    expect((await https(`${sim.url}/version`)).json()['gitVersion']).toBe('v1.31.0');
    expect((await https(`${sim.url}/readyz`)).text).toBe('ok');
    const anonymous = await https(`${sim.url}/api/v1/pods`);
    expect([anonymous.status, anonymous.json()['reason']]).toEqual([401, 'Unauthorized']);
    expect((await https(`${sim.url}/api/v1/pods`, { token: 'wrong' })).status).toBe(401);
  });

  it('serves discovery and answers unknown resources with the API server 404', async () => {
    const core = (await https(`${sim.url}/api/v1`, { token: admin })).json() as {
      resources: { name: string; verbs: string[] }[];
    };
    expect(core.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['pods', 'pods/log', 'pods/eviction', 'services/proxy', 'namespaces']),
    );
    const groups = (await https(`${sim.url}/apis`, { token: admin })).json() as {
      groups: { name: string; preferredVersion: { version: string } }[];
    };
    expect(groups.groups.find((g) => g.name === 'autoscaling')?.preferredVersion.version).toBe(
      'v2',
    );
    const missing = await https(`${sim.url}/apis/example.com/v1/widgets`, { token: admin });
    expect([missing.status, missing.json()['message']]).toEqual([
      404,
      'the server could not find the requested resource',
    ]);
  });

  it('honours impersonation only for callers allowed to impersonate, and audits who did it', async () => {
    const denied = await https(`${sim.url}/api/v1/namespaces/shop/configmaps`, {
      token: 'bob',
      headers: { 'Impersonate-User': 'admin' },
    });
    expect(denied.status).toBe(403);
    expect(denied.json()['message']).toBe(
      'users "admin" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    const asBob = await https(`${sim.url}/api/v1/namespaces/shop/configmaps`, {
      method: 'POST',
      token: admin,
      headers: { ...json, 'Impersonate-User': 'bob' },
      body: JSON.stringify({ metadata: { name: 'c' } }),
    });
    expect(asBob.status).toBe(403);
    expect(asBob.json()['message']).toBe(
      'configmaps is forbidden: User "bob" cannot create resource "configmaps" in API group "" in the namespace "shop"',
    );
    expect(sim.audit.entries().at(-1)).toMatchObject({
      user: 'bob',
      impersonatedBy: 'admin',
      verb: 'create',
      responseCode: 403,
    });
  });

  it('answers Table requests with server-side columns', async () => {
    const table = (
      await https(`${sim.url}/api/v1/namespaces`, {
        token: admin,
        headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
      })
    ).json() as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
      metadata: { resourceVersion: string };
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(table.rows.map((r) => r.cells[0])).toContain('shop');
    expect(Number(table.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('watches with a label selector: objects leaving the selection arrive as DELETED; bookmarks flow', async () => {
    const create = (name: string, tier: string) =>
      https(`${sim.url}/api/v1/namespaces/shop/configmaps`, {
        method: 'POST',
        token: admin,
        headers: json,
        body: JSON.stringify({ metadata: { name, labels: { tier } } }),
      });
    await create('front', 'web');
    const watch = watchStream(
      `${sim.url}/api/v1/namespaces/shop/configmaps?watch=true&labelSelector=tier%3Dweb&allowWatchBookmarks=true`,
      admin,
    );
    await until(() => watch.events.some((e) => e.type === 'ADDED'), 5000, 'initial ADDED');
    await create('back', 'db');
    await https(`${sim.url}/api/v1/namespaces/shop/configmaps/front`, {
      method: 'PATCH',
      token: admin,
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: '{"metadata":{"labels":{"tier":"db"}}}',
    });
    await until(
      () =>
        watch.events.some((e) => e.type === 'DELETED') &&
        watch.events.some((e) => e.type === 'BOOKMARK'),
      5000,
      'DELETED and BOOKMARK',
    );
    watch.stop();
    const names = watch.events
      .filter((e) => e.type !== 'BOOKMARK')
      .map((e) => `${e.type} ${(e.object['metadata'] as { name: string }).name}`);
    expect(names).toEqual(['ADDED front', 'DELETED front']);
  });

  it('proxies to services through SimHooks, answering 503 without endpoints', async () => {
    await https(`${sim.url}/api/v1/namespaces/shop/services`, {
      method: 'POST',
      token: admin,
      headers: json,
      body: JSON.stringify({
        metadata: { name: 'api' },
        spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80 }] },
      }),
    });
    const none = await https(`${sim.url}/api/v1/namespaces/shop/services/api:http/proxy/healthz`, {
      token: admin,
    });
    expect([none.status, none.json()['message']]).toEqual([
      503,
      'no endpoints available for service "api"',
    ]);
    sim.setHooks({
      logs: () => [],
      followLogs: () => () => {},
      proxy: async (namespace, service, port, request) => ({
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: `${namespace}/${service}:${port} ${request.method} ${request.path}?${request.query}`,
      }),
    });
    const ok = await https(
      `${sim.url}/api/v1/namespaces/shop/services/http:api:80/proxy/v1/items?x=1`,
      { token: admin },
    );
    expect([ok.status, ok.text]).toEqual([200, 'shop/api:80 GET /v1/items?x=1']);
  });

  it('binds pods to nodes and evicts them through admission', async () => {
    const pod = { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'c:1' }] } };
    await https(`${sim.url}/api/v1/namespaces/shop/pods`, {
      method: 'POST',
      token: admin,
      headers: json,
      body: JSON.stringify(pod),
    });
    const bind = (node: string) =>
      https(`${sim.url}/api/v1/namespaces/shop/pods/p1/binding`, {
        method: 'POST',
        token: admin,
        headers: json,
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name: 'p1' },
          target: { kind: 'Node', name: node },
        }),
      });
    expect((await bind('node-1')).status).toBe(201);
    const again = await bind('node-2');
    expect([again.status, again.json()['message']]).toEqual([
      409,
      'Operation cannot be fulfilled on pods/binding "p1": pod p1 is already assigned to node "node-1"',
    ]);
    expect(
      (
        (await https(`${sim.url}/api/v1/namespaces/shop/pods/p1`, { token: admin })).json()[
          'spec'
        ] as { nodeName: string }
      ).nodeName,
    ).toBe('node-1');
    // A disruption-budget style admission plugin, as the simulation installs for PDBs.
    sim.api.addAdmission(({ subresource, oldObject }) => {
      if (subresource === 'eviction' && oldObject?.metadata.labels?.['protected'] === 'true')
        throw new ApiError(
          429,
          'TooManyRequests',
          "Cannot evict pod as it would violate the pod's disruption budget.",
        );
    });
    await https(`${sim.url}/api/v1/namespaces/shop/pods`, {
      method: 'POST',
      token: admin,
      headers: json,
      body: JSON.stringify({ ...pod, metadata: { name: 'p2', labels: { protected: 'true' } } }),
    });
    const refused = await https(`${sim.url}/api/v1/namespaces/shop/pods/p2/eviction`, {
      method: 'POST',
      token: admin,
      headers: json,
      body: JSON.stringify({
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: 'p2', namespace: 'shop' },
      }),
    });
    expect([refused.status, refused.json()['reason']]).toEqual([429, 'TooManyRequests']);
    expect(
      (await https(`${sim.url}/api/v1/namespaces/shop/pods/p2`, { token: admin })).status,
    ).toBe(200);
    const evict = await https(`${sim.url}/api/v1/namespaces/shop/pods/p1/eviction`, {
      method: 'POST',
      token: admin,
      headers: json,
      body: JSON.stringify({
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: 'p1', namespace: 'shop' },
      }),
    });
    expect(evict.status).toBe(201);
    expect(
      (await https(`${sim.url}/api/v1/namespaces/shop/pods/p1`, { token: admin })).status,
    ).toBe(404);
    expect(sim.audit.entries().at(-1)).toMatchObject({
      verb: 'create',
      resource: 'pods',
      subresource: 'eviction',
      name: 'p1',
      responseCode: 201,
    });
  });
});
