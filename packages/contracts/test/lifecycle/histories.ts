import { planHash, type Command, type Phase, type PendingEvent } from '../../src/mod.ts';
import { rollbackPlan, samplePlan } from '../support/sample-plans.ts';
import { NOW, eventId } from './given.ts';

/** Histories that bring an operation into each phase, built from realistic events. */

export const plan = samplePlan();
export const hash = planHash(plan);
export const rollback = rollbackPlan();
export const rollbackHash = planHash(rollback);
export const REQUESTER = 'alice@example.com';
export const APPROVER = 'bob@example.com';
export const inMinutes = (minutes: number) =>
  new Date(NOW.getTime() + minutes * 60_000).toISOString();

export const requested: PendingEvent = {
  type: 'OperationRequested',
  payload: {
    request: 'scale checkout to 5 and fix its service',
    namespace: 'shop',
    requestedBy: REQUESTER,
    cluster: { id: 'kube-sim-local' },
  },
};
export const contextGathered: PendingEvent = {
  type: 'ContextGathered',
  payload: {
    summary: 'checkout: 2 replicas, service has 0 endpoints',
    toolCalls: 3,
    truncated: false,
  },
};
export const proposed: PendingEvent = { type: 'PlanProposed', payload: { plan, planHash: hash } };
export const granted: PendingEvent = {
  type: 'ApprovalGranted',
  payload: { planHash: hash, approver: APPROVER, expiresAt: inMinutes(15) },
};

const toAwaiting = [requested, contextGathered, proposed];
const toApproved = [...toAwaiting, granted];
/** The ApprovalGranted event is the 4th event of these histories. */
export const grantedEventId = eventId(3);
const toExecuting: PendingEvent[] = [
  ...toApproved,
  { type: 'ExecutionStarted', payload: { planHash: hash, approvalEventId: grantedEventId } },
];
export const stepStarted = (stepIndex: number): PendingEvent => ({
  type: 'StepStarted',
  payload: { stepIndex, stepId: plan.steps[stepIndex]!.id },
});
export const stepSucceeded = (stepIndex: number): PendingEvent => ({
  type: 'StepSucceeded',
  payload: {
    stepIndex,
    stepId: plan.steps[stepIndex]!.id,
    result: {
      resourceVersionBefore: plan.steps[stepIndex]!.target.resourceVersion,
      resourceVersionAfter: '9000',
    },
  },
});
const toExecuted: PendingEvent[] = [
  ...toExecuting,
  stepStarted(0),
  stepSucceeded(0),
  stepStarted(1),
  stepSucceeded(1),
  { type: 'ExecutionCompleted', payload: { planHash: hash, stepsApplied: 2 } },
];
const toVerifying: PendingEvent[] = [
  ...toExecuted,
  { type: 'VerificationStarted', payload: { planHash: hash, checks: 3 } },
];
/** Every postcondition of samplePlan(), as the verifier reports them. */
export const checkResults = plan.steps.flatMap((step, stepIndex) =>
  step.checks.map((check) => ({ stepIndex, check, observed: { ok: true } })),
);
export const allChecksPassed: PendingEvent[] = checkResults.map((payload) => ({
  type: 'CheckPassed',
  payload,
}));
const error = { code: 'OPS_ERR_TEST', message: 'something broke', retryable: false };

export const phaseHistories: Record<Phase, PendingEvent[]> = {
  new: [],
  requested: [requested],
  diagnosing: [requested, contextGathered],
  awaiting_approval: toAwaiting,
  approved: toApproved,
  executing: toExecuting,
  executed: toExecuted,
  verifying: toVerifying,
  verified: [
    ...toVerifying,
    ...allChecksPassed,
    { type: 'VerificationPassed', payload: { planHash: hash, checksPassed: 3 } },
  ],
  verification_failed: [
    ...toVerifying,
    {
      type: 'VerificationFailed',
      payload: { planHash: hash, failedChecks: ['0:RolloutComplete'], reason: 'timed out' },
    },
  ],
  execution_failed: [
    ...toExecuting,
    stepStarted(0),
    { type: 'StepFailed', payload: { stepIndex: 0, stepId: 's1', error } },
  ],
  invalidated: [
    ...toExecuting,
    {
      type: 'PlanInvalidated',
      payload: {
        stepIndex: 0,
        stepId: 's1',
        reason: 'changed',
        expectedResourceVersion: '4711',
        actualResourceVersion: '4712',
        changedPath: '/metadata/generation',
      },
    },
  ],
  answered: [requested, { type: 'OperationAnswered', payload: { answer: 'it is fine' } }],
  rejected: [
    ...toAwaiting,
    { type: 'ApprovalRejected', payload: { planHash: hash, approver: APPROVER, reason: 'no' } },
  ],
  failed: [requested, { type: 'OperationFailed', payload: { error, phase: 'requested' } }],
  closed: [requested, { type: 'OperationClosed', payload: { outcome: 'cancelled' } }],
};

/** One sample of every command, with the phases in which it is legal. */
export const commandSamples: { command: Command; legalIn: Phase[] }[] = [
  { command: { type: 'RequestOperation', ...requested.payload } as Command, legalIn: ['new'] },
  {
    command: { type: 'RecordContext', ...contextGathered.payload } as Command,
    legalIn: ['requested', 'diagnosing'],
  },
  { command: { type: 'RecordDiagnosis', findings: [] }, legalIn: ['requested', 'diagnosing'] },
  { command: { type: 'ProposePlan', plan }, legalIn: ['requested', 'diagnosing', 'invalidated'] },
  { command: { type: 'Answer', answer: 'all good' }, legalIn: ['requested', 'diagnosing'] },
  {
    command: {
      type: 'RejectPlanByPolicy',
      planHash: hash,
      violations: [{ rule: 'rbac', message: 'denied' }],
    },
    legalIn: ['requested', 'diagnosing', 'awaiting_approval'],
  },
  {
    command: { type: 'GrantApproval', ...granted.payload } as Command,
    legalIn: ['awaiting_approval'],
  },
  {
    command: { type: 'RejectApproval', planHash: hash, approver: APPROVER, reason: 'no' },
    legalIn: ['awaiting_approval'],
  },
  { command: { type: 'ExpireApproval' }, legalIn: ['awaiting_approval', 'approved'] },
  { command: { type: 'StartExecution', planHash: hash }, legalIn: ['approved'] },
  { command: { type: 'StartStep', stepIndex: 0 }, legalIn: ['executing'] },
  {
    command: {
      type: 'SucceedStep',
      stepIndex: 0,
      result: { resourceVersionBefore: '4711', resourceVersionAfter: '1' },
    },
    legalIn: ['executing'],
  },
  { command: { type: 'FailStep', stepIndex: 0, error }, legalIn: ['executing'] },
  { command: { type: 'CompleteExecution' }, legalIn: ['executing'] },
  {
    command: { type: 'HoldExecution', reason: 'kill_switch_engaged', message: 'the switch is set' },
    legalIn: ['approved', 'executing'],
  },
  {
    command: {
      type: 'InvalidatePlan',
      stepIndex: 0,
      reason: 'changed',
      actualResourceVersion: '1',
      changedPath: '/spec',
    },
    legalIn: ['executing'],
  },
  { command: { type: 'StartVerification' }, legalIn: ['executed'] },
  { command: { type: 'PassCheck', ...checkResults[0]! }, legalIn: ['verifying'] },
  { command: { type: 'FailCheck', ...checkResults[0]! }, legalIn: ['verifying'] },
  { command: { type: 'PassVerification' }, legalIn: ['verifying'] },
  { command: { type: 'FailVerification', reason: 'timed out' }, legalIn: ['verifying'] },
  {
    command: { type: 'ProposeRollback', plan: rollback, reason: 'undo' },
    legalIn: ['verification_failed', 'execution_failed', 'invalidated'],
  },
  {
    command: { type: 'Fail', error },
    legalIn: [
      'requested',
      'diagnosing',
      'awaiting_approval',
      'approved',
      'executing',
      'executed',
      'verifying',
      'verification_failed',
      'execution_failed',
      'invalidated',
    ],
  },
  {
    command: { type: 'Close' },
    legalIn: [
      'requested',
      'diagnosing',
      'awaiting_approval',
      'approved',
      'executed',
      'verifying',
      'verification_failed',
      'execution_failed',
      'invalidated',
      'verified',
      'answered',
      'rejected',
      'failed',
    ],
  },
];
