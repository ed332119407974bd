import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { newEvent, seal } from '@opsloop/contracts';
import { OP_VERSION_HEADER, verifyChain } from '@opsloop/eventlog';
import { startHarness, request, type Harness } from './helpers/harness.ts';
import { plan } from './helpers/plans.ts';
import { openSse } from './helpers/sse.ts';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness({ heartbeatMs: 100 });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => h?.close());

const auth = (user: string) => ({ authorization: `Bearer ${h.tokens[user]}` });

describe('GET /api/v1/operations/:id/events', () => {
  it('streams history then live events with ids 1..n, heartbeats, and resumes after Last-Event-ID', async () => {
    const id = await request(h, 'shop-requester');
    const sse = await openSse(`${base}/api/v1/operations/${id}/events`, auth('shop-viewer'));
    expect(sse.status).toBe(200);
    const [first] = await sse.waitFor(1);
    expect(first).toMatchObject({ id: '1', event: 'OperationRequested' });
    expect(JSON.parse(first!.data)).toMatchObject({ opId: id, type: 'OperationRequested' });
    const hash = await h.propose(id, plan('shop'));
    await sse.waitFor(2);
    await sse.waitForHeartbeat();
    sse.close();

    // While nobody listens: an approval appends ApprovalGranted (event 3).
    const approved = await h.call('shop-approver', 'POST', `/api/v1/operations/${id}/approval`, {
      decision: 'approve',
      planHash: hash,
    });
    expect(approved.status).toBe(200);
    const resumed = await openSse(`${base}/api/v1/operations/${id}/events`, {
      ...auth('shop-viewer'),
      'last-event-id': '2',
    });
    const [third] = await resumed.waitFor(1);
    expect(third).toMatchObject({ id: '3', event: 'ApprovalGranted' });
    // A later live event follows without a repeat.
    const other = await request(h, 'shop-requester');
    await h.propose(other, plan('shop'));
    await h.call('shop-approver', 'POST', `/api/v1/operations/${other}/approval`, {
      decision: 'reject',
      planHash: (await h.call('shop-viewer', 'GET', `/api/v1/operations/${other}`)).body.plan
        .planHash,
    });
    expect(resumed.frames.map((f) => f.id)).toEqual(['3']);
    resumed.close();

    const full = await openSse(`${base}/api/v1/operations/${id}/events`, {
      ...auth('shop-viewer'),
      'last-event-id': '0',
    });
    await full.waitFor(3);
    expect(full.frames.map((f) => f.id)).toEqual(['1', '2', '3']);
    full.close();
  });

  it('a Last-Event-ID that is not a position streams from the start', async () => {
    const id = await request(h, 'shop-requester');
    for (const lastEventId of ['abc', '-1', '9'.repeat(30), '1.5']) {
      const sse = await openSse(`${base}/api/v1/operations/${id}/events`, {
        ...auth('shop-viewer'),
        'last-event-id': lastEventId,
      });
      expect((await sse.waitFor(1))[0]!.id).toBe('1');
      sse.close();
    }
  });

  it('a JSON array with Accept: application/json', async () => {
    const id = await request(h, 'shop-requester');
    await h.propose(id, plan('shop'));
    const res = await h.call('shop-viewer', 'GET', `/api/v1/operations/${id}/events`, undefined, {
      accept: 'application/json',
    });
    expect(res.status).toBe(200);
    expect(res.body.map((e: { type: string }) => e.type)).toEqual([
      'OperationRequested',
      'PlanProposed',
    ]);
  });

  it('the JSON array holds the envelopes as stored (an old version not upcast), so the chain verifies', async () => {
    const id = await request(h, 'shop-requester');
    const hash = await h.propose(id, plan('shop'));
    const { events } = await h.log.read(id);
    // An approval written by a gateway of the v1 era: no `required`, version 1.
    const current = newEvent(
      'ApprovalGranted',
      {
        planHash: hash,
        approver: 'shop-approver',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      },
      {
        opId: id,
        actor: { kind: 'user', id: 'shop-approver' },
        causationId: events[1]!.id,
        correlationId: id,
      },
    );
    // Published as that gateway stored it (today's log writes the latest version only).
    const raw = (await h.log.readRaw(id)) as { hash: string }[];
    const old = seal({ ...current, version: 1, traceparent: null }, raw[1]!.hash);
    const headers = natsHeaders();
    headers.set(OP_VERSION_HEADER, '3');
    await h.log.js.publish(h.log.subject(id), JSON.stringify(old), { headers });
    const res = await h.call('shop-viewer', 'GET', `/api/v1/operations/${id}/events`, undefined, {
      accept: 'application/json',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await h.log.readRaw(id));
    expect(res.body[2]).toMatchObject({ type: 'ApprovalGranted', version: 1 });
    expect(res.body[2].payload).not.toHaveProperty('required');
    expect(verifyChain(res.body).length).toBe(3);
  });

  it('another team gets a 404, not a stream', async () => {
    const id = await request(h, 'shop-requester');
    const sse = await openSse(`${base}/api/v1/operations/${id}/events`, auth('pay-viewer'));
    expect(sse.status).toBe(404);
    const none = await openSse(`${base}/api/v1/operations/${id}/events`, {});
    expect(none.status).toBe(401);
  });

  it('many concurrent subscribers each get every event once, in order', async () => {
    const id = await request(h, 'shop-requester');
    const clients = await Promise.all(
      Array.from({ length: 50 }, () =>
        openSse(`${base}/api/v1/operations/${id}/events`, auth('shop-viewer')),
      ),
    );
    await Promise.all(clients.map((c) => c.waitFor(1)));
    const hash = await h.propose(id, plan('shop'));
    await h.call('shop-approver', 'POST', `/api/v1/operations/${id}/approval`, {
      decision: 'approve',
      planHash: hash,
    });
    for (const c of clients) {
      await c.waitFor(3);
      expect(c.frames.map((f) => f.event)).toEqual([
        'OperationRequested',
        'PlanProposed',
        'ApprovalGranted',
      ]);
      c.close();
    }
  });
});
