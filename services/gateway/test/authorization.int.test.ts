import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, request, type Harness } from './helpers/harness.ts';
import { plan } from './helpers/plans.ts';

/**
 * Every role × every endpoint × an operation of the caller's own team and of another team.
 * Callers are of team shop; "other" operations belong to team pay.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => h?.close());

const ROLES = ['shop-viewer', 'shop-requester', 'shop-approver', 'shop-admin', 'shop-bot'] as const;
type Caller = (typeof ROLES)[number];
type Endpoint = 'request' | 'list' | 'detail' | 'events' | 'approve' | 'reject' | 'me';

/** Expected status (and code where it matters) per endpoint, own team / other team. */
const EXPECTED: Record<Endpoint, Record<Caller, [number | string, number | string]>> = {
  request: {
    'shop-viewer': ['OPS_ERR_FORBIDDEN', 'OPS_ERR_FORBIDDEN'],
    'shop-requester': [202, 'OPS_ERR_NOT_TEAM_OWNER'],
    'shop-approver': ['OPS_ERR_FORBIDDEN', 'OPS_ERR_FORBIDDEN'],
    'shop-admin': [202, 'OPS_ERR_NOT_TEAM_OWNER'],
    'shop-bot': [202, 'OPS_ERR_NOT_TEAM_OWNER'],
  },
  list: Object.fromEntries(ROLES.map((r) => [r, [200, 200]])) as never,
  detail: Object.fromEntries(ROLES.map((r) => [r, [200, 404]])) as never,
  events: Object.fromEntries(ROLES.map((r) => [r, [200, 404]])) as never,
  approve: {
    'shop-viewer': ['OPS_ERR_FORBIDDEN', 404],
    'shop-requester': ['OPS_ERR_FORBIDDEN', 404],
    'shop-approver': [200, 404],
    'shop-admin': [200, 404],
    'shop-bot': ['OPS_ERR_SERVICE_CANNOT_APPROVE', 404],
  },
  reject: {
    'shop-viewer': ['OPS_ERR_FORBIDDEN', 404],
    'shop-requester': ['OPS_ERR_FORBIDDEN', 404],
    'shop-approver': [200, 404],
    'shop-admin': [200, 404],
    'shop-bot': ['OPS_ERR_SERVICE_CANNOT_APPROVE', 404],
  },
  me: Object.fromEntries(ROLES.map((r) => [r, [200, 200]])) as never,
};

async function pending(team: 'own' | 'other') {
  const id =
    team === 'own'
      ? await request(h, 'shop-requester', 'shop')
      : await request(h, 'pay-requester', 'payments');
  const planHash = await h.propose(id, plan(team === 'own' ? 'shop' : 'payments'));
  return { id, planHash };
}

async function call(caller: Caller, endpoint: Endpoint, team: 'own' | 'other') {
  const namespace = team === 'own' ? 'shop' : 'payments';
  switch (endpoint) {
    case 'request':
      return h.call(caller, 'POST', '/api/v1/operations', { request: 'scale checkout', namespace });
    case 'list': {
      const op = await pending(team);
      const res = await h.call(caller, 'GET', '/api/v1/operations?limit=100');
      const listed = res.body.items.some((i: { id: string }) => i.id === op.id);
      expect(listed, `${caller} lists ${team} operation`).toBe(team === 'own');
      return res;
    }
    case 'detail':
      return h.call(caller, 'GET', `/api/v1/operations/${(await pending(team)).id}`);
    case 'events':
      return h.call(
        caller,
        'GET',
        `/api/v1/operations/${(await pending(team)).id}/events`,
        undefined,
        { accept: 'application/json' },
      );
    case 'approve':
    case 'reject': {
      const op = await pending(team);
      return h.call(caller, 'POST', `/api/v1/operations/${op.id}/approval`, {
        decision: endpoint,
        planHash: op.planHash,
      });
    }
    case 'me':
      return h.call(caller, 'GET', '/api/v1/me');
  }
}

describe('authorization matrix', () => {
  for (const endpoint of Object.keys(EXPECTED) as Endpoint[]) {
    for (const caller of ROLES) {
      it(`${endpoint} as ${caller.replace('shop-', '')}: own team, other team`, async () => {
        const [own, other] = EXPECTED[endpoint][caller];
        for (const [team, expected] of [
          ['own', own],
          ['other', other],
        ] as const) {
          const res = await call(caller, endpoint, team);
          if (typeof expected === 'number')
            expect(res.status, `${team}: ${JSON.stringify(res.body)}`).toBe(expected);
          else expect(res.body.error?.code, `${team}: ${res.status}`).toBe(expected);
          if (res.status === 404)
            expect(res.body).toEqual({
              error: { code: 'OPS_ERR_NOT_FOUND', message: 'no such operation' },
            });
        }
      });
    }
  }

  it('without a token every API endpoint is a 401', async () => {
    const { id, planHash } = await pending('own');
    for (const [method, url, body] of [
      ['POST', '/api/v1/operations', { request: 'x' }],
      ['GET', '/api/v1/operations', undefined],
      ['GET', `/api/v1/operations/${id}`, undefined],
      ['GET', `/api/v1/operations/${id}/events`, undefined],
      ['POST', `/api/v1/operations/${id}/approval`, { decision: 'approve', planHash }],
      ['GET', '/api/v1/me', undefined],
    ] as const) {
      const res = await h.call(null, method, url, body);
      expect(res.status, url).toBe(401);
    }
  });
});
