import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  IllegalTransitionError,
  OpsEvents,
  decide,
  seal,
  type PendingEvent,
} from '../../src/mod.ts';
import { NOW, eventId, given } from './given.ts';
import { APPROVER, hash, inMinutes, phaseHistories } from './histories.ts';

/** Plans whose risk needs two distinct approvers: approved only once both granted. */

const CAROL = 'carol@example.com';
const awaiting = phaseHistories.awaiting_approval;
const grant = (approver: string, required: number, expiresIn = 30): PendingEvent => ({
  type: 'ApprovalGranted',
  payload: { planHash: hash, approver, expiresAt: inMinutes(expiresIn), required },
});
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe('two required approvers', () => {
  it('one grant leaves the plan awaiting approval and the executor cannot start', () => {
    const { state } = given(...awaiting, grant(APPROVER, 2));
    expect(state).toMatchObject({ phase: 'awaiting_approval', approval: null });
    expect(state.grants).toEqual([
      { approver: APPROVER, expiresAt: inMinutes(30), eventId: eventId(3), required: 2 },
    ]);
    given(...awaiting, grant(APPROVER, 2))
      .when({ type: 'StartExecution', planHash: hash })
      .thenThrows(IllegalTransitionError, ErrorCode.IllegalTransition, /"approved"/);
  });

  it('the same approver cannot grant twice', () => {
    given(...awaiting, grant(APPROVER, 2))
      .when({
        type: 'GrantApproval',
        planHash: hash,
        approver: APPROVER,
        expiresAt: inMinutes(30),
        required: 2,
      })
      .thenThrows(IllegalTransitionError, ErrorCode.IllegalTransition, /already approved/);
  });

  it('a second, distinct approver completes the approval; execution names that grant', () => {
    const { state } = given(...awaiting, grant(APPROVER, 2, 30), grant(CAROL, 2, 20));
    expect(state.phase).toBe('approved');
    expect(state.approval).toEqual({
      planHash: hash,
      approver: CAROL,
      approvers: [APPROVER, CAROL],
      expiresAt: inMinutes(20),
      eventId: eventId(4),
      consumedBy: null,
    });
    given(...awaiting, grant(APPROVER, 2), grant(CAROL, 2))
      .when({ type: 'StartExecution', planHash: hash })
      .then([
        { type: 'ExecutionStarted', payload: { planHash: hash, approvalEventId: eventId(4) } },
      ]);
  });

  it('a later grant recording a lower requirement does not lower the bar', () => {
    const { state } = given(...awaiting, grant(APPROVER, 2), grant(APPROVER, 1));
    expect(state.phase).toBe('awaiting_approval');
    expect(given(...awaiting, grant(APPROVER, 2), grant(CAROL, 1)).state.phase).toBe('approved');
  });

  it('a grant of another plan approves nothing', () => {
    const other: PendingEvent = {
      type: 'ApprovalGranted',
      payload: { planHash: 'f'.repeat(64), approver: APPROVER, expiresAt: inMinutes(5) },
    };
    expect(given(...awaiting, other).state).toMatchObject({
      phase: 'awaiting_approval',
      grants: [],
    });
  });

  it('partial grants expire: ApprovalExpired clears them and a new round starts', () => {
    const partial = [...awaiting, grant(APPROVER, 2, 10)];
    given(...partial)
      .when({ type: 'ExpireApproval' }, later(9))
      .thenThrows(IllegalTransitionError, ErrorCode.IllegalTransition, /valid until/);
    const expired: PendingEvent = {
      type: 'ApprovalExpired',
      payload: { planHash: hash, expiresAt: inMinutes(10) },
    };
    given(...partial)
      .when({ type: 'ExpireApproval' }, later(10))
      .then([expired]);
    expect(given(...partial, expired).state).toMatchObject({
      phase: 'awaiting_approval',
      grants: [],
      approval: null,
    });
  });

  it('a plan with no grant expires only with the window the caller names', () => {
    given(...awaiting)
      .when({ type: 'ExpireApproval' })
      .thenThrows(IllegalTransitionError, ErrorCode.IllegalTransition, /no approval to expire/);
    given(...awaiting)
      .when({ type: 'ExpireApproval', expiresAt: inMinutes(30) }, later(31))
      .then([{ type: 'ApprovalExpired', payload: { planHash: hash, expiresAt: inMinutes(30) } }]);
    expect(() =>
      decide({ type: 'ExpireApproval', expiresAt: inMinutes(30) }, given(...awaiting).state, NOW),
    ).toThrow(/valid until/);
  });
});

describe('ApprovalGranted v1', () => {
  it('upcasts to v2 as a complete single-approver approval', () => {
    const v1 = seal(
      {
        id: 'g1',
        type: 'ApprovalGranted',
        version: 1,
        opId: 'op-1',
        occurredAt: NOW.toISOString(),
        actor: { kind: 'user', id: APPROVER },
        causationId: null,
        correlationId: 'op-1',
        traceparent: null,
        payload: { planHash: hash, approver: APPROVER, expiresAt: inMinutes(5) },
      },
      null,
    );
    const event = OpsEvents.parse(v1);
    expect(event).toMatchObject({ version: 2, payload: { required: 1 } });
  });
});
