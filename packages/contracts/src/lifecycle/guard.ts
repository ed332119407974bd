import { z } from 'zod';
import { IllegalTransitionError, InvalidCommandError, PlanHashMismatchError } from '../errors.ts';
import { OpsEvents, type OpsEventType, type PayloadOf, type PendingEvent } from '../ops-events.ts';
import type { Phase } from '../phase.ts';
import type { CurrentPlan, OperationState } from './state.ts';

/** Throws IllegalTransitionError unless the operation is in one of `allowed`. */
export function requirePhase(command: string, state: OperationState, allowed: readonly Phase[]) {
  if (!allowed.includes(state.phase)) {
    throw new IllegalTransitionError(
      command,
      state.phase,
      `it is allowed only when the operation is ${allowed.map((p) => `"${p}"`).join(' or ')}`,
      { allowedIn: allowed },
    );
  }
}

/** The current plan, which must be the one the command names. */
export function requirePlan(
  command: string,
  state: OperationState,
  planHash?: string,
): CurrentPlan {
  const plan = state.plan;
  if (plan === null) {
    throw new IllegalTransitionError(command, state.phase, 'the operation has no plan yet');
  }
  if (planHash !== undefined && planHash !== plan.planHash) {
    throw new PlanHashMismatchError(command, plan.planHash, planHash);
  }
  return plan;
}

/**
 * Builds a pending event and validates its payload, so a command carrying bad data fails
 * here (InvalidCommandError with the offending fields) instead of at the event log.
 */
export function emit<T extends OpsEventType>(
  command: string,
  type: T,
  payload: PayloadOf<T>,
): PendingEvent {
  const schema = OpsEvents.definition(type)?.schema;
  const checked = schema?.safeParse(payload);
  if (checked === undefined || !checked.success) {
    const why = checked === undefined ? 'unknown event type' : z.prettifyError(checked.error);
    throw new InvalidCommandError(command, `would record an invalid ${type}: ${why}`);
  }
  return { type, payload: checked.data } as PendingEvent;
}

/** Millisecond comparison of an ISO timestamp with `now`. */
export function isAfter(iso: string, now: Date): boolean {
  return Date.parse(iso) > now.getTime();
}
