import { describe, expect, it } from 'vitest';
import {
  ApprovalExpiredError,
  ErrorCode,
  IllegalTransitionError,
  InvalidCommandError,
  PlanHashMismatchError,
  SelfApprovalError,
  decide,
} from '../../src/mod.ts';
import { NOW, eventId, given } from './given.ts';
import {
  APPROVER,
  REQUESTER,
  granted,
  grantedEventId,
  hash,
  inMinutes,
  phaseHistories,
  plan,
  rollback,
  rollbackHash,
} from './histories.ts';

const otherHash = 'f'.repeat(64);
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe('policy and approval decisions', () => {
  const awaiting = phaseHistories.awaiting_approval;

  it('RejectPlanByPolicy records the violations of the current plan', () => {
    const violations = [{ rule: 'team-owns-namespace', message: 'no', stepIndex: 1 }];
    given(...awaiting)
      .when({ type: 'RejectPlanByPolicy', planHash: hash, violations })
      .then([{ type: 'PlanRejectedByPolicy', payload: { planHash: hash, violations } }]);
    given(...awaiting)
      .when({ type: 'RejectPlanByPolicy', planHash: otherHash, violations })
      .thenThrows(PlanHashMismatchError, ErrorCode.PlanHashMismatch);
  });

  it('RejectPlanByPolicy straight from diagnosis records the refused plan and its hash', () => {
    const violations = [{ rule: 'namespace-in-scope', message: 'not yours', stepIndex: 0 }];
    const diagnosing = phaseHistories.diagnosing;
    const then = given(...diagnosing).when({ type: 'RejectPlanByPolicy', plan, violations });
    then.then([{ type: 'PlanRejectedByPolicy', payload: { plan, planHash: hash, violations } }]);
    // Steps refused before they could be planned: no plan, the violations say why.
    given(...diagnosing)
      .when({ type: 'RejectPlanByPolicy', violations })
      .then([{ type: 'PlanRejectedByPolicy', payload: { violations } }]);
    // Nothing is proposed yet, so a bare hash names nothing.
    given(...diagnosing)
      .when({ type: 'RejectPlanByPolicy', planHash: hash, violations })
      .thenThrows(InvalidCommandError, ErrorCode.InvalidCommand, 'pass the refused plan itself');
    // The refused plan must be for the operation's cluster like any plan.
    given(...diagnosing)
      .when({ type: 'RejectPlanByPolicy', plan: { ...plan, clusterId: 'other' }, violations })
      .thenThrows(InvalidCommandError, ErrorCode.InvalidCommand, 'targets cluster "other"');
    // Awaiting approval: named by hash, as before; a second plan cannot be slipped in.
    given(...awaiting)
      .when({ type: 'RejectPlanByPolicy', plan, violations })
      .thenThrows(InvalidCommandError, ErrorCode.InvalidCommand, 'name it by planHash');
  });

  it('GrantApproval records an approval of the current plan by someone else', () => {
    given(...awaiting)
      .when({ type: 'GrantApproval', ...granted.payload } as never)
      .then([granted]);
  });

  it('GrantApproval for another planHash is a PlanHashMismatch naming both hashes', () => {
    given(...awaiting)
      .when({
        type: 'GrantApproval',
        planHash: otherHash,
        approver: APPROVER,
        expiresAt: inMinutes(5),
      })
      .thenThrows(
        PlanHashMismatchError,
        ErrorCode.PlanHashMismatch,
        new RegExp(`${otherHash}.*${hash}`),
      );
  });

  it('the requester cannot approve their own plan', () => {
    given(...awaiting)
      .when({ type: 'GrantApproval', planHash: hash, approver: REQUESTER, expiresAt: inMinutes(5) })
      .thenThrows(SelfApprovalError, ErrorCode.SelfApproval, /alice@example.com/);
  });

  it('an approval must expire in the future', () => {
    for (const expiresAt of [NOW.toISOString(), inMinutes(-1)]) {
      given(...awaiting)
        .when({ type: 'GrantApproval', planHash: hash, approver: APPROVER, expiresAt })
        .thenThrows(ApprovalExpiredError, ErrorCode.ApprovalExpired);
    }
  });

  it('RejectApproval records the rejection, also by the requester withdrawing it', () => {
    for (const approver of [APPROVER, REQUESTER]) {
      const payload = { planHash: hash, approver, reason: 'not during the freeze' };
      given(...awaiting)
        .when({ type: 'RejectApproval', ...payload })
        .then([{ type: 'ApprovalRejected', payload }]);
    }
    given(...awaiting)
      .when({ type: 'RejectApproval', planHash: otherHash, approver: APPROVER, reason: 'no' })
      .thenThrows(PlanHashMismatchError, ErrorCode.PlanHashMismatch);
  });

  it('ExpireApproval only after the expiry, and the plan then awaits a new approval', () => {
    const approved = phaseHistories.approved;
    given(...approved)
      .when({ type: 'ExpireApproval' }, later(14))
      .thenThrows(IllegalTransitionError, ErrorCode.IllegalTransition, /valid until/);
    const expired = {
      type: 'ApprovalExpired' as const,
      payload: { planHash: hash, expiresAt: inMinutes(15) },
    };
    given(...approved)
      .when({ type: 'ExpireApproval' }, later(15))
      .then([expired]);
    const state = given(...approved, expired).state;
    expect(state).toMatchObject({ phase: 'awaiting_approval', approval: null });
  });
});

describe('StartExecution', () => {
  const approved = phaseHistories.approved;

  it('consumes the granted approval of the current plan', () => {
    given(...approved)
      .when({ type: 'StartExecution', planHash: hash })
      .then([
        { type: 'ExecutionStarted', payload: { planHash: hash, approvalEventId: grantedEventId } },
      ]);
    const state = given(...phaseHistories.executing).state;
    expect(state.approval?.consumedBy).toBe(state.lastEventId);
  });

  it('refuses a planHash other than the approved one', () => {
    given(...approved)
      .when({ type: 'StartExecution', planHash: otherHash })
      .thenThrows(PlanHashMismatchError, ErrorCode.PlanHashMismatch);
  });

  it('refuses once the approval has expired', () => {
    given(...approved)
      .when({ type: 'StartExecution', planHash: hash }, later(15))
      .thenThrows(ApprovalExpiredError, ErrorCode.ApprovalExpired, /grant a new approval/);
  });

  it('a second StartExecution is an illegal transition', () => {
    given(...phaseHistories.executing)
      .when({ type: 'StartExecution', planHash: hash })
      .thenThrows(IllegalTransitionError, ErrorCode.IllegalTransition, /phase "executing"/);
  });

  it('an approval that was already consumed never authorizes another execution', () => {
    // A state evolve can only reach from an out-of-order log; decide must still refuse.
    const state = given(...phaseHistories.executing).state;
    const replayed = { ...state, phase: 'approved' as const };
    expect(() => decide({ type: 'StartExecution', planHash: hash }, replayed, NOW)).toThrow(
      /already used by execution/,
    );
  });

  it('the consumed approval of the plan does not carry over to its rollback plan', () => {
    const rollbackProposed = {
      type: 'RollbackProposed' as const,
      payload: { plan: rollback, planHash: rollbackHash, reason: 'undo', rollsBack: hash },
    };
    const history = [...phaseHistories.verification_failed, rollbackProposed];
    given(...history)
      .when({ type: 'StartExecution', planHash: rollbackHash })
      .thenThrows(IllegalTransitionError, ErrorCode.IllegalTransition, /"awaiting_approval"/);
    given(...history)
      .when({ type: 'GrantApproval', planHash: hash, approver: APPROVER, expiresAt: inMinutes(5) })
      .thenThrows(PlanHashMismatchError, ErrorCode.PlanHashMismatch);
    const rollbackGrant = {
      type: 'ApprovalGranted' as const,
      payload: { planHash: rollbackHash, approver: APPROVER, expiresAt: inMinutes(5) },
    };
    given(...history)
      .when({ type: 'GrantApproval', ...rollbackGrant.payload })
      .then([rollbackGrant]);
    given(...history, rollbackGrant)
      .when({ type: 'StartExecution', planHash: rollbackHash })
      .then([
        {
          type: 'ExecutionStarted',
          payload: { planHash: rollbackHash, approvalEventId: eventId(history.length) },
        },
      ]);
  });
});
