import { IllegalTransitionError, InvalidCommandError } from '../errors.ts';
import type { PendingEvent } from '../ops-events.ts';
import { planHash } from '../plan.ts';
import type { CommandOf } from './commands.ts';
import { checkedPlan } from './decide-intake.ts';
import { emit, requirePhase, requirePlan } from './guard.ts';
import { checkKey, type CurrentPlan, type OperationState } from './state.ts';

/**
 * Verification of the plan's postconditions, and rollback. "Verified" means every check
 * the plan implies passed and none failed — a verifier cannot pass a plan by skipping.
 */

interface PlannedCheck {
  key: string;
  label: string;
}

function plannedChecks(plan: CurrentPlan): PlannedCheck[] {
  return plan.plan.steps.flatMap((step, i) =>
    step.checks.map((check) => ({ key: checkKey(i, check), label: `${i}:${check.name}` })),
  );
}

function verifying(command: string, state: OperationState) {
  requirePhase(command, state, ['verifying']);
  const plan = requirePlan(command, state);
  const verification = state.verification ?? { planHash: plan.planHash, passed: [], failed: [] };
  return { plan, verification, planned: plannedChecks(plan) };
}

export function startVerification(
  { type }: CommandOf<'StartVerification'>,
  state: OperationState,
): PendingEvent[] {
  requirePhase(type, state, ['executed']);
  const plan = requirePlan(type, state);
  return [
    emit(type, 'VerificationStarted', {
      planHash: plan.planHash,
      checks: plannedChecks(plan).length,
    }),
  ];
}

export function recordCheck(
  command: CommandOf<'PassCheck'> | CommandOf<'FailCheck'>,
  state: OperationState,
): PendingEvent[] {
  const { type, ...result } = command;
  const { verification, planned } = verifying(type, state);
  const key = checkKey(result.stepIndex, result.check);
  if (!planned.some((check) => check.key === key)) {
    throw new InvalidCommandError(
      type,
      `check ${result.check.name} is not a postcondition of step ${result.stepIndex} in the plan`,
    );
  }
  if (verification.passed.includes(key) || verification.failed.includes(key)) {
    throw new IllegalTransitionError(
      type,
      state.phase,
      `check ${result.check.name} of step ${result.stepIndex} already has a result`,
    );
  }
  return [emit(type, type === 'PassCheck' ? 'CheckPassed' : 'CheckFailed', result)];
}

export function passVerification(
  { type }: CommandOf<'PassVerification'>,
  state: OperationState,
): PendingEvent[] {
  const { plan, verification, planned } = verifying(type, state);
  const open = planned.filter((check) => !verification.passed.includes(check.key));
  if (open.length > 0) {
    throw new IllegalTransitionError(
      type,
      state.phase,
      `checks without a pass: ${open.map((c) => c.label).join(', ')}; ` +
        'verification passes only when every planned check passed (else FailVerification)',
    );
  }
  return [
    emit(type, 'VerificationPassed', { planHash: plan.planHash, checksPassed: planned.length }),
  ];
}

export function failVerification(
  { type, reason }: CommandOf<'FailVerification'>,
  state: OperationState,
): PendingEvent[] {
  const { plan, verification, planned } = verifying(type, state);
  const failedChecks = planned
    .filter((check) => !verification.passed.includes(check.key))
    .map((check) => check.label);
  return [emit(type, 'VerificationFailed', { planHash: plan.planHash, failedChecks, reason })];
}

export function proposeRollback(
  { type, plan: candidate, reason }: CommandOf<'ProposeRollback'>,
  state: OperationState,
): PendingEvent[] {
  requirePhase(type, state, ['verification_failed', 'execution_failed', 'invalidated']);
  const current = requirePlan(type, state);
  if (current.kind === 'rollback') {
    throw new IllegalTransitionError(
      type,
      state.phase,
      'the current plan is already a rollback and is not rolled back again; Fail or Close the operation',
    );
  }
  const plan = checkedPlan(type, candidate, state);
  return [
    emit(type, 'RollbackProposed', {
      plan,
      planHash: planHash(plan),
      reason,
      rollsBack: current.planHash,
    }),
  ];
}
