import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, request, type Harness } from './helpers/harness.ts';
import { CLUSTER_ID, plan } from './helpers/plans.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => h?.close());

describe('POST /api/v1/operations', () => {
  it('appends OperationRequested with the requester, teams, scope and cluster id; 202 {id, status}', async () => {
    const res = await h.call('shop-requester', 'POST', '/api/v1/operations', {
      request: 'scale checkout to 5',
      namespace: 'shop',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^op-/), status: 'requested' });
    const { events } = await h.log.read(res.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'OperationRequested',
      actor: { kind: 'user', id: 'shop-requester' },
      payload: {
        request: 'scale checkout to 5',
        namespace: 'shop',
        requestedBy: 'shop-requester',
        teams: ['shop'],
        scope: { namespaces: ['shop', 'shop-*'] },
        cluster: { id: CLUSTER_ID },
      },
    });
  });

  it('refuses a namespace no team of the requester owns, an over-long request and unknown fields', async () => {
    const other = await h.call('shop-requester', 'POST', '/api/v1/operations', {
      request: 'x',
      namespace: 'payments',
    });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('OPS_ERR_NOT_TEAM_OWNER');
    const long = await h.call('shop-requester', 'POST', '/api/v1/operations', {
      request: 'x'.repeat(4001),
    });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({
      code: 'OPS_ERR_VALIDATION',
      fields: { request: expect.any(String) },
    });
    const extra = await h.call('shop-requester', 'POST', '/api/v1/operations', {
      request: 'x',
      admin: true,
    });
    expect(extra.status).toBe(400);
    expect(Object.keys(extra.body.error.fields)).toEqual(['(root)']);
  });

  it('viewers and approvers cannot request', async () => {
    for (const user of ['shop-viewer', 'shop-approver']) {
      const res = await h.call(user, 'POST', '/api/v1/operations', { request: 'scale checkout' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('OPS_ERR_FORBIDDEN');
    }
  });
});

describe('GET /api/v1/operations', () => {
  it('lists what the caller may see, newest first, paginated, filtered by status and namespace', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push(await request(h, 'shop-requester', i % 2 === 0 ? 'shop' : 'shop-eu'));
    const payId = await request(h, 'pay-requester', 'payments');
    await h.propose(ids[4]!, plan('shop'));

    const first = await h.call('shop-viewer', 'GET', '/api/v1/operations?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(3);
    expect(first.body.items[0].id).toBe(ids[4]);
    expect(first.body.items.map((i: { id: string }) => i.id)).not.toContain(payId);
    const seen = [...first.body.items];
    let cursor = first.body.nextCursor;
    while (cursor !== null) {
      const next = await h.call(
        'shop-viewer',
        'GET',
        `/api/v1/operations?limit=3&cursor=${cursor}`,
      );
      seen.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    const seenIds = seen.map((i) => i.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    for (const id of ids) expect(seenIds).toContain(id);
    expect(seenIds).not.toContain(payId);
    const created = seen.map((i) => i.createdAt);
    expect([...created].sort().reverse()).toEqual(created);

    const awaiting = await h.call(
      'shop-viewer',
      'GET',
      '/api/v1/operations?status=awaiting_approval',
    );
    expect(awaiting.body.items.map((i: { id: string }) => i.id)).toEqual([ids[4]]);
    expect(awaiting.body.items[0]).toMatchObject({
      risk: 'low',
      approvals: { required: 1, granted: [], remaining: 1 },
    });
    const eu = await h.call('shop-viewer', 'GET', '/api/v1/operations?namespace=shop-eu');
    expect(eu.body.items.map((i: { id: string }) => i.id).sort()).toEqual([ids[1], ids[3]].sort());
    const payView = await h.call('pay-viewer', 'GET', '/api/v1/operations');
    expect(payView.body.items.map((i: { id: string }) => i.id)).toEqual([payId]);
    // By team: the operations of that team's requesters; another team's filter shows nothing new.
    const shopTeam = await h.call('shop-viewer', 'GET', '/api/v1/operations?team=shop&limit=100');
    expect(shopTeam.body.items.map((i: { id: string }) => i.id)).toEqual(
      expect.arrayContaining(ids),
    );
    const payTeam = await h.call('shop-viewer', 'GET', '/api/v1/operations?team=pay');
    expect(payTeam.body.items).toEqual([]);
  });

  it('rejects a bad status, limit or cursor with field errors', async () => {
    for (const [query, field] of [
      ['status=done', 'status'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=bm9wZQ', 'cursor'],
    ]) {
      const res = await h.call('shop-viewer', 'GET', `/api/v1/operations?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.fields, query).toHaveProperty(field!);
    }
  });
});

describe('GET /api/v1/operations/:id', () => {
  it('returns the projection; another team gets a 404 exactly like an unknown id', async () => {
    const id = await request(h, 'shop-requester');
    const hash = await h.propose(id, plan('shop', 'high'));
    const res = await h.call('shop-viewer', 'GET', `/api/v1/operations/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      status: 'awaiting_approval',
      request: 'scale checkout to 5',
      requester: 'shop-requester',
      namespace: 'shop',
      plan: { planHash: hash, risk: 'high', kind: 'remediation', expiresAt: expect.any(String) },
      approvals: { required: 2, granted: [], remaining: 2 },
      steps: [{ index: 0, id: 's1', status: 'pending' }],
    });
    expect(res.body).not.toHaveProperty('lifecycle');
    const other = await h.call('pay-viewer', 'GET', `/api/v1/operations/${id}`);
    const unknown = await h.call('pay-viewer', 'GET', '/api/v1/operations/op-unknown');
    expect(other.status).toBe(404);
    expect(other.body).toEqual(unknown.body);
    expect((await h.call('pay-viewer', 'GET', '/api/v1/operations/has.dots')).status).toBe(400);
  });
});

describe('identity and service routes', () => {
  it('GET /api/v1/me', async () => {
    const res = await h.call('shop-approver', 'GET', '/api/v1/me');
    expect(res.body).toEqual({
      name: 'shop-approver',
      kind: 'user',
      roles: ['approver'],
      teams: ['shop'],
      namespaces: ['shop', 'shop-*'],
      kubernetes: { user: 'opsloop:shop-approver', groups: ['opsloop:team:shop'] },
    });
  });

  it('no token, a bad token or a malformed header is a 401 in the one error shape', async () => {
    const bad: Record<string, string>[] = [
      {},
      { authorization: 'Bearer opl_bm9ib2R5_' + 'a'.repeat(43) },
      { authorization: 'Basic abc' },
      { authorization: `Bearer ${h.tokens['shop-viewer']}x` },
    ];
    for (const headers of bad) {
      const res = await h.call(null, 'GET', '/api/v1/me', undefined, headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: { code: 'OPS_ERR_UNAUTHENTICATED', message: expect.any(String) },
      });
    }
  });

  it('/healthz, /readyz, /metrics and /api/openapi.json need no token', async () => {
    expect((await h.call(null, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await h.call(null, 'GET', '/readyz')).status).toBe(200);
    const metrics = await h.call(null, 'GET', '/metrics');
    expect(metrics.body).toContain('opsloop_gateway_refusals_total');
    const spec = await h.call(null, 'GET', '/api/openapi.json');
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths).sort()).toEqual([
      '/api/v1/auth/config',
      '/api/v1/auth/oidc/token',
      '/api/v1/me',
      '/api/v1/namespaces/{namespace}/findings',
      '/api/v1/operations',
      '/api/v1/operations/{id}',
      '/api/v1/operations/{id}/approval',
      '/api/v1/operations/{id}/events',
    ]);
    expect(
      spec.body.paths['/api/v1/operations'].post.requestBody.content['application/json'].schema
        .properties.request.maxLength,
    ).toBe(4000);
  });

  it('sets security headers and no CORS headers by default', async () => {
    const res = await h.call('shop-viewer', 'GET', '/api/v1/me', undefined, {
      origin: 'https://evil.example',
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('an unknown route is a JSON 404', async () => {
    const res = await h.call(null, 'GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('OPS_ERR_NOT_FOUND');
  });
});
