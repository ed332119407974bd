import type { PendingEvent } from '../ops-events.ts';
import type { Command } from './commands.ts';
import * as approval from './decide-approval.ts';
import * as end from './decide-end.ts';
import * as execution from './decide-execution.ts';
import { holdExecution } from './decide-hold.ts';
import * as intake from './decide-intake.ts';
import * as verification from './decide-verification.ts';
import type { OperationState } from './state.ts';

/**
 * Decides which events a command produces in the given state, or throws a typed error
 * (IllegalTransitionError, PlanHashMismatchError, SelfApprovalError, ApprovalExpiredError,
 * InvalidCommandError). Pure: `now` is passed in, nothing is read or written.
 */
export function decide(command: Command, state: OperationState, now: Date): PendingEvent[] {
  switch (command.type) {
    case 'RequestOperation':
      return intake.requestOperation(command, state);
    case 'RecordContext':
      return intake.recordContext(command, state);
    case 'RecordDiagnosis':
      return intake.recordDiagnosis(command, state);
    case 'ProposePlan':
      return intake.proposePlan(command, state);
    case 'Answer':
      return intake.answer(command, state);
    case 'RejectPlanByPolicy':
      return approval.rejectPlanByPolicy(command, state);
    case 'GrantApproval':
      return approval.grantApproval(command, state, now);
    case 'RejectApproval':
      return approval.rejectApproval(command, state);
    case 'ExpireApproval':
      return approval.expireApproval(command, state, now);
    case 'StartExecution':
      return approval.startExecution(command, state, now);
    case 'StartStep':
      return execution.startStep(command, state);
    case 'SucceedStep':
      return execution.succeedStep(command, state);
    case 'FailStep':
      return execution.failStep(command, state);
    case 'CompleteExecution':
      return execution.completeExecution(command, state);
    case 'HoldExecution':
      return holdExecution(command, state);
    case 'InvalidatePlan':
      return execution.invalidatePlan(command, state);
    case 'StartVerification':
      return verification.startVerification(command, state);
    case 'PassCheck':
    case 'FailCheck':
      return verification.recordCheck(command, state);
    case 'PassVerification':
      return verification.passVerification(command, state);
    case 'FailVerification':
      return verification.failVerification(command, state);
    case 'ProposeRollback':
      return verification.proposeRollback(command, state);
    case 'Fail':
      return end.fail(command, state);
    case 'Close':
      return end.close(command, state);
  }
}
