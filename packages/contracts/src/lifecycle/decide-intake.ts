import { InvalidCommandError } from '../errors.ts';
import type { PendingEvent } from '../ops-events.ts';
import type { Phase } from '../phase.ts';
import { Plan, planHash } from '../plan.ts';
import type { CommandOf } from './commands.ts';
import { emit, requirePhase } from './guard.ts';
import type { OperationState } from './state.ts';

/** Request, context, diagnosis, the first plan or a direct answer. */

const GATHERING: readonly Phase[] = ['requested', 'diagnosing'];
/** A plan may also be proposed again after the old one was invalidated by a changed target. */
const PLANNABLE: readonly Phase[] = ['requested', 'diagnosing', 'invalidated'];

export function requestOperation(
  { type, ...payload }: CommandOf<'RequestOperation'>,
  state: OperationState,
): PendingEvent[] {
  requirePhase(type, state, ['new']);
  return [emit(type, 'OperationRequested', payload)];
}

export function recordContext(
  { type, ...payload }: CommandOf<'RecordContext'>,
  state: OperationState,
): PendingEvent[] {
  requirePhase(type, state, GATHERING);
  return [emit(type, 'ContextGathered', payload)];
}

export function recordDiagnosis(
  { type, ...payload }: CommandOf<'RecordDiagnosis'>,
  state: OperationState,
): PendingEvent[] {
  requirePhase(type, state, GATHERING);
  return [emit(type, 'DiagnosisRecorded', payload)];
}

export function proposePlan(
  command: CommandOf<'ProposePlan'>,
  state: OperationState,
): PendingEvent[] {
  requirePhase(command.type, state, PLANNABLE);
  const plan = checkedPlan(command.type, command.plan, state);
  return [emit(command.type, 'PlanProposed', { plan, planHash: planHash(plan) })];
}

export function answer(command: CommandOf<'Answer'>, state: OperationState): PendingEvent[] {
  requirePhase(command.type, state, GATHERING);
  return [emit(command.type, 'OperationAnswered', { answer: command.answer })];
}

/** Validates a plan and that it targets the operation's cluster (a plan can't widen scope). */
export function checkedPlan(command: string, candidate: unknown, state: OperationState): Plan {
  const parsed = Plan.safeParse(candidate);
  if (!parsed.success) {
    throw new InvalidCommandError(command, `invalid plan: ${parsed.error.issues[0]?.message}`, {
      issues: parsed.error.issues,
    });
  }
  if (parsed.data.clusterId !== state.clusterId) {
    throw new InvalidCommandError(
      command,
      `the plan targets cluster "${parsed.data.clusterId}" but the operation is on cluster ` +
        `"${state.clusterId}"; plan against the operation's cluster`,
    );
  }
  return parsed.data;
}
