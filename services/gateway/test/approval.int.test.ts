import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepAccessReview } from '../src/mod.ts';
import { startHarness, request, type Harness } from './helpers/harness.ts';
import { plan, step } from './helpers/plans.ts';

let h: Harness;
/** What the SubjectAccessReview stand-in answers; real SAR is tested in gateway.int.test.ts. */
let access: (user: string) => StepAccessReview = () => ({ allowed: true });
beforeAll(async () => {
  h = await startHarness({ reviewAccess: async (subject) => access(subject.user) });
}, 60_000);
afterAll(async () => h?.close());

const approve = (user: string, id: string, planHash: string, extra: object = {}) =>
  h.call(user, 'POST', `/api/v1/operations/${id}/approval`, {
    decision: 'approve',
    planHash,
    ...extra,
  });
const reject = (user: string, id: string, planHash: string) =>
  h.call(user, 'POST', `/api/v1/operations/${id}/approval`, {
    decision: 'reject',
    planHash,
    comment: 'not now',
  });
const types = async (id: string) => (await h.log.read(id)).events.map((e) => e.type);

async function awaiting(risk: 'low' | 'high' = 'low', namespace = 'shop') {
  const id = await request(
    h,
    namespace === 'payments' ? 'pay-requester' : 'shop-requester',
    namespace,
  );
  return { id, hash: await h.propose(id, plan(namespace, risk)) };
}

describe('approve', () => {
  it('a low-risk plan: one approval appends ApprovalGranted by the user and the operation is approved', async () => {
    const { id, hash } = await awaiting();
    const res = await approve('shop-approver', id, hash, { comment: 'ok' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      decision: 'approve',
      planHash: hash,
      approver: 'shop-approver',
      status: 'approved',
      approvals: { required: 1, granted: ['shop-approver'], remaining: 0 },
    });
    const { events } = await h.log.read(id);
    expect(events.at(-1)).toMatchObject({
      type: 'ApprovalGranted',
      version: 2,
      actor: { kind: 'user', id: 'shop-approver' },
      payload: { planHash: hash, approver: 'shop-approver', required: 1, comment: 'ok' },
    });
    expect((await h.call('shop-viewer', 'GET', `/api/v1/operations/${id}`)).body.status).toBe(
      'approved',
    );
  });

  it('a high-risk plan needs two distinct approvers; the same one twice is the same answer', async () => {
    const { id, hash } = await awaiting('high');
    const first = await approve('shop-approver', id, hash);
    expect(first.body).toMatchObject({
      status: 'awaiting_approval',
      approvals: { required: 2, remaining: 1 },
    });
    const again = await approve('shop-approver', id, hash);
    expect(again.status).toBe(200);
    expect(again.body.eventId).toBe(first.body.eventId);
    expect(again.body.decidedAt).toBe(first.body.decidedAt);
    expect(await types(id)).toEqual(['OperationRequested', 'PlanProposed', 'ApprovalGranted']);
    const second = await approve('shop-admin', id, hash);
    expect(second.body).toMatchObject({
      status: 'approved',
      approvals: { required: 2, granted: ['shop-approver', 'shop-admin'], remaining: 0 },
    });
    expect((await h.log.read(id)).events.filter((e) => e.type === 'ApprovalGranted')).toHaveLength(
      2,
    );
  });

  it('another planHash is a 409 carrying the current one', async () => {
    const { id, hash } = await awaiting();
    const res = await approve('shop-approver', id, 'a'.repeat(64));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'OPS_ERR_PLAN_HASH_MISMATCH',
      current: { planHash: hash },
    });
  });

  it('never your own request; never as a service identity; never without the approver role', async () => {
    const id = await request(h, 'shop-admin');
    const hash = await h.propose(id, plan('shop'));
    expect((await approve('shop-admin', id, hash)).body.error.code).toBe('OPS_ERR_SELF_APPROVAL');
    const bot = await approve('shop-bot', id, hash);
    expect(bot.status).toBe(403);
    expect(bot.body.error.code).toBe('OPS_ERR_SERVICE_CANNOT_APPROVE');
    for (const user of ['shop-viewer', 'shop-requester']) {
      expect((await approve(user, id, hash)).body.error.code).toBe('OPS_ERR_FORBIDDEN');
    }
    expect(await types(id)).toEqual(['OperationRequested', 'PlanProposed']);
  });

  it('another team: 404; a plan touching a namespace the approver does not own: 403 naming it', async () => {
    const { id, hash } = await awaiting();
    expect((await approve('pay-approver', id, hash)).status).toBe(404);
    const wide = await request(h, 'shop-requester');
    const widePlan = {
      ...plan('shop'),
      steps: [step('s1', 'shop', 'low'), step('s2', 'payments', 'low')],
    };
    const wideHash = await h.propose(wide, widePlan);
    const res = await approve('shop-approver', wide, wideHash);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'OPS_ERR_NOT_TEAM_OWNER',
      message: expect.stringContaining('payments'),
    });
  });

  it('RBAC denied: 403 naming the step and the missing permission, nothing appended', async () => {
    const { id, hash } = await awaiting();
    access = () => ({
      allowed: false,
      stepIndex: 0,
      stepId: 's1',
      reason: 'no',
      denied: {
        verb: 'patch',
        group: 'apps',
        resource: 'deployments',
        namespace: 'shop',
        name: 'checkout',
        reason: 'no',
      },
    });
    try {
      const res = await approve('shop-approver', id, hash);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('OPS_ERR_RBAC_DENIED');
      expect(res.body.error.message).toContain('step 0 (s1)');
      expect(res.body.error.message).toContain('patch apps/deployments shop/checkout');
    } finally {
      access = () => ({ allowed: true });
    }
    expect(await types(id)).toEqual(['OperationRequested', 'PlanProposed']);
  });

  it('past the approval window: 410 and one ApprovalExpired, however often asked', async () => {
    const { id, hash } = await awaiting();
    h.clock.offsetMs = 31 * 60_000;
    try {
      for (let i = 0; i < 3; i++) {
        const res = await approve('shop-approver', id, hash);
        expect(res.status).toBe(410);
        expect(res.body.error.code).toBe('OPS_ERR_APPROVAL_EXPIRED');
      }
    } finally {
      h.clock.offsetMs = 0;
    }
    expect(await types(id)).toEqual(['OperationRequested', 'PlanProposed', 'ApprovalExpired']);
  });
});

describe('reject', () => {
  it('appends ApprovalRejected and OperationClosed; the status is rejected', async () => {
    const { id, hash } = await awaiting();
    const res = await reject('shop-approver', id, hash);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('rejected');
    const { events } = await h.log.read(id);
    expect(events.slice(-2)).toMatchObject([
      {
        type: 'ApprovalRejected',
        actor: { kind: 'user', id: 'shop-approver' },
        payload: { reason: 'not now' },
      },
      {
        type: 'OperationClosed',
        actor: { kind: 'service', id: 'gateway' },
        payload: { outcome: 'rejected' },
      },
    ]);
    const again = await reject('shop-approver', id, hash);
    expect(again.status).toBe(200);
    expect(again.body.eventId).toBe(res.body.eventId);
    expect((await h.log.read(id)).events).toHaveLength(4);
  });

  it('reject after approve, and approve after reject, are 409', async () => {
    const a = await awaiting();
    await approve('shop-approver', a.id, a.hash);
    for (const user of ['shop-approver', 'shop-approver-2']) {
      const res = await reject(user, a.id, a.hash);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('OPS_ERR_CONFLICT');
    }
    const r = await awaiting();
    await reject('shop-approver', r.id, r.hash);
    for (const user of ['shop-approver', 'shop-approver-2']) {
      expect((await approve(user, r.id, r.hash)).status).toBe(409);
    }
  });
});

describe('concurrency', () => {
  it('10 concurrent approvals by different approvers → exactly one ApprovalGranted', async () => {
    const { id, hash } = await awaiting();
    const users = ['shop-approver', 'shop-approver-2', 'shop-admin'];
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => approve(users[i % 3]!, id, hash)),
    );
    const granted = (await h.log.read(id)).events.filter((e) => e.type === 'ApprovalGranted');
    expect(granted).toHaveLength(1);
    const winner = granted[0]!.payload.approver;
    for (const answer of answers) {
      if (answer.status === 200)
        expect(answer.body).toMatchObject({ approver: winner, eventId: granted[0]!.id });
      else expect(answer.status).toBe(409);
    }
  });

  it('10 concurrent identical approvals → one ApprovalGranted, ten identical answers', async () => {
    const { id, hash } = await awaiting();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => approve('shop-approver', id, hash)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.body.eventId)).size).toBe(1);
    expect((await h.log.read(id)).events.filter((e) => e.type === 'ApprovalGranted')).toHaveLength(
      1,
    );
  });

  it('a high-risk plan with 10 concurrent approvers gets exactly two grants', async () => {
    const { id, hash } = await awaiting('high');
    const users = ['shop-approver', 'shop-approver-2', 'shop-admin'];
    await Promise.all(Array.from({ length: 10 }, (_, i) => approve(users[i % 3]!, id, hash)));
    const granted = (await h.log.read(id)).events.filter((e) => e.type === 'ApprovalGranted');
    expect(granted).toHaveLength(2);
    expect(new Set(granted.map((g) => g.payload.approver)).size).toBe(2);
  });
});

describe('refusals are counted', () => {
  it('/metrics counts refusals by code', async () => {
    const metrics = await h.call(null, 'GET', '/metrics');
    expect(metrics.body).toMatch(
      /opsloop_gateway_refusals_total\{route="\/api\/v1\/operations\/:id\/approval",code="OPS_ERR_SELF_APPROVAL"\} [1-9]/,
    );
  });
});
