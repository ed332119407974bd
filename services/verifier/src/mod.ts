/** @opsloop/verifier: checks, with its own read-only identity, that a plan did what it promised. */
export {
  startVerifier,
  VERIFIER_CONSUMER,
  type VerifierOptions,
  type RunningVerifier,
} from './verifier.ts';
export { VerifierConfig, VERIFIER_SETTINGS } from './config.ts';
export { handleExecutionCompleted, type VerifierContext } from './verify.ts';
export { evaluateUntilSettled, type CheckPolicy, type CheckOutcome } from './run-check.ts';
export { DEFAULT_CHECK_TIMEOUTS_MS } from './timeouts.ts';
export { rollbackPlan } from './rollback.ts';
export { stillWrong } from './findings.ts';
