import type { Outcome, Phase } from '@opsloop/contracts';

/** The API's status vocabulary: what a person following an operation needs to tell apart. */
export const STATUSES = [
  'requested',
  'planning',
  'awaiting_approval',
  'approved',
  'executing',
  'verifying',
  'succeeded',
  'failed',
  'rejected',
  'invalidated',
  'answered',
] as const;
export type Status = (typeof STATUSES)[number];

/**
 * Lifecycle phase → status. `executed` (all steps applied, verification not begun yet) is
 * shown as verifying: that is what happens next, with nothing for a person to do; likewise
 * a failed verification or execution until its service has decided what follows. A closed
 * operation shows its outcome; a rolled-back one failed at what was asked.
 */
export function statusOf(phase: Phase, outcome: Outcome | null): Status {
  switch (phase) {
    case 'new':
    case 'requested':
      return 'requested';
    case 'diagnosing':
      return 'planning';
    case 'awaiting_approval':
    case 'approved':
    case 'executing':
    case 'verifying':
    case 'rejected':
    case 'invalidated':
    case 'answered':
    case 'failed':
      return phase;
    case 'executed':
      return 'verifying';
    case 'verified':
      return 'succeeded';
    // Not an outcome yet: the verifier (or executor) is deciding what follows, a rollback
    // proposal or the failure. Shown as failed here, a follower would stop one event before
    // the rollback it must approve.
    case 'verification_failed':
      return 'verifying';
    case 'execution_failed':
      return 'executing';
    case 'closed':
      return outcomeStatus(outcome);
  }
}

function outcomeStatus(outcome: Outcome | null): Status {
  switch (outcome) {
    case 'succeeded':
      return 'succeeded';
    case 'answered':
      return 'answered';
    case 'rejected':
      return 'rejected';
    default:
      return 'failed';
  }
}
