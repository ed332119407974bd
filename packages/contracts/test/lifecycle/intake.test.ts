import { describe, expect, it } from 'vitest';
import { ErrorCode, InvalidCommandError, planHash } from '../../src/mod.ts';
import { samplePlan } from '../support/sample-plans.ts';
import { given } from './given.ts';
import { contextGathered, hash, phaseHistories, plan, requested } from './histories.ts';

describe('request, context, diagnosis', () => {
  it('RequestOperation records the request', () => {
    given()
      .when({ type: 'RequestOperation', ...requested.payload } as never)
      .then([requested]);
  });

  it('RequestOperation with an oversized request is refused with the field named', () => {
    const payload = { ...requested.payload, request: 'x'.repeat(4001) };
    given()
      .when({ type: 'RequestOperation', ...payload } as never)
      .thenThrows(InvalidCommandError, ErrorCode.InvalidCommand, /request/);
  });

  it('RecordContext and RecordDiagnosis are accepted while requested and while diagnosing', () => {
    const finding = {
      code: 'ServiceSelectorMismatch',
      severity: 'critical' as const,
      object: { kind: 'Service', namespace: 'shop', name: 'checkout' },
      explanation: 'no endpoints',
      evidence: ['selector app=chekout'],
    };
    for (const history of [phaseHistories.requested, phaseHistories.diagnosing]) {
      given(...history)
        .when({ type: 'RecordContext', ...contextGathered.payload } as never)
        .then([contextGathered]);
      given(...history)
        .when({ type: 'RecordDiagnosis', findings: [finding] })
        .then([{ type: 'DiagnosisRecorded', payload: { findings: [finding] } }]);
    }
  });

  it('Answer records the answer', () => {
    given(...phaseHistories.diagnosing)
      .when({ type: 'Answer', answer: 'the pods are Pending: no node has 8 CPUs free' })
      .then([
        {
          type: 'OperationAnswered',
          payload: { answer: 'the pods are Pending: no node has 8 CPUs free' },
        },
      ]);
  });
});

describe('ProposePlan', () => {
  it('records the plan with its hash computed by decide', () => {
    given(...phaseHistories.diagnosing)
      .when({ type: 'ProposePlan', plan })
      .then([{ type: 'PlanProposed', payload: { plan, planHash: hash } }]);
  });

  it('may propose a fresh plan after the old one was invalidated', () => {
    const fresh = samplePlan();
    fresh.steps[0]!.target.resourceVersion = '4712';
    given(...phaseHistories.invalidated)
      .when({ type: 'ProposePlan', plan: fresh })
      .then([{ type: 'PlanProposed', payload: { plan: fresh, planHash: planHash(fresh) } }]);
    const state = given(...phaseHistories.invalidated, {
      type: 'PlanProposed',
      payload: { plan: fresh, planHash: planHash(fresh) },
    }).state;
    expect(state).toMatchObject({ phase: 'awaiting_approval', approval: null, execution: null });
  });

  it('refuses a plan for another cluster', () => {
    given(...phaseHistories.diagnosing)
      .when({ type: 'ProposePlan', plan: samplePlan('prod-eu') })
      .thenThrows(
        InvalidCommandError,
        ErrorCode.InvalidCommand,
        /cluster "prod-eu".*"kube-sim-local"/,
      );
  });

  it('refuses an invalid plan, naming the problem', () => {
    const bad = samplePlan();
    bad.steps[0]!.target.name = 'Checkout_Service';
    given(...phaseHistories.diagnosing)
      .when({ type: 'ProposePlan', plan: bad })
      .thenThrows(InvalidCommandError, ErrorCode.InvalidCommand, /DNS-1123/);
  });
});
