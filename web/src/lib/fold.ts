import type { Finding, PayloadOf, Plan } from '@opsloop/contracts';
import type { StoredEnvelope } from './chain.ts';

/**
 * The operation as the console shows it, folded from its events (the gateway's events
 * endpoint). Payload shapes are contracts' own (type-only imports: nothing of contracts is
 * bundled). Unlike contracts' evolve, this keeps history: every plan proposed, with what
 * happened to it, so a re-plan or a rollback is shown next to the plan it follows.
 */
export interface StepProgress {
  index: number;
  stepId: string;
  state: 'pending' | 'running' | 'succeeded' | 'failed';
  at: string | null;
  error: { code: string; message: string } | null;
}

export interface CheckEntry {
  stepIndex: number;
  name: string;
  args: unknown;
  passed: boolean;
  observed: unknown;
  message: string | null;
  at: string;
}

export interface Grant {
  approver: string;
  at: string;
  expiresAt: string;
  comment: string | null;
  required: number;
}

export interface PlanEntry {
  planHash: string;
  plan: Plan;
  kind: 'remediation' | 'rollback';
  /** For a rollback: the planHash of the plan it undoes, and why. */
  rollsBack: string | null;
  reason: string | null;
  /** The planHash of a later rollback of this plan. */
  rolledBackBy: string | null;
  proposedAt: string;
  proposedBy: string;
  superseded: boolean;
  grants: Grant[];
  rejection: { approver: string; reason: string; at: string } | null;
  expired: { at: string; expiresAt: string } | null;
  execution: {
    startedAt: string | null;
    completedAt: string | null;
    steps: StepProgress[];
    invalidated: PayloadOf<'PlanInvalidated'> | null;
  };
  verification: {
    startedAt: string | null;
    checks: CheckEntry[];
    outcome: { passed: boolean; at: string; reason: string | null } | null;
  };
}

export interface OperationModel {
  opId: string;
  request: string | null;
  namespace: string | null;
  requestedBy: string | null;
  teams: string[];
  createdAt: string | null;
  updatedAt: string | null;
  context: PayloadOf<'ContextGathered'> | null;
  findings: Finding[];
  answer: string | null;
  plans: PlanEntry[];
  policyRejections: { at: string; violations: PayloadOf<'PlanRejectedByPolicy'>['violations'] }[];
  failure: { error: { code: string; message: string }; phase: string; at: string } | null;
  closed: { outcome: string; reason: string | null; at: string } | null;
  eventCount: number;
}

export function emptyModel(opId: string): OperationModel {
  return {
    opId,
    request: null,
    namespace: null,
    requestedBy: null,
    teams: [],
    createdAt: null,
    updatedAt: null,
    context: null,
    findings: [],
    answer: null,
    plans: [],
    policyRejections: [],
    failure: null,
    closed: null,
    eventCount: 0,
  };
}

export function foldEvents(opId: string, events: readonly StoredEnvelope[]): OperationModel {
  return events.reduce(applyEvent, emptyModel(opId));
}

type Payload = Record<string, unknown>;

/** Pure: the model after one more event. Unknown types only count (a newer gateway's events). */
export function applyEvent(model: OperationModel, event: StoredEnvelope): OperationModel {
  const m: OperationModel = {
    ...model,
    eventCount: model.eventCount + 1,
    createdAt: model.createdAt ?? event.occurredAt,
    updatedAt: event.occurredAt,
  };
  const p = (event.payload ?? {}) as Payload;
  const at = event.occurredAt;
  switch (event.type) {
    case 'OperationRequested': {
      const r = p as unknown as PayloadOf<'OperationRequested'>;
      return {
        ...m,
        request: r.request,
        namespace: r.namespace ?? null,
        requestedBy: r.requestedBy,
        teams: r.teams ?? [],
      };
    }
    case 'ContextGathered':
      return { ...m, context: p as unknown as PayloadOf<'ContextGathered'> };
    case 'DiagnosisRecorded':
      return { ...m, findings: (p as unknown as PayloadOf<'DiagnosisRecorded'>).findings };
    case 'OperationAnswered':
      return { ...m, answer: String(p.answer ?? '') };
    case 'PlanProposed':
    case 'RollbackProposed':
      return propose(m, event, p);
    case 'PlanRejectedByPolicy':
      return {
        ...m,
        policyRejections: [
          ...m.policyRejections,
          { at, violations: (p as unknown as PayloadOf<'PlanRejectedByPolicy'>).violations },
        ],
      };
    case 'OperationFailed': {
      const f = p as unknown as PayloadOf<'OperationFailed'>;
      return { ...m, failure: { error: f.error, phase: f.phase, at } };
    }
    case 'OperationClosed': {
      const c = p as unknown as PayloadOf<'OperationClosed'>;
      return { ...m, closed: { outcome: c.outcome, reason: c.reason ?? null, at } };
    }
    default:
      return onPlan(m, event, p);
  }
}

function propose(m: OperationModel, event: StoredEnvelope, p: Payload): OperationModel {
  const planHash = String(p.planHash);
  const plan = p.plan as Plan;
  const rollsBack = event.type === 'RollbackProposed' ? String(p.rollsBack) : null;
  const entry: PlanEntry = {
    planHash,
    plan,
    kind: rollsBack === null ? 'remediation' : 'rollback',
    rollsBack,
    reason: typeof p.reason === 'string' ? p.reason : null,
    rolledBackBy: null,
    proposedAt: event.occurredAt,
    proposedBy: event.actor.id,
    superseded: false,
    grants: [],
    rejection: null,
    expired: null,
    execution: {
      startedAt: null,
      completedAt: null,
      steps: plan.steps.map((step, index) => ({
        index,
        stepId: step.id,
        state: 'pending',
        at: null,
        error: null,
      })),
      invalidated: null,
    },
    verification: { startedAt: null, checks: [], outcome: null },
  };
  const plans = m.plans.map((old) => ({
    ...old,
    superseded: true,
    rolledBackBy: old.planHash === rollsBack ? planHash : old.rolledBackBy,
  }));
  return { ...m, plans: [...plans, entry] };
}

/** Events about the current (last proposed) plan. */
function onPlan(m: OperationModel, event: StoredEnvelope, p: Payload): OperationModel {
  const current = m.plans.at(-1);
  if (current === undefined) return m;
  const next = updatePlan(current, event, p);
  return next === current ? m : { ...m, plans: [...m.plans.slice(0, -1), next] };
}

function updatePlan(plan: PlanEntry, event: StoredEnvelope, p: Payload): PlanEntry {
  const at = event.occurredAt;
  const ex = plan.execution;
  const setStep = (index: number, change: Partial<StepProgress>): PlanEntry => ({
    ...plan,
    execution: {
      ...ex,
      steps: ex.steps.map((s) => (s.index === index ? { ...s, ...change, at } : s)),
    },
  });
  switch (event.type) {
    case 'ApprovalGranted': {
      if (p.planHash !== plan.planHash) return plan;
      const grant: Grant = {
        approver: String(p.approver),
        at,
        expiresAt: String(p.expiresAt),
        comment: typeof p.comment === 'string' ? p.comment : null,
        required: typeof p.required === 'number' ? p.required : 1,
      };
      return { ...plan, grants: [...plan.grants, grant] };
    }
    case 'ApprovalRejected':
      return {
        ...plan,
        rejection: { approver: String(p.approver), reason: String(p.reason), at },
      };
    case 'ApprovalExpired':
      return { ...plan, grants: [], expired: { at, expiresAt: String(p.expiresAt) } };
    case 'ExecutionStarted':
      return { ...plan, execution: { ...ex, startedAt: at } };
    case 'StepStarted':
      return setStep(Number(p.stepIndex), { state: 'running' });
    case 'StepSucceeded':
      return setStep(Number(p.stepIndex), { state: 'succeeded' });
    case 'StepFailed': {
      const error = p.error as { code: string; message: string };
      return setStep(Number(p.stepIndex), { state: 'failed', error });
    }
    case 'PlanInvalidated':
      return {
        ...plan,
        execution: { ...ex, invalidated: p as unknown as PayloadOf<'PlanInvalidated'> },
      };
    case 'ExecutionCompleted':
      return { ...plan, execution: { ...ex, completedAt: at } };
    case 'VerificationStarted':
      return { ...plan, verification: { ...plan.verification, startedAt: at } };
    case 'CheckPassed':
    case 'CheckFailed': {
      const r = p as unknown as PayloadOf<'CheckPassed'>;
      const check: CheckEntry = {
        stepIndex: r.stepIndex,
        name: r.check.name,
        args: r.check.args,
        passed: event.type === 'CheckPassed',
        observed: r.observed,
        message: r.message ?? null,
        at,
      };
      return {
        ...plan,
        verification: { ...plan.verification, checks: [...plan.verification.checks, check] },
      };
    }
    case 'VerificationPassed':
    case 'VerificationFailed':
      return {
        ...plan,
        verification: {
          ...plan.verification,
          outcome: {
            passed: event.type === 'VerificationPassed',
            at,
            reason: typeof p.reason === 'string' ? p.reason : null,
          },
        },
      };
    default:
      return plan;
  }
}
