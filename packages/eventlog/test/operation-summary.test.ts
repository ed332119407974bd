import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OpsEvents, type OpsEvent, type OpsEventType } from '@opsloop/contracts';
import { describe, expect, it } from 'vitest';
import { applyToSummary, emptySummary } from '../src/mod.ts';

/** contracts' golden fixtures, upcast: one realistic event of each type. */
function fixture(type: OpsEventType): OpsEvent {
  const dir = fileURLToPath(
    new URL('../test/fixtures/events/', import.meta.resolve('@opsloop/contracts')),
  );
  return OpsEvents.parse(JSON.parse(readFileSync(`${dir}${type}.v1.json`, 'utf8')));
}

const fold = (types: OpsEventType[]) =>
  types.map(fixture).reduce(applyToSummary, emptySummary('op-fixture'));

describe('operation summary (pure)', () => {
  it('starts empty', () => {
    expect(emptySummary('op-1')).toMatchObject({
      opId: 'op-1',
      phase: 'new',
      eventCount: 0,
      request: null,
    });
  });

  it('follows the lifecycle through execution and verification', () => {
    const executed = fold([
      'OperationRequested',
      'PlanProposed',
      'ApprovalGranted',
      'ExecutionStarted',
      'StepStarted',
      'StepSucceeded',
    ]);
    expect(executed).toMatchObject({
      phase: 'executing',
      requestedBy: 'alice@example.com',
      clusterId: 'kube-sim-local',
      approvedBy: 'bob@example.com',
      steps: { total: 2, succeeded: 1, failedStep: null },
      eventCount: 6,
    });
    const stepFailed = fixture('StepFailed');
    if (stepFailed.type !== 'StepFailed') throw new Error('fixture type');
    const failed = applyToSummary(executed, stepFailed);
    expect(failed.phase).toBe('execution_failed');
    expect(failed.steps.failedStep).toBe(stepFailed.payload.stepIndex);
  });

  it('drops the approver when a new plan replaces the approved one', () => {
    const summary = fold([
      'OperationRequested',
      'PlanProposed',
      'ApprovalGranted',
      'RollbackProposed',
    ]);
    expect(summary).toMatchObject({
      phase: 'awaiting_approval',
      planKind: 'rollback',
      approvedBy: null,
    });
  });
});
