import {
  initialState,
  type ErrorInfo,
  type Finding,
  type OperationState,
  type Outcome,
  type Plan,
  type Risk,
} from '@opsloop/contracts';
import type { Status } from './status.ts';

export interface ApprovalRecord {
  approver: string;
  eventId: string;
  at: string;
  comment: string | null;
}

export interface StepRecord {
  index: number;
  id: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  startedAt: string | null;
  finishedAt: string | null;
  resourceVersionAfter: string | null;
  error: ErrorInfo | null;
}

export interface CheckRecord {
  stepIndex: number;
  check: string;
  passed: boolean;
  message: string | null;
  at: string;
}

/**
 * What the detail endpoint returns for one operation, folded from its events (and so
 * rebuildable from the stream at any time). `lifecycle` is contracts' state, folded by the
 * same `evolve` every service uses; the rest is what a person reads.
 */
export interface OperationView {
  id: string;
  status: Status;
  phase: OperationState['phase'];
  request: string | null;
  namespace: string | null;
  requester: string | null;
  teams: string[];
  scope: string[];
  clusterId: string | null;
  context: string | null;
  diagnosis: { findings: Finding[] } | null;
  answer: string | null;
  plan: {
    kind: 'remediation' | 'rollback';
    plan: Plan;
    planHash: string;
    risk: Risk;
    proposedAt: string;
    rollsBack: string | null;
    reason: string | null;
  } | null;
  approvals: {
    required: number | null;
    granted: ApprovalRecord[];
    remaining: number | null;
    rejected: (ApprovalRecord & { reason: string }) | null;
    expiredAt: string | null;
  };
  policyViolations: { rule: string; message: string; stepIndex?: number | undefined }[];
  steps: StepRecord[];
  verification: {
    status: 'running' | 'passed' | 'failed';
    checks: CheckRecord[];
    reason: string | null;
  } | null;
  rollback: { planHash: string; reason: string; rollsBack: string } | null;
  invalidation: { stepIndex: number; reason: string } | null;
  failure: ErrorInfo | null;
  outcome: Outcome | null;
  createdAt: string | null;
  updatedAt: string | null;
  closedAt: string | null;
  eventCount: number;
  lifecycle: OperationState;
}

const RISK_ORDER: Risk[] = ['low', 'medium', 'high', 'destructive'];
export const highestRisk = (plan: Plan): Risk =>
  plan.steps.reduce<Risk>(
    (top, s) => (RISK_ORDER.indexOf(s.risk) > RISK_ORDER.indexOf(top) ? s.risk : top),
    'low',
  );

export function emptyView(id: string): OperationView {
  return {
    id,
    status: 'requested',
    phase: 'new',
    request: null,
    namespace: null,
    requester: null,
    teams: [],
    scope: [],
    clusterId: null,
    context: null,
    diagnosis: null,
    answer: null,
    plan: null,
    approvals: { required: null, granted: [], remaining: null, rejected: null, expiredAt: null },
    policyViolations: [],
    steps: [],
    verification: null,
    rollback: null,
    invalidation: null,
    failure: null,
    outcome: null,
    createdAt: null,
    updatedAt: null,
    closedAt: null,
    eventCount: 0,
    lifecycle: initialState,
  };
}
