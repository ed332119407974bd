import type { OpsEvent, Plan } from '@opsloop/contracts';
import { evolve } from '@opsloop/contracts';
import { statusOf } from './status.ts';
import { highestRisk, type OperationView, type StepRecord } from './view.ts';

/** Pure: the view after `event`. Never throws on an unexpected order (like evolve). */
export function applyToView(view: OperationView, event: OpsEvent): OperationView {
  const lifecycle = evolve(view.lifecycle, event);
  const next = {
    ...details(view, event),
    lifecycle,
    phase: lifecycle.phase,
    eventCount: lifecycle.eventCount,
  };
  next.createdAt ??= event.occurredAt;
  next.updatedAt = event.occurredAt;
  next.status = statusOf(lifecycle.phase, next.outcome);
  const required = next.approvals.required;
  next.approvals = {
    ...next.approvals,
    remaining: required === null ? null : Math.max(0, required - next.approvals.granted.length),
  };
  return next;
}

function newPlan(
  view: OperationView,
  plan: Plan,
  planHash: string,
  at: string,
  rollback?: { rollsBack: string; reason: string },
): OperationView {
  return {
    ...view,
    plan: {
      kind: rollback ? 'rollback' : 'remediation',
      plan,
      planHash,
      risk: highestRisk(plan),
      proposedAt: at,
      rollsBack: rollback?.rollsBack ?? null,
      reason: rollback?.reason ?? null,
    },
    approvals: { required: null, granted: [], remaining: null, rejected: null, expiredAt: null },
    steps: plan.steps.map((s, index) => ({
      index,
      id: s.id,
      status: 'pending',
      startedAt: null,
      finishedAt: null,
      resourceVersionAfter: null,
      error: null,
    })),
    verification: null,
    invalidation: null,
  };
}

function step(view: OperationView, index: number, change: Partial<StepRecord>): OperationView {
  return { ...view, steps: view.steps.map((s) => (s.index === index ? { ...s, ...change } : s)) };
}

function details(view: OperationView, e: OpsEvent): OperationView {
  const at = e.occurredAt;
  switch (e.type) {
    case 'OperationRequested':
      return {
        ...view,
        request: e.payload.request,
        namespace: e.payload.namespace ?? null,
        requester: e.payload.requestedBy,
        teams: e.payload.teams ?? [],
        scope: e.payload.scope?.namespaces ?? [],
        clusterId: e.payload.cluster.id,
      };
    case 'ContextGathered':
      return { ...view, context: e.payload.summary };
    case 'DiagnosisRecorded':
      return { ...view, diagnosis: { findings: e.payload.findings } };
    case 'PlanProposed':
      return newPlan(view, e.payload.plan, e.payload.planHash, at);
    case 'RollbackProposed':
      return {
        ...newPlan(view, e.payload.plan, e.payload.planHash, at, e.payload),
        rollback: {
          planHash: e.payload.planHash,
          reason: e.payload.reason,
          rollsBack: e.payload.rollsBack,
        },
      };
    case 'PlanRejectedByPolicy':
      return { ...view, policyViolations: e.payload.violations };
    case 'ApprovalGranted': {
      const { approvals } = view;
      if (approvals.granted.some((g) => g.approver === e.payload.approver)) return view;
      const granted = [
        ...approvals.granted,
        { approver: e.payload.approver, eventId: e.id, at, comment: e.payload.comment ?? null },
      ];
      const required = Math.max(approvals.required ?? 1, e.payload.required ?? 1);
      return { ...view, approvals: { ...approvals, granted, required } };
    }
    case 'ApprovalRejected':
      return {
        ...view,
        approvals: {
          ...view.approvals,
          rejected: {
            approver: e.payload.approver,
            eventId: e.id,
            at,
            comment: null,
            reason: e.payload.reason,
          },
        },
      };
    case 'ApprovalExpired':
      return {
        ...view,
        approvals: {
          required: view.approvals.required,
          granted: [],
          remaining: null,
          rejected: null,
          expiredAt: at,
        },
      };
    case 'StepStarted':
      return step(view, e.payload.stepIndex, { status: 'running', startedAt: at });
    case 'StepSucceeded':
      return step(view, e.payload.stepIndex, {
        status: 'succeeded',
        finishedAt: at,
        resourceVersionAfter: e.payload.result.resourceVersionAfter,
      });
    case 'StepFailed':
      return step(view, e.payload.stepIndex, {
        status: 'failed',
        finishedAt: at,
        error: e.payload.error,
      });
    case 'PlanInvalidated':
      return {
        ...view,
        invalidation: { stepIndex: e.payload.stepIndex, reason: e.payload.reason },
      };
    case 'VerificationStarted':
      return { ...view, verification: { status: 'running', checks: [], reason: null } };
    case 'CheckPassed':
    case 'CheckFailed': {
      const verification = view.verification ?? {
        status: 'running' as const,
        checks: [],
        reason: null,
      };
      const check = {
        stepIndex: e.payload.stepIndex,
        check: e.payload.check.name,
        passed: e.type === 'CheckPassed',
        message: e.payload.message ?? null,
        at,
      };
      return {
        ...view,
        verification: { ...verification, checks: [...verification.checks, check] },
      };
    }
    case 'VerificationPassed':
      return {
        ...view,
        verification: { ...(view.verification ?? { checks: [], reason: null }), status: 'passed' },
      };
    case 'VerificationFailed':
      return {
        ...view,
        verification: {
          ...(view.verification ?? { checks: [] }),
          status: 'failed',
          reason: e.payload.reason,
        },
      };
    case 'OperationAnswered':
      return { ...view, answer: e.payload.answer };
    case 'OperationFailed':
      return { ...view, failure: e.payload.error };
    case 'OperationClosed':
      return { ...view, outcome: e.payload.outcome, closedAt: at };
    default:
      return view;
  }
}
