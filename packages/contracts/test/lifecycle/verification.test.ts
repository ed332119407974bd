import { describe, expect, it } from 'vitest';
import { ErrorCode, IllegalTransitionError, InvalidCommandError } from '../../src/mod.ts';
import { samplePlan } from '../support/sample-plans.ts';
import { given } from './given.ts';
import {
  allChecksPassed,
  checkResults,
  hash,
  phaseHistories,
  rollback,
  rollbackHash,
} from './histories.ts';

const verifying = phaseHistories.verifying;
const illegal = IllegalTransitionError;
const ILLEGAL = ErrorCode.IllegalTransition;

describe('verification', () => {
  it('StartVerification counts every check the plan implies', () => {
    given(...phaseHistories.executed)
      .when({ type: 'StartVerification' })
      .then([{ type: 'VerificationStarted', payload: { planHash: hash, checks: 3 } }]);
  });

  it('PassCheck and FailCheck record a planned check once', () => {
    const result = checkResults[1]!;
    given(...verifying)
      .when({ type: 'PassCheck', ...result })
      .then([{ type: 'CheckPassed', payload: result }]);
    given(...verifying)
      .when({ type: 'FailCheck', ...result })
      .then([{ type: 'CheckFailed', payload: result }]);
    given(...verifying, { type: 'CheckFailed', payload: result })
      .when({ type: 'PassCheck', ...result })
      .thenThrows(illegal, ILLEGAL, /already has a result/);
  });

  it('a check the plan does not imply (or with other args) is refused', () => {
    const result = checkResults[0]!;
    const otherArgs = { ...result, check: { ...result.check, args: { timeoutSeconds: 1 } } };
    const otherStep = { ...result, stepIndex: 1 };
    for (const bad of [otherArgs, otherStep]) {
      given(...verifying)
        .when({ type: 'PassCheck', ...bad })
        .thenThrows(InvalidCommandError, ErrorCode.InvalidCommand, /not a postcondition/);
    }
  });

  it('check args match whatever their key order', () => {
    const result = checkResults[2]!;
    const reordered = {
      ...result,
      check: { name: result.check.name, args: { path: '/healthz', port: 80 } },
    };
    expect(Object.keys(reordered.check.args)).not.toEqual(Object.keys(result.check.args));
    given(...verifying)
      .when({ type: 'PassCheck', ...reordered })
      .then([{ type: 'CheckPassed', payload: reordered }]);
  });

  it('PassVerification needs every planned check passed', () => {
    given(...verifying, ...allChecksPassed)
      .when({ type: 'PassVerification' })
      .then([{ type: 'VerificationPassed', payload: { planHash: hash, checksPassed: 3 } }]);
    given(...verifying, ...allChecksPassed.slice(0, 2))
      .when({ type: 'PassVerification' })
      .thenThrows(illegal, ILLEGAL, /checks without a pass: 1:ServiceResponds/);
    given(...verifying, ...allChecksPassed.slice(0, 2), {
      type: 'CheckFailed',
      payload: checkResults[2]!,
    })
      .when({ type: 'PassVerification' })
      .thenThrows(illegal, ILLEGAL, /1:ServiceResponds/);
  });

  it('FailVerification lists the checks that did not pass', () => {
    given(...verifying, allChecksPassed[0]!)
      .when({ type: 'FailVerification', reason: 'timed out after 120s' })
      .then([
        {
          type: 'VerificationFailed',
          payload: {
            planHash: hash,
            failedChecks: ['1:EndpointsReady', '1:ServiceResponds'],
            reason: 'timed out after 120s',
          },
        },
      ]);
  });
});

describe('ProposeRollback', () => {
  const proposal = { type: 'ProposeRollback' as const, plan: rollback, reason: 'undo the scale' };
  const proposed = {
    type: 'RollbackProposed' as const,
    payload: { plan: rollback, planHash: rollbackHash, reason: 'undo the scale', rollsBack: hash },
  };

  it('proposes a rollback after failed verification, failed step or invalidation; it awaits approval', () => {
    for (const phase of ['verification_failed', 'execution_failed', 'invalidated'] as const) {
      given(...phaseHistories[phase])
        .when(proposal)
        .then([proposed]);
      expect(given(...phaseHistories[phase], proposed).state).toMatchObject({
        phase: 'awaiting_approval',
        plan: { kind: 'rollback', rollsBack: hash, planHash: rollbackHash },
        approval: null,
        execution: null,
        verification: null,
      });
    }
  });

  it('a rollback is not rolled back again', () => {
    const failedRollback = [
      ...phaseHistories.verification_failed,
      proposed,
      ...approvedAndFailed(),
    ];
    expect(given(...failedRollback).state.phase).toBe('execution_failed');
    given(...failedRollback)
      .when(proposal)
      .thenThrows(illegal, ILLEGAL, /already a rollback/);
  });

  it('refuses a rollback plan for another cluster', () => {
    given(...phaseHistories.verification_failed)
      .when({ ...proposal, plan: { ...samplePlan('other'), steps: rollback.steps } })
      .thenThrows(InvalidCommandError, ErrorCode.InvalidCommand, /cluster "other"/);
  });
});

function approvedAndFailed() {
  return [
    {
      type: 'ApprovalGranted' as const,
      payload: {
        planHash: rollbackHash,
        approver: 'bob@example.com',
        expiresAt: '2025-01-15T10:30:00.000Z',
      },
    },
    {
      type: 'ExecutionStarted' as const,
      payload: { planHash: rollbackHash, approvalEventId: 'x' },
    },
    { type: 'StepStarted' as const, payload: { stepIndex: 0, stepId: 'r1' } },
    {
      type: 'StepFailed' as const,
      payload: {
        stepIndex: 0,
        stepId: 'r1',
        error: { code: 'OPS_ERR_X', message: 'x', retryable: false },
      },
    },
  ];
}
