import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationStore, applyToView, emptyView } from '../src/mod.ts';
import { startHarness, request, type Harness } from './helpers/harness.ts';
import { plan } from './helpers/plans.ts';

/** The read model: many operations of several teams, rebuilt from the stream, resumed after a restart. */
let h: Harness;
const ids: string[] = [];
beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 120; i++) {
    const pay = i % 3 === 0;
    const id = await request(
      h,
      pay ? 'pay-requester' : 'shop-requester',
      pay ? 'payments' : i % 2 ? 'shop' : 'shop-eu',
      `op ${i}`,
    );
    if (i % 4 === 0) await h.propose(id, plan(pay ? 'payments' : i % 2 ? 'shop' : 'shop-eu'));
    ids.push(id);
  }
}, 120_000);
afterAll(async () => h?.close());

describe('operation read model', () => {
  it('every view equals a fresh replay of its events', async () => {
    for (const id of ids.slice(0, 30)) {
      const { events } = await h.log.read(id);
      expect(h.store.get(id)).toEqual(events.reduce(applyToView, emptyView(id)));
    }
  });

  it('a rebuild from the stream into a new bucket gives the same views; a reopened one resumes', async () => {
    const rebuilt = await OperationStore.open(h.log, { bucket: 'gw_rebuild_test', rebuild: true });
    try {
      expect(rebuilt.size).toBe(ids.length);
      for (const id of ids) expect(rebuilt.get(id)).toEqual(h.store.get(id));
    } finally {
      await rebuilt.stop();
    }
    const extra = await request(h, 'shop-requester');
    const reopened = await OperationStore.open(h.log, { bucket: 'gw_rebuild_test' });
    try {
      expect(reopened.size).toBe(ids.length + 1);
      expect(reopened.get(extra)?.request).toBe('scale checkout to 5');
      expect(reopened.get(ids[0]!)).toEqual(h.store.get(ids[0]!));
    } finally {
      await reopened.stop();
    }
  });

  it('lists by team across pages, 25 at a time, with no operation twice or missing', async () => {
    const expectedShop = ids.filter((_, i) => i % 3 !== 0);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await h.call('shop-viewer', 'GET', `/api/v1/operations?limit=25${query}`);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen.filter((id) => ids.includes(id)).sort()).toEqual([...expectedShop].sort());
    const pay = await h.call(
      'pay-viewer',
      'GET',
      '/api/v1/operations?limit=100&status=awaiting_approval',
    );
    expect(pay.body.items).toHaveLength(ids.filter((_, i) => i % 3 === 0 && i % 4 === 0).length);
  });
});

describe('console and CORS', () => {
  it('serves the built console and its client routes; API paths stay JSON', async () => {
    const web = mkdtempSync(join(tmpdir(), 'gw-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Opsloop</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    const withWeb = await startHarness({ webDir: web, corsOrigins: ['https://console.example'] });
    try {
      const index = await withWeb.app.inject({ url: '/' });
      expect(index.body).toContain('<title>Opsloop</title>');
      expect(index.headers['content-security-policy']).toContain("default-src 'self'");
      expect((await withWeb.app.inject({ url: '/assets/app.js' })).body).toBe('console.log(1)');
      expect((await withWeb.app.inject({ url: '/operations/op-1' })).body).toContain('<title>');
      const api = await withWeb.app.inject({ url: '/api/v1/nothing' });
      expect(api.statusCode).toBe(401);
      const missing = await withWeb.app.inject({ url: '/assets/missing.js' });
      expect(missing.statusCode).toBe(404);
      expect(JSON.parse(missing.body).error.code).toBe('OPS_ERR_NOT_FOUND');
      const cors = await withWeb.app.inject({
        url: '/healthz',
        headers: { origin: 'https://console.example' },
      });
      expect(cors.headers['access-control-allow-origin']).toBe('https://console.example');
      const other = await withWeb.app.inject({
        url: '/healthz',
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await withWeb.close();
    }
    const noWeb = await startHarness({ webDir: join(web, 'absent') });
    try {
      expect((await noWeb.app.inject({ url: '/' })).statusCode).toBe(404);
    } finally {
      await noWeb.close();
    }
  }, 60_000);

  it('rate limits per token with a 429 in the error shape', async () => {
    const limited = await startHarness({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await limited.call('shop-viewer', 'GET', '/api/v1/me')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const res = await limited.call('shop-viewer', 'GET', '/api/v1/me');
      expect(res.body.error.code).toBe('OPS_ERR_RATE_LIMITED');
      expect((await limited.call('shop-approver', 'GET', '/api/v1/me')).status).toBe(200);
    } finally {
      await limited.close();
    }
  }, 60_000);
});
