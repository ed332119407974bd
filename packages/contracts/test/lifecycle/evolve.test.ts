import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OpsEvents, evolve, initialState, type OpsEvent } from '../../src/mod.ts';
import { given, history } from './given.ts';
import { grantedEventId, hash, phaseHistories, plan } from './histories.ts';

const fixtureDir = new URL('../fixtures/events/', import.meta.url);
const fixtureEvents: OpsEvent[] = readdirSync(fixtureDir).map((file) =>
  OpsEvents.parse(JSON.parse(readFileSync(new URL(file, fixtureDir), 'utf8'))),
);

describe('evolve', () => {
  it('folds a whole successful operation into its state', () => {
    const state = given(...phaseHistories.verified).state;
    expect(state).toMatchObject({
      phase: 'verified',
      opId: 'op-1',
      requestedBy: 'alice@example.com',
      clusterId: 'kube-sim-local',
      plan: { plan, planHash: hash, kind: 'remediation', rollsBack: null },
      approval: {
        planHash: hash,
        approver: 'bob@example.com',
        eventId: grantedEventId,
        consumedBy: 'evt-4',
      },
      execution: { planHash: hash, nextStep: 2, inFlight: null, failedStep: null },
    });
    expect(state.verification?.passed).toHaveLength(3);
    expect(state.eventCount).toBe(phaseHistories.verified.length);
    expect(state.lastEventId).toBe(`evt-${phaseHistories.verified.length - 1}`);
  });

  it('never mutates the state it is given', () => {
    const events = history(phaseHistories.verified);
    const snapshots = [initialState];
    for (const event of events) snapshots.push(evolve(snapshots.at(-1)!, event));
    const frozen = JSON.stringify(snapshots);
    events.reduce(evolve, initialState);
    expect(JSON.stringify(snapshots)).toBe(frozen);
    expect(Object.isFrozen(initialState)).toBe(true);
  });

  it('is total: every event type applies to any state, in any order, without throwing', () => {
    expect(new Set(fixtureEvents.map((e) => e.type)).size).toBe(OpsEvents.types().length);
    const states = Object.values(phaseHistories).map((events) => given(...events).state);
    for (const state of [initialState, ...states]) {
      for (const event of fixtureEvents) {
        const next = evolve(state, event);
        expect(next.eventCount).toBe(state.eventCount + 1);
      }
    }
    // Reversed order: facts apply even where decide would have refused the command.
    const reversed = [...fixtureEvents].reverse().reduce(evolve, initialState);
    expect(reversed.eventCount).toBe(fixtureEvents.length);
  });

  it('each event type moves to its phase', () => {
    const phaseAfter = Object.fromEntries(
      fixtureEvents.map((event) => [event.type, evolve(initialState, event).phase]),
    );
    expect(phaseAfter).toEqual({
      OperationRequested: 'requested',
      ContextGathered: 'diagnosing',
      DiagnosisRecorded: 'diagnosing',
      PlanProposed: 'awaiting_approval',
      PlanRejectedByPolicy: 'rejected',
      ApprovalGranted: 'approved',
      ApprovalRejected: 'rejected',
      ApprovalExpired: 'awaiting_approval',
      ExecutionStarted: 'executing',
      StepStarted: 'new',
      StepSucceeded: 'new',
      StepFailed: 'execution_failed',
      ExecutionCompleted: 'executed',
      ExecutionHeld: 'new',
      PlanInvalidated: 'invalidated',
      VerificationStarted: 'verifying',
      CheckPassed: 'new',
      CheckFailed: 'new',
      VerificationPassed: 'verified',
      VerificationFailed: 'verification_failed',
      RollbackProposed: 'awaiting_approval',
      OperationAnswered: 'answered',
      OperationFailed: 'failed',
      OperationClosed: 'closed',
    });
  });
});
