import type { Outcome } from '../events/outcome.ts';
import type { PendingEvent } from '../ops-events.ts';
import type { Phase } from '../phase.ts';
import type { CommandOf } from './commands.ts';
import { emit, requirePhase } from './guard.ts';
import type { OperationState } from './state.ts';

/** Failing and closing. Close records the outcome, derived from the state, exactly once. */

/** Phases in which work is still going on, so the operation can still fail. */
const ACTIVE: readonly Phase[] = [
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
];

/**
 * Close is refused while the executor is writing (`executing`): the execution must end
 * first (completed, failed, invalidated, or Fail), so no write is ever cut off unrecorded.
 */
const CLOSABLE: readonly Phase[] = [
  ...ACTIVE.filter((phase) => phase !== 'executing'),
  'verified',
  'answered',
  'rejected',
  'failed',
];

export function fail({ type, error }: CommandOf<'Fail'>, state: OperationState): PendingEvent[] {
  requirePhase(type, state, ACTIVE);
  return [emit(type, 'OperationFailed', { error, phase: state.phase })];
}

export function close({ type, reason }: CommandOf<'Close'>, state: OperationState): PendingEvent[] {
  requirePhase(type, state, CLOSABLE);
  const payload =
    reason === undefined ? { outcome: outcome(state) } : { outcome: outcome(state), reason };
  return [emit(type, 'OperationClosed', payload)];
}

function outcome(state: OperationState): Outcome {
  switch (state.phase) {
    case 'verified':
      return state.plan?.kind === 'rollback' ? 'rolled_back' : 'succeeded';
    case 'answered':
      return 'answered';
    case 'rejected':
      return 'rejected';
    case 'failed':
      return 'failed';
    default:
      return 'cancelled';
  }
}
