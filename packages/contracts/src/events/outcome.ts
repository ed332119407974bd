import { z } from 'zod';
import { defineEvent } from '../registry.ts';
import { Phase } from '../phase.ts';
import { ErrorInfo, text } from './common.ts';

/** How an operation ends. */

/** A question answered without changing anything ("why is payment-api unreachable?"). */
export const OperationAnswered = defineEvent(
  'OperationAnswered',
  z.object({ answer: text(16_000) }),
);

export const OperationFailed = defineEvent(
  'OperationFailed',
  z.object({
    error: ErrorInfo,
    /** The phase the operation was in when it failed. */
    phase: Phase,
  }),
);

export const Outcome = z.enum([
  'succeeded',
  'rolled_back',
  'answered',
  'rejected',
  'failed',
  'cancelled',
]);
export type Outcome = z.infer<typeof Outcome>;

export const OperationClosed = defineEvent(
  'OperationClosed',
  z.object({ outcome: Outcome, reason: text(2000).optional() }),
);
