import { describe, expect, it } from 'vitest';
import {
  OpsEvents,
  Phase,
  newEvent,
  planHash,
  seal,
  type OpsEvent,
  type OpsEventType,
  type PayloadOf,
} from '@opsloop/contracts';
import { STATUSES, applyToView, emptyView, statusOf } from '../src/mod.ts';
import {
  canSee,
  requiredApprovers,
  unownedNamespace,
  DEFAULT_APPROVAL_POLICY,
} from '../src/approvals/policy.ts';
import { matchesNamespace, type Identity } from '../src/users/directory.ts';
import { plan, step } from './helpers/plans.ts';

let n = 0;
function event<T extends OpsEventType>(
  type: T,
  payload: PayloadOf<T>,
  at = '2026-01-01T10:00:00.000Z',
): OpsEvent {
  const e = newEvent(type, payload, {
    opId: 'op-1',
    actor: { kind: 'service', id: 'test' },
    causationId: null,
    correlationId: 'op-1',
    id: `e${n++}`,
    occurredAt: at,
  });
  return OpsEvents.parse(seal(e, null));
}
const p = plan('shop', 'high');
const hash = planHash(p);
const requested = event('OperationRequested', {
  request: 'scale it',
  namespace: 'shop',
  requestedBy: 'alice',
  teams: ['shop'],
  scope: { namespaces: ['shop'] },
  cluster: { id: 'c' },
});
const proposed = event('PlanProposed', { plan: p, planHash: hash }, '2026-01-01T10:01:00.000Z');
const grant = (approver: string) =>
  event('ApprovalGranted', {
    planHash: hash,
    approver,
    expiresAt: '2026-01-01T10:31:00.000Z',
    required: 2,
  });
const fold = (...events: OpsEvent[]) => events.reduce(applyToView, emptyView('op-1'));

describe('status', () => {
  it('maps every phase to one of the API statuses', () => {
    for (const phase of Phase.options) expect(STATUSES).toContain(statusOf(phase, null));
    expect(statusOf('closed', 'succeeded')).toBe('succeeded');
    // A failed check is not the outcome until the verifier has proposed a rollback or failed.
    expect(statusOf('verification_failed', null)).toBe('verifying');
    expect(statusOf('execution_failed', null)).toBe('executing');
    expect(statusOf('failed', null)).toBe('failed');
    expect(statusOf('closed', 'rolled_back')).toBe('failed');
    expect(statusOf('closed', 'rejected')).toBe('rejected');
    expect(statusOf('executed', null)).toBe('verifying');
  });
});

describe('operation view', () => {
  it('folds request, plan and approvals; counts what is still needed', () => {
    const view = fold(requested, proposed, grant('bob'));
    expect(view).toMatchObject({
      status: 'awaiting_approval',
      requester: 'alice',
      namespace: 'shop',
      teams: ['shop'],
      plan: { planHash: hash, risk: 'high', proposedAt: '2026-01-01T10:01:00.000Z' },
      approvals: { required: 2, remaining: 1, granted: [{ approver: 'bob' }] },
      steps: [{ id: 's1', status: 'pending' }],
    });
    expect(fold(requested, proposed, grant('bob'), grant('carol'))).toMatchObject({
      status: 'approved',
      approvals: { remaining: 0 },
    });
  });

  it('follows execution and verification into a closed, succeeded operation', () => {
    const events = [
      requested,
      proposed,
      grant('bob'),
      grant('carol'),
      event('ExecutionStarted', { planHash: hash, approvalEventId: 'e-x' }),
      event('StepStarted', { stepIndex: 0, stepId: 's1' }),
      event('StepSucceeded', {
        stepIndex: 0,
        stepId: 's1',
        result: { resourceVersionBefore: '4711', resourceVersionAfter: '4800' },
      }),
      event('ExecutionCompleted', { planHash: hash, stepsApplied: 1 }),
      event('VerificationStarted', { planHash: hash, checks: 1 }),
      event('CheckPassed', {
        stepIndex: 0,
        check: { name: 'RolloutComplete', args: {} },
        observed: { ready: 5 },
      }),
      event('VerificationPassed', { planHash: hash, checksPassed: 1 }),
      event('OperationClosed', { outcome: 'succeeded' }),
    ];
    const view = fold(...events);
    expect(view).toMatchObject({
      status: 'succeeded',
      outcome: 'succeeded',
      closedAt: expect.any(String),
      eventCount: events.length,
      steps: [{ status: 'succeeded', resourceVersionAfter: '4800' }],
      verification: { status: 'passed', checks: [{ check: 'RolloutComplete', passed: true }] },
    });
  });
});

describe('policy', () => {
  const shop: Identity = {
    name: 'bob',
    kind: 'user',
    roles: ['approver'],
    teams: ['shop'],
    namespaces: ['shop', 'shop-*'],
    kubernetes: { user: 'u', groups: [] },
    via: 'token',
  };
  it('matches namespace globs exactly', () => {
    expect(matchesNamespace('shop-*', 'shop-eu')).toBe(true);
    expect(matchesNamespace('shop-*', 'shop')).toBe(false);
    expect(matchesNamespace('shop-*', 'myshop-eu')).toBe(false);
    expect(matchesNamespace('*', 'anything')).toBe(true);
    expect(matchesNamespace('sh.p', 'shop')).toBe(false);
  });
  it('sees by namespace, or by team when the request named none', () => {
    const view = fold(requested);
    expect(canSee(shop, view)).toBe(true);
    expect(canSee({ ...shop, namespaces: ['payments'], teams: ['pay'] }, view)).toBe(false);
    const noNamespace = { ...view, namespace: null };
    expect(canSee({ ...shop, namespaces: [], teams: ['shop'] }, noNamespace)).toBe(true);
  });
  it('names an unowned namespace; cluster-scoped steps need "*"', () => {
    const view = fold(
      requested,
      event('PlanProposed', {
        plan: { ...p, steps: [step('s1', 'shop', 'low'), step('s2', 'shop-eu', 'low')] },
        planHash: planHash({
          ...p,
          steps: [step('s1', 'shop', 'low'), step('s2', 'shop-eu', 'low')],
        }),
      }),
    );
    expect(unownedNamespace(shop, view)).toBeNull();
    expect(unownedNamespace({ ...shop, namespaces: ['shop'] }, view)).toBe('shop-eu');
  });
  it('requires approvers by the highest step risk', () => {
    expect(requiredApprovers(DEFAULT_APPROVAL_POLICY, fold(requested, proposed))).toBe(2);
    const low = plan('shop', 'low');
    expect(
      requiredApprovers(
        DEFAULT_APPROVAL_POLICY,
        fold(requested, event('PlanProposed', { plan: low, planHash: planHash(low) })),
      ),
    ).toBe(1);
    expect(
      requiredApprovers(
        {
          ...DEFAULT_APPROVAL_POLICY,
          requiredByRisk: { low: 3, medium: 1, high: 2, destructive: 2 },
        },
        fold(requested, event('PlanProposed', { plan: low, planHash: planHash(low) })),
      ),
    ).toBe(3);
  });
});
