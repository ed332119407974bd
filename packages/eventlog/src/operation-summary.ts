import {
  evolve,
  initialState,
  type OperationState,
  type OpsEvent,
  type Phase,
} from '@opsloop/contracts';
import type { Projection } from './projection.ts';

/** One row of the operation list: what a person scanning operations wants to see. */
export interface OperationSummary {
  opId: string;
  phase: Phase;
  request: string | null;
  requestedBy: string | null;
  clusterId: string | null;
  planHash: string | null;
  planKind: 'remediation' | 'rollback' | null;
  approvedBy: string | null;
  steps: { total: number; succeeded: number; failedStep: number | null };
  checks: { passed: number; failed: number };
  createdAt: string | null;
  updatedAt: string | null;
  eventCount: number;
  /** The lifecycle state (contracts' evolve) the row is derived from; folded further on each event. */
  lifecycle: OperationState;
}

export function emptySummary(opId: string): OperationSummary {
  return summarize(opId, initialState, { request: null, createdAt: null, updatedAt: null });
}

/** Pure: the summary after `event`. The lifecycle fold is contracts' `evolve`, unchanged. */
export function applyToSummary(summary: OperationSummary, event: OpsEvent): OperationSummary {
  const lifecycle = evolve(summary.lifecycle, event);
  return summarize(summary.opId, lifecycle, {
    request: event.type === 'OperationRequested' ? event.payload.request : summary.request,
    createdAt: summary.createdAt ?? event.occurredAt,
    updatedAt: event.occurredAt,
  });
}

function summarize(
  opId: string,
  s: OperationState,
  extra: { request: string | null; createdAt: string | null; updatedAt: string | null },
): OperationSummary {
  const approved =
    s.approval !== null && s.plan !== null && s.approval.planHash === s.plan.planHash;
  return {
    opId,
    phase: s.phase,
    request: extra.request,
    requestedBy: s.requestedBy,
    clusterId: s.clusterId,
    planHash: s.plan?.planHash ?? null,
    planKind: s.plan?.kind ?? null,
    approvedBy: approved ? (s.approval?.approver ?? null) : null,
    steps: {
      total: s.plan?.plan.steps.length ?? 0,
      succeeded: s.execution?.nextStep ?? 0,
      failedStep: s.execution?.failedStep ?? null,
    },
    checks: {
      passed: s.verification?.passed.length ?? 0,
      failed: s.verification?.failed.length ?? 0,
    },
    createdAt: extra.createdAt,
    updatedAt: extra.updatedAt,
    eventCount: s.eventCount,
    lifecycle: s,
  };
}

/** The `ops_summary` read model: one OperationSummary per opId. */
export const operationSummaryProjection: Projection<OpsEvent, OperationSummary> = {
  name: 'operation-summary',
  initial: emptySummary,
  apply: applyToSummary,
};

/** Default bucket of the operation-summary read model. */
export const OPERATION_SUMMARY_BUCKET = 'ops_summary';
