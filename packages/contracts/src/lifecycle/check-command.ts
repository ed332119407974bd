import type { CheckVerdict } from '../events/verification.ts';
import type { CheckSpec } from '../plan.ts';
import type { CommandOf } from './commands.ts';

/**
 * The command that records one check verdict of step `stepIndex`: PassCheck or FailCheck
 * with the verdict's observed values and message, exactly the CheckPassed/CheckFailed
 * payload. One mapping, so a verifier cannot drop or rename what the check saw.
 */
export function checkCommand(
  stepIndex: number,
  check: CheckSpec,
  verdict: CheckVerdict,
): CommandOf<'PassCheck'> | CommandOf<'FailCheck'> {
  return {
    type: verdict.passed ? 'PassCheck' : 'FailCheck',
    stepIndex,
    check,
    observed: verdict.observed,
    message: verdict.message,
  };
}
