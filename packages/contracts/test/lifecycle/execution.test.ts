import { describe, expect, it } from 'vitest';
import { ErrorCode, IllegalTransitionError, InvalidCommandError } from '../../src/mod.ts';
import { given } from './given.ts';
import { hash, phaseHistories, stepStarted, stepSucceeded } from './histories.ts';

const executing = phaseHistories.executing;
const error = { code: 'OPS_ERR_KUBE_CONFLICT', message: 'conflict', retryable: true };
const illegal = (
  history: Parameters<typeof given>,
  command: Parameters<ReturnType<typeof given>['when']>[0],
  message: RegExp,
) =>
  given(...history)
    .when(command)
    .thenThrows(IllegalTransitionError, ErrorCode.IllegalTransition, message);

describe('steps run in order, one at a time', () => {
  it('StartStep starts the next step, with the step id taken from the plan', () => {
    given(...executing)
      .when({ type: 'StartStep', stepIndex: 0 })
      .then([stepStarted(0)]);
    given(...executing, stepStarted(0), stepSucceeded(0))
      .when({ type: 'StartStep', stepIndex: 1 })
      .then([stepStarted(1)]);
  });

  it('StartStep out of order, while a step is in flight, or after the last step is refused', () => {
    illegal(executing, { type: 'StartStep', stepIndex: 1 }, /the next one is 0/);
    illegal(
      [...executing, stepStarted(0)],
      { type: 'StartStep', stepIndex: 1 },
      /step 0 is still in flight/,
    );
    illegal(
      [...executing, stepStarted(0), stepSucceeded(0), stepStarted(1), stepSucceeded(1)],
      { type: 'StartStep', stepIndex: 2 },
      /CompleteExecution is next/,
    );
  });

  it('SucceedStep records the result of the step in flight', () => {
    const result = { resourceVersionBefore: '4711', resourceVersionAfter: '9000' };
    given(...executing, stepStarted(0))
      .when({ type: 'SucceedStep', stepIndex: 0, result })
      .then([stepSucceeded(0)]);
    illegal(
      executing,
      { type: 'SucceedStep', stepIndex: 0, result },
      /has not been started; StartStep 0/,
    );
    illegal(
      [...executing, stepStarted(0)],
      { type: 'SucceedStep', stepIndex: 1, result },
      /step 0 is in flight/,
    );
  });

  it('SucceedStep records a success observed against another resourceVersion than planned', () => {
    // Status writes move the resourceVersion without touching what was approved; the guard
    // held (the executor wrote), so the success is recorded with what was observed.
    const result = { resourceVersionBefore: '4712', resourceVersionAfter: '9000' };
    given(...executing, stepStarted(0))
      .when({ type: 'SucceedStep', stepIndex: 0, result })
      .then([{ type: 'StepSucceeded', payload: { stepIndex: 0, stepId: 's1', result } }]);
    const deleted = { resourceVersionBefore: '4712', resourceVersionAfter: null };
    given(...executing, stepStarted(0))
      .when({ type: 'SucceedStep', stepIndex: 0, result: deleted })
      .then([{ type: 'StepSucceeded', payload: { stepIndex: 0, stepId: 's1', result: deleted } }]);
  });

  it('FailStep records the failure of the step in flight and ends execution', () => {
    const failed = { type: 'StepFailed' as const, payload: { stepIndex: 0, stepId: 's1', error } };
    given(...executing, stepStarted(0))
      .when({ type: 'FailStep', stepIndex: 0, error })
      .then([failed]);
    illegal(executing, { type: 'FailStep', stepIndex: 0, error }, /has not been started/);
    expect(given(...executing, stepStarted(0), failed).state).toMatchObject({
      phase: 'execution_failed',
      execution: { failedStep: 0, inFlight: null },
    });
  });

  it('CompleteExecution only after every step succeeded', () => {
    const all = [...executing, stepStarted(0), stepSucceeded(0), stepStarted(1), stepSucceeded(1)];
    given(...all)
      .when({ type: 'CompleteExecution' })
      .then([{ type: 'ExecutionCompleted', payload: { planHash: hash, stepsApplied: 2 } }]);
    illegal(
      [...executing, stepStarted(0), stepSucceeded(0)],
      { type: 'CompleteExecution' },
      /1 of 2 steps/,
    );
    illegal([...all.slice(0, -1)], { type: 'CompleteExecution' }, /1 of 2 steps/);
  });
});

describe('InvalidatePlan', () => {
  const invalidated = (stepIndex: number, stepId: string, expected: string) => ({
    type: 'PlanInvalidated' as const,
    payload: {
      stepIndex,
      stepId,
      reason: 'target changed since planning',
      expectedResourceVersion: expected,
      actualResourceVersion: null,
      changedPath: null,
    },
  });
  const command = (stepIndex: number) => ({
    type: 'InvalidatePlan' as const,
    stepIndex,
    reason: 'target changed since planning',
    actualResourceVersion: null as string | null,
    changedPath: null as string | null,
  });

  it('records the planned resourceVersion of the next or in-flight step and what moved', () => {
    given(...executing)
      .when(command(0))
      .then([invalidated(0, 's1', '4711')]);
    given(...executing, stepStarted(0), stepSucceeded(0), stepStarted(1))
      .when(command(1))
      .then([invalidated(1, 's2', '815')]);
    const moved = { ...command(0), actualResourceVersion: '4711', changedPath: '/spec' };
    given(...executing)
      .when(moved)
      .then([
        {
          type: 'PlanInvalidated',
          payload: {
            ...invalidated(0, 's1', '4711').payload,
            actualResourceVersion: '4711',
            changedPath: '/spec',
          },
        },
      ]);
  });

  it('is refused for another step, or for a live target without a guarded path that moved', () => {
    illegal(executing, command(1), /\(0\) can invalidate/);
    given(...executing)
      .when({ ...command(0), actualResourceVersion: '4712' })
      .thenThrows(InvalidCommandError, ErrorCode.InvalidCommand, /changedPath/);
  });
});
