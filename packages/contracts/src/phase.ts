import { z } from 'zod';

/**
 * Phases of an operation. `new` is the state before OperationRequested; `closed` is the
 * only phase from which nothing more can happen. answered, rejected, verified and failed
 * end the work but still await Close (so the gateway records the outcome once).
 */
export const Phase = z.enum([
  'new',
  'requested',
  'diagnosing',
  'awaiting_approval',
  'approved',
  'executing',
  'executed',
  'verifying',
  'verified',
  'verification_failed',
  'execution_failed',
  'invalidated',
  'answered',
  'rejected',
  'failed',
  'closed',
]);
export type Phase = z.infer<typeof Phase>;
