import { planHash } from '@opsloop/contracts';
import { describe, expect, it } from 'vitest';
import { decisionBlock } from '../src/lib/approval.ts';
import type { StoredEnvelope } from '../src/lib/chain.ts';
import { foldEvents } from '../src/lib/fold.ts';
import type { Me } from '../src/lib/types.ts';
import { completed, proposed, selectorPlan, svc } from './support/history.ts';

const fold = (events: unknown[]) => foldEvents('op-1', events as StoredEnvelope[]);
const approver: Me = {
  name: 'alan',
  kind: 'user',
  roles: ['approver'],
  teams: ['payments'],
  namespaces: ['payments'],
  kubernetes: { user: 'opsloop:alan', groups: [] },
};
const waiting = { status: 'awaiting_approval' };

describe('foldEvents', () => {
  it('follows a plan from proposal to verified', () => {
    const plan = selectorPlan('c1');
    const model = fold(completed(proposed('op-1', 'rita', 'c1'), 'alan', plan).sealed());
    const entry = model.plans[0]!;
    expect(model.requestedBy).toBe('rita');
    expect(model.findings[0]?.code).toBe('ServiceSelectorMismatch');
    expect(entry.planHash).toBe(planHash(plan));
    expect(entry.grants.map((g) => g.approver)).toEqual(['alan']);
    expect(entry.execution.steps[0]?.state).toBe('succeeded');
    expect(entry.verification.checks.map((c) => [c.name, c.passed, c.observed])).toEqual([
      ['EndpointsReady', true, { readyEndpoints: 2 }],
      ['ServiceResponds', true, { status: 200 }],
    ]);
    expect(entry.verification.outcome?.passed).toBe(true);
    expect(model.closed?.outcome).toBe('succeeded');
  });

  it('keeps a re-planned plan as superseded and links a rollback both ways', () => {
    const first = selectorPlan('c1', '101');
    const h = proposed('op-1', 'rita', 'c1', first);
    const second = selectorPlan('c1', '105');
    h.add('PlanProposed', { plan: second, planHash: planHash(second) }, svc('planner'));
    const undo = selectorPlan('c1', '106');
    h.add(
      'RollbackProposed',
      {
        plan: undo,
        planHash: planHash(undo),
        reason: 'verification failed',
        rollsBack: planHash(second),
      },
      svc('verifier'),
    );
    const model = fold(h.sealed());
    expect(model.plans.map((p) => [p.kind, p.superseded])).toEqual([
      ['remediation', true],
      ['remediation', true],
      ['rollback', false],
    ]);
    expect(model.plans[1]?.rolledBackBy).toBe(planHash(undo));
    expect(model.plans[2]?.rollsBack).toBe(planHash(second));
    expect(decisionBlock(approver, model, model.plans[0]!, waiting)).toMatch(/newer plan/);
    expect(decisionBlock(approver, model, model.plans[2]!, waiting)).toBeNull();
  });
});

describe('decisionBlock', () => {
  const model = fold(proposed('op-1', 'rita', 'c1').sealed());
  const plan = model.plans[0]!;

  it('says why: own request, viewer, another team, expired, already decided', () => {
    expect(decisionBlock({ ...approver, name: 'rita' }, model, plan, waiting)).toMatch(
      /your own request/,
    );
    expect(decisionBlock({ ...approver, roles: ['viewer'] }, model, plan, waiting)).toMatch(
      /do not include approver/,
    );
    expect(decisionBlock({ ...approver, namespaces: ['shop-*'] }, model, plan, waiting)).toMatch(
      /not an approver of namespace payments/,
    );
    expect(
      decisionBlock(approver, model, plan, { ...waiting, expiresAt: '2020-01-01T00:00:00Z' }),
    ).toMatch(/expired/);
    expect(decisionBlock(approver, model, plan, { status: 'executing' })).toMatch(/not waiting/);
    expect(decisionBlock(approver, model, plan, waiting)).toBeNull();
    expect(decisionBlock({ ...approver, namespaces: ['pay*'] }, model, plan, waiting)).toBeNull();
  });
});
