import { describe, it } from 'vitest';
import { ErrorCode, IllegalTransitionError, type Outcome, type Phase } from '../../src/mod.ts';
import { given } from './given.ts';
import { hash, phaseHistories, rollback, rollbackHash } from './histories.ts';

const error = { code: 'OPS_ERR_LLM_INVALID_OUTPUT', message: 'no valid plan', retryable: true };

describe('Fail and Close', () => {
  it('Fail records the error and the phase the operation was in', () => {
    for (const phase of ['diagnosing', 'executing', 'verifying'] as const) {
      given(...phaseHistories[phase])
        .when({ type: 'Fail', error })
        .then([{ type: 'OperationFailed', payload: { error, phase } }]);
    }
  });

  it('Close records the outcome that follows from the phase', () => {
    const expected: [Phase, Outcome][] = [
      ['verified', 'succeeded'],
      ['answered', 'answered'],
      ['rejected', 'rejected'],
      ['failed', 'failed'],
      ['awaiting_approval', 'cancelled'],
      ['verification_failed', 'cancelled'],
    ];
    for (const [phase, outcome] of expected) {
      given(...phaseHistories[phase])
        .when({ type: 'Close' })
        .then([{ type: 'OperationClosed', payload: { outcome } }]);
    }
    given(...phaseHistories.answered)
      .when({ type: 'Close', reason: 'user read the answer' })
      .then([
        {
          type: 'OperationClosed',
          payload: { outcome: 'answered', reason: 'user read the answer' },
        },
      ]);
  });

  it('a verified rollback closes as rolled_back', () => {
    const verifiedRollback = [
      ...phaseHistories.verification_failed,
      {
        type: 'RollbackProposed' as const,
        payload: { plan: rollback, planHash: rollbackHash, reason: 'undo', rollsBack: hash },
      },
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
        payload: { planHash: rollbackHash, approvalEventId: 'evt-x' },
      },
      { type: 'StepStarted' as const, payload: { stepIndex: 0, stepId: 'r1' } },
      {
        type: 'StepSucceeded' as const,
        payload: {
          stepIndex: 0,
          stepId: 'r1',
          result: { resourceVersionBefore: '4790', resourceVersionAfter: '4801' },
        },
      },
      { type: 'ExecutionCompleted' as const, payload: { planHash: rollbackHash, stepsApplied: 1 } },
      { type: 'VerificationStarted' as const, payload: { planHash: rollbackHash, checks: 0 } },
      { type: 'VerificationPassed' as const, payload: { planHash: rollbackHash, checksPassed: 0 } },
    ];
    given(...verifiedRollback)
      .when({ type: 'Close' })
      .then([{ type: 'OperationClosed', payload: { outcome: 'rolled_back' } }]);
  });

  it('Close is refused while the executor is writing, saying what must happen first', () => {
    given(...phaseHistories.executing)
      .when({ type: 'Close' })
      .thenThrows(IllegalTransitionError, ErrorCode.IllegalTransition, /phase "executing"/);
  });
});
