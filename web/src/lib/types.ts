/**
 * The gateway's response shapes, as its routes return them (services/gateway). Event
 * payloads are not repeated here: they are contracts' own types (see fold.ts).
 */
export type Role = 'viewer' | 'requester' | 'approver' | 'admin';

export interface Me {
  name: string;
  kind: 'user' | 'service';
  roles: Role[];
  teams: string[];
  /** The namespaces (names or globs) the user's teams own. */
  namespaces: string[];
  kubernetes: { user: string; groups: string[] };
}

export type Status =
  | 'requested'
  | 'planning'
  | 'awaiting_approval'
  | 'approved'
  | 'executing'
  | 'verifying'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'invalidated'
  | 'answered';

export const STATUSES: Status[] = [
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
];

export type Risk = 'low' | 'medium' | 'high' | 'destructive';

/** `approvals` of a list item and of a decision's answer. */
export interface ApprovalCount {
  required: number;
  granted: string[];
  remaining: number;
}

/** One row of GET /api/v1/operations (the gateway's OperationItem schema). */
export interface OperationListItem {
  id: string;
  status: Status;
  request: string | null;
  namespace: string | null;
  requester: string | null;
  teams: string[];
  planHash: string | null;
  risk: Risk | null;
  approvals: ApprovalCount | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface OperationPage {
  items: OperationListItem[];
  nextCursor: string | null;
}

/**
 * The parts of GET /api/v1/operations/{id} (the gateway's OperationView) the console reads;
 * the rest of what it shows is folded from the operation's events.
 */
export interface OperationDetail {
  id: string;
  status: Status;
  request: string | null;
  namespace: string | null;
  requester: string | null;
  teams: string[];
  plan: {
    planHash: string;
    risk: Risk;
    proposedAt: string;
    /** Until when the plan can be approved (proposal + the gateway's approval TTL). */
    expiresAt: string | null;
  } | null;
  approvals: {
    /** Distinct approvers the current plan needs (from its highest risk); null with no plan. */
    required: number | null;
    granted: { approver: string; eventId: string; at: string; comment: string | null }[];
    remaining: number | null;
    rejected: { approver: string; at: string; reason: string } | null;
    expiredAt: string | null;
  };
  createdAt: string | null;
  updatedAt: string | null;
  closedAt: string | null;
}

/** GET /api/v1/namespaces/{ns}/findings: cluster text (evidence, explanation) is data. */
export interface NamespaceFindings {
  namespace: string;
  observedAt: string;
  findings: {
    code: string;
    severity: 'info' | 'warning' | 'critical';
    object: { kind: string; namespace: string | null; name: string };
    explanation: string;
    evidence: string[];
    proposedFix: { action: string; reasoning: string } | null;
  }[];
  unreadable: { resource: string; reason: string }[];
}
