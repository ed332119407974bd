import type { StoredEnvelope } from './chain.ts';

/** One line per event for timelines: what happened, in words. */
export function eventLine(event: StoredEnvelope): string {
  const p = (event.payload ?? {}) as Record<string, unknown>;
  const step = (): string => `step ${Number(p.stepIndex) + 1}`;
  switch (event.type) {
    case 'OperationRequested':
      return 'Request received';
    case 'ContextGathered':
      return `Context gathered (${String(p.toolCalls)} reads)`;
    case 'DiagnosisRecorded':
      return `Diagnosis: ${Array.isArray(p.findings) ? p.findings.length : 0} finding(s)`;
    case 'PlanProposed':
      return 'Plan proposed';
    case 'PlanRejectedByPolicy':
      return 'Plan refused by policy';
    case 'ApprovalGranted':
      return `Approved by ${String(p.approver)}`;
    case 'ApprovalRejected':
      return `Rejected by ${String(p.approver)}`;
    case 'ApprovalExpired':
      return 'Approval expired';
    case 'ExecutionStarted':
      return 'Execution started';
    case 'StepStarted':
      return `Started ${step()}`;
    case 'StepSucceeded':
      return `Applied ${step()}`;
    case 'StepFailed':
      return `Failed ${step()}`;
    case 'ExecutionCompleted':
      return 'All steps applied';
    case 'PlanInvalidated':
      return `Plan invalidated at ${step()}`;
    case 'VerificationStarted':
      return `Verification started (${String(p.checks)} checks)`;
    case 'CheckPassed':
    case 'CheckFailed': {
      const check = p.check as { name?: string } | undefined;
      return `Check ${check?.name ?? ''} ${event.type === 'CheckPassed' ? 'passed' : 'failed'}`;
    }
    case 'VerificationPassed':
      return 'Verification passed';
    case 'VerificationFailed':
      return 'Verification failed';
    case 'RollbackProposed':
      return 'Rollback proposed';
    case 'OperationAnswered':
      return 'Answered';
    case 'OperationFailed':
      return 'Operation failed';
    case 'OperationClosed':
      return `Closed: ${String(p.outcome)}`;
    default:
      return event.type;
  }
}

export function eventTone(type: string): string {
  if (/Failed|Rejected|Invalidated|Expired/.test(type)) return 'bad';
  if (/Passed|Succeeded|Completed|Granted|Answered/.test(type)) return 'ok';
  if (/Proposed/.test(type)) return 'warn';
  return '';
}
