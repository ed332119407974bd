import type { OpsEvent } from '../ops-events.ts';
import { checkKey, type OperationState } from './state.ts';

/**
 * Applies one stored event to the state. Events are facts already accepted by decide(),
 * so evolve never refuses one: it is total over OpsEvent, and an event arriving in an
 * order decide() would not have produced still folds without throwing (missing context is
 * simply left as it is). Illegal orders are stopped at decide(), not here.
 */
export function evolve(state: OperationState, event: OpsEvent): OperationState {
  const next = apply(state, event);
  return { ...next, eventCount: state.eventCount + 1, lastEventId: event.id };
}

function apply(s: OperationState, event: OpsEvent): OperationState {
  switch (event.type) {
    case 'OperationRequested':
      return {
        ...s,
        phase: 'requested',
        opId: event.opId,
        requestedBy: event.payload.requestedBy,
        clusterId: event.payload.cluster.id,
      };
    case 'ContextGathered':
    case 'DiagnosisRecorded':
      return { ...s, phase: 'diagnosing' };
    case 'PlanProposed':
    case 'RollbackProposed':
      return {
        ...s,
        phase: 'awaiting_approval',
        plan: {
          plan: event.payload.plan,
          planHash: event.payload.planHash,
          kind: event.type === 'PlanProposed' ? 'remediation' : 'rollback',
          rollsBack: event.type === 'RollbackProposed' ? event.payload.rollsBack : null,
        },
        grants: [],
        approval: null,
        execution: null,
        verification: null,
      };
    case 'PlanRejectedByPolicy':
    case 'ApprovalRejected':
      return { ...s, phase: 'rejected', grants: [], approval: null };
    case 'ApprovalGranted':
      return applyGrant(s, event);
    case 'ApprovalExpired':
      return { ...s, phase: 'awaiting_approval', grants: [], approval: null };
    case 'ExecutionStarted':
      return {
        ...s,
        phase: 'executing',
        approval: s.approval && { ...s.approval, consumedBy: event.id },
        execution: {
          planHash: event.payload.planHash,
          nextStep: 0,
          inFlight: null,
          failedStep: null,
        },
      };
    default:
      return applyLater(s, event);
  }
}

/**
 * Adds one approver's grant; the plan is approved once distinct approvers of the same
 * planHash reach the largest `required` any of them recorded (so a grant written with a
 * lower requirement cannot lower the bar). A repeated approver counts once.
 */
function applyGrant(s: OperationState, event: OpsEvent & { type: 'ApprovalGranted' }) {
  const { planHash, approver, expiresAt, required = 1 } = event.payload;
  // A grant of another plan than the current one approves nothing (decide never writes one).
  if (s.plan !== null && s.plan.planHash !== planHash) return s;
  // `?? []`: a state cached by a build from before multi-approver plans has no grants.
  const before = s.grants ?? [];
  const repeated = before.some((g) => g.approver === approver);
  const grants = repeated
    ? before
    : [...before, { approver, expiresAt, eventId: event.id, required }];
  const bar = Math.max(...grants.map((g) => g.required));
  if (s.approval !== null || grants.length < bar) return { ...s, grants };
  const expiries = grants.map((g) => g.expiresAt);
  const earliest = expiries.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
  const approval = {
    planHash,
    approver,
    approvers: grants.map((g) => g.approver),
    expiresAt: earliest,
    eventId: event.id,
    consumedBy: null,
  };
  return { ...s, phase: 'approved' as const, grants, approval };
}

/** Steps, verification and the end of an operation. */
function applyLater(s: OperationState, event: OpsEvent): OperationState {
  const execution = s.execution ?? { planHash: '', nextStep: 0, inFlight: null, failedStep: null };
  const verification = s.verification ?? { planHash: '', passed: [], failed: [] };
  switch (event.type) {
    case 'StepStarted':
      return { ...s, execution: { ...execution, inFlight: event.payload.stepIndex } };
    case 'StepSucceeded':
      return {
        ...s,
        execution: { ...execution, inFlight: null, nextStep: event.payload.stepIndex + 1 },
      };
    case 'StepFailed':
      return {
        ...s,
        phase: 'execution_failed',
        execution: { ...execution, inFlight: null, failedStep: event.payload.stepIndex },
      };
    case 'PlanInvalidated':
      return { ...s, phase: 'invalidated', execution: { ...execution, inFlight: null } };
    case 'ExecutionCompleted':
      return { ...s, phase: 'executed' };
    case 'VerificationStarted':
      return {
        ...s,
        phase: 'verifying',
        verification: { planHash: event.payload.planHash, passed: [], failed: [] },
      };
    case 'CheckPassed':
    case 'CheckFailed': {
      const key = checkKey(event.payload.stepIndex, event.payload.check);
      const list = event.type === 'CheckPassed' ? 'passed' : 'failed';
      return { ...s, verification: { ...verification, [list]: [...verification[list], key] } };
    }
    case 'VerificationPassed':
      return { ...s, phase: 'verified' };
    case 'VerificationFailed':
      return { ...s, phase: 'verification_failed' };
    case 'OperationAnswered':
      return { ...s, phase: 'answered' };
    case 'OperationFailed':
      return { ...s, phase: 'failed' };
    case 'OperationClosed':
      return { ...s, phase: 'closed' };
    default:
      return s;
  }
}
