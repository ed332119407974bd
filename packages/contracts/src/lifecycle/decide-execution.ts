import { IllegalTransitionError, InvalidCommandError } from '../errors.ts';
import type { PendingEvent } from '../ops-events.ts';
import type { Step } from '../plan.ts';
import type { CommandOf } from './commands.ts';
import { emit, requirePhase, requirePlan } from './guard.ts';
import type { ExecutionState, OperationState } from './state.ts';

/**
 * Steps run strictly in plan order, one at a time: StartStep(i) only when i is the next
 * step and none is in flight; a step ends (succeeds or fails) only if it is the one in
 * flight. Step ids and planned resourceVersions come from the plan, not the caller.
 */

function executing(command: string, state: OperationState) {
  requirePhase(command, state, ['executing']);
  const plan = requirePlan(command, state);
  const execution = state.execution;
  if (execution === null) {
    throw new IllegalTransitionError(command, state.phase, 'execution has not started');
  }
  return { steps: plan.plan.steps, execution, planHash: plan.planHash };
}

function inFlightStep(command: string, state: OperationState, stepIndex: number): Step {
  const { steps, execution } = executing(command, state);
  if (execution.inFlight !== stepIndex) {
    throw new IllegalTransitionError(
      command,
      state.phase,
      execution.inFlight === null
        ? `step ${stepIndex} has not been started; StartStep ${execution.nextStep} comes first`
        : `step ${execution.inFlight} is in flight, not step ${stepIndex}`,
      { stepIndex, inFlight: execution.inFlight },
    );
  }
  return steps[stepIndex] as Step;
}

export function startStep(
  { type, stepIndex }: CommandOf<'StartStep'>,
  state: OperationState,
): PendingEvent[] {
  const { steps, execution } = executing(type, state);
  const hint = stepOrderHint(execution, steps.length, stepIndex);
  if (hint !== null) {
    throw new IllegalTransitionError(type, state.phase, hint, { stepIndex, ...execution });
  }
  const step = steps[stepIndex] as Step;
  return [emit(type, 'StepStarted', { stepIndex, stepId: step.id })];
}

function stepOrderHint(execution: ExecutionState, count: number, stepIndex: number) {
  if (execution.inFlight !== null) return `step ${execution.inFlight} is still in flight`;
  if (execution.nextStep >= count) return 'every step has run; CompleteExecution is next';
  if (stepIndex !== execution.nextStep)
    return `steps run in order; the next one is ${execution.nextStep}`;
  return null;
}

/**
 * A step succeeded when the executor wrote it with the approved guard holding (kube-tools'
 * applyStep refuses the write otherwise, and nothing is written). The resourceVersions are
 * what the executor observed, for the audit trail: the one before may differ from the
 * planned one, because status and metadata writes change it without changing what was
 * approved.
 */
export function succeedStep(
  { type, stepIndex, result }: CommandOf<'SucceedStep'>,
  state: OperationState,
): PendingEvent[] {
  const step = inFlightStep(type, state, stepIndex);
  return [emit(type, 'StepSucceeded', { stepIndex, stepId: step.id, result })];
}

export function failStep(
  { type, stepIndex, error }: CommandOf<'FailStep'>,
  state: OperationState,
): PendingEvent[] {
  const step = inFlightStep(type, state, stepIndex);
  return [emit(type, 'StepFailed', { stepIndex, stepId: step.id, error })];
}

export function completeExecution(
  { type }: CommandOf<'CompleteExecution'>,
  state: OperationState,
): PendingEvent[] {
  const { steps, execution, planHash } = executing(type, state);
  if (execution.inFlight !== null || execution.nextStep < steps.length) {
    throw new IllegalTransitionError(
      type,
      state.phase,
      `${execution.nextStep} of ${steps.length} steps have succeeded; every step must succeed first`,
    );
  }
  return [emit(type, 'ExecutionCompleted', { planHash, stepsApplied: steps.length })];
}

/**
 * Drift is exactly "the step's guard failed before any write": the target is gone
 * (actualResourceVersion null) or a guarded path moved, which the command must name.
 */
export function invalidatePlan(
  { type, stepIndex, reason, actualResourceVersion, changedPath }: CommandOf<'InvalidatePlan'>,
  state: OperationState,
): PendingEvent[] {
  const { steps, execution } = executing(type, state);
  const current = execution.inFlight ?? execution.nextStep;
  if (stepIndex !== current || current >= steps.length) {
    throw new IllegalTransitionError(
      type,
      state.phase,
      `only the step about to run or in flight (${current}) can invalidate the plan`,
      { stepIndex },
    );
  }
  if (actualResourceVersion !== null && changedPath === null) {
    throw new InvalidCommandError(
      type,
      'the target still exists, so a guarded path must have moved: name it in changedPath ' +
        '(a resourceVersion change alone never invalidates a plan)',
    );
  }
  const step = steps[stepIndex] as Step;
  return [
    emit(type, 'PlanInvalidated', {
      stepIndex,
      stepId: step.id,
      reason,
      expectedResourceVersion: step.target.resourceVersion,
      actualResourceVersion,
      changedPath,
    }),
  ];
}
