import { describe, it } from 'vitest';
import { given } from './given.ts';
import { grantedEventId, hash, phaseHistories, stepStarted, stepSucceeded } from './histories.ts';

const held = (stepIndex: number | null) => ({
  type: 'ExecutionHeld' as const,
  payload: { reason: 'kill_switch_engaged' as const, message: 'the switch is set', stepIndex },
});
const hold = {
  type: 'HoldExecution' as const,
  reason: 'kill_switch_engaged' as const,
  message: 'the switch is set',
};

describe('the kill switch holding an operation', () => {
  it('holds an approved operation before execution starts (no step yet)', () => {
    given(...phaseHistories.approved)
      .when(hold)
      .then([held(null)]);
  });

  it('holds an execution before its next step, naming that step', () => {
    given(...phaseHistories.executing, stepStarted(0), stepSucceeded(0))
      .when(hold)
      .then([held(1)]);
  });

  it('is a pause, not an outcome: the held approval still starts the execution', () => {
    given(...phaseHistories.approved, held(null))
      .when({ type: 'StartExecution', planHash: hash })
      .then([
        { type: 'ExecutionStarted', payload: { planHash: hash, approvalEventId: grantedEventId } },
      ]);
  });
});
