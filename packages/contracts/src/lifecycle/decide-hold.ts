import type { PendingEvent } from '../ops-events.ts';
import type { CommandOf } from './commands.ts';
import { emit, requirePhase } from './guard.ts';
import type { OperationState } from './state.ts';

/**
 * The kill switch holds an operation that was about to execute (approved) or about to run
 * its next step (executing). The phase does not change: holding is a pause, not an outcome.
 */
export function holdExecution(
  { type, reason, message }: CommandOf<'HoldExecution'>,
  state: OperationState,
): PendingEvent[] {
  requirePhase(type, state, ['approved', 'executing']);
  const execution = state.execution;
  const stepIndex =
    state.phase === 'executing' && execution ? (execution.inFlight ?? execution.nextStep) : null;
  return [emit(type, 'ExecutionHeld', { reason, message, stepIndex })];
}
