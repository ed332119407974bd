/**
 * Every error Opsloop raises on purpose carries a stable code, whether retrying can help,
 * and its cause. Errors cross service boundaries as events (OperationFailed, StepFailed)
 * carrying `code` and `message`, never as thrown exceptions.
 *
 * This is the one registry of codes: a package that raises its own (kube-tools does) adds
 * them here and refers to them by name, so two packages can never give one code two
 * meanings, and a reader of a StepFailed event can look any code up (ERROR_CODE_MEANING).
 */
export const ErrorCode = {
  // contracts: events and the lifecycle
  InvalidEvent: 'OPS_ERR_INVALID_EVENT',
  UnknownEventType: 'OPS_ERR_UNKNOWN_EVENT_TYPE',
  UnknownEventVersion: 'OPS_ERR_UNKNOWN_EVENT_VERSION',
  IllegalTransition: 'OPS_ERR_ILLEGAL_TRANSITION',
  PlanHashMismatch: 'OPS_ERR_PLAN_HASH_MISMATCH',
  ApprovalExpired: 'OPS_ERR_APPROVAL_EXPIRED',
  SelfApproval: 'OPS_ERR_SELF_APPROVAL',
  InvalidCommand: 'OPS_ERR_INVALID_COMMAND',
  // eventlog
  Concurrency: 'OPS_ERR_CONCURRENCY',
  StreamConfigMismatch: 'OPS_ERR_STREAM_CONFIG_MISMATCH',
  HashChainBroken: 'OPS_ERR_HASH_CHAIN_BROKEN',
  ReadIncomplete: 'OPS_ERR_READ_INCOMPLETE',
  // kube-tools: cluster access
  Kubeconfig: 'OPS_ERR_KUBECONFIG',
  ClusterUnreachable: 'OPS_ERR_CLUSTER_UNREACHABLE',
  ClusterIdentity: 'OPS_ERR_CLUSTER_IDENTITY',
  KubeApi: 'OPS_ERR_KUBE_API',
  // kube-tools: actions
  TargetDrifted: 'OPS_ERR_TARGET_DRIFTED',
  TargetNotFound: 'OPS_ERR_TARGET_NOT_FOUND',
  Precondition: 'OPS_ERR_PRECONDITION_FAILED',
  InvalidArgs: 'OPS_ERR_INVALID_ARGS',
  ProtectedNamespace: 'OPS_ERR_PROTECTED_NAMESPACE',
  UnknownAction: 'OPS_ERR_UNKNOWN_ACTION',
  StepMismatch: 'OPS_ERR_STEP_MISMATCH',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What each registered code means; the type makes a new code without a meaning a compile error. */
export const ERROR_CODE_MEANING: Readonly<Record<ErrorCode, string>> = {
  OPS_ERR_INVALID_EVENT: 'stored bytes are not a readable event (JSON, envelope or payload)',
  OPS_ERR_UNKNOWN_EVENT_TYPE: 'an event type this build does not know',
  OPS_ERR_UNKNOWN_EVENT_VERSION: 'an event written by a newer Opsloop; upgrade the reader',
  OPS_ERR_ILLEGAL_TRANSITION: "a command the operation's phase does not allow",
  OPS_ERR_PLAN_HASH_MISMATCH: 'a decision names another plan than the current one',
  OPS_ERR_APPROVAL_EXPIRED: 'the approval expired before execution started',
  OPS_ERR_SELF_APPROVAL: 'the requester cannot approve their own operation',
  OPS_ERR_INVALID_COMMAND: 'a well-formed command whose data contradicts the operation',
  OPS_ERR_CONCURRENCY: 'another writer appended first; re-read and decide again',
  OPS_ERR_STREAM_CONFIG_MISMATCH: 'the JetStream stream exists with another configuration',
  OPS_ERR_HASH_CHAIN_BROKEN: "an operation's events do not form an unbroken hash chain",
  OPS_ERR_READ_INCOMPLETE: 'the server a read went through had not yet caught up; read again',
  OPS_ERR_KUBECONFIG: 'the kubeconfig cannot be used as given',
  OPS_ERR_CLUSTER_UNREACHABLE: 'the Kubernetes API server cannot be reached',
  OPS_ERR_CLUSTER_IDENTITY: "the kube-system namespace (the cluster's id) cannot be read",
  OPS_ERR_KUBE_API: 'the Kubernetes API server answered with an error status',
  OPS_ERR_TARGET_DRIFTED: "the step's guard failed before any write; plan again",
  OPS_ERR_TARGET_NOT_FOUND: 'the object an action names does not exist',
  OPS_ERR_PRECONDITION_FAILED: 'the object is not in a state the action can act on',
  OPS_ERR_INVALID_ARGS: "arguments the action's or check's schema rejects",
  OPS_ERR_PROTECTED_NAMESPACE: 'the namespace is protected by the policy',
  OPS_ERR_UNKNOWN_ACTION: 'an action that is not in the closed catalog',
  OPS_ERR_STEP_MISMATCH: 'a step that is not what its action derives (forged); not executed',
};

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODE_MEANING, code);
}

export interface OpsErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class OpsError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: OpsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      details: this.details,
    };
  }
}

/** The stored bytes are not an event we can read: bad JSON, bad envelope or bad payload. */
export class InvalidEventError extends OpsError {
  constructor(message: string, options: OpsErrorOptions = {}) {
    super(ErrorCode.InvalidEvent, message, options);
  }
}

export class UnknownEventTypeError extends OpsError {
  constructor(type: string) {
    super(ErrorCode.UnknownEventType, `unknown event type "${type}"`, { details: { type } });
  }
}

/** An event written by a newer Opsloop than this one: upgrade the reader, don't guess. */
export class UnknownEventVersionError extends OpsError {
  constructor(type: string, version: number, latest: number) {
    super(
      ErrorCode.UnknownEventVersion,
      `event ${type} has version ${version}, this build reads up to version ${latest}; upgrade Opsloop`,
      { details: { type, version, latest } },
    );
  }
}

/**
 * A command that the operation's current phase does not allow (wrong order, repeated, or
 * after the operation ended). `allowedIn` names the phases in which it would be legal.
 */
export class IllegalTransitionError extends OpsError {
  readonly command: string;
  readonly phase: string;

  constructor(command: string, phase: string, hint: string, details: Record<string, unknown> = {}) {
    super(ErrorCode.IllegalTransition, `${command} is not allowed in phase "${phase}": ${hint}`, {
      details: { command, phase, ...details },
    });
    this.command = command;
    this.phase = phase;
  }
}

/** The approver saw a different plan than the one now proposed: show the current plan again. */
export class PlanHashMismatchError extends OpsError {
  constructor(command: string, expected: string | null, actual: string) {
    super(
      ErrorCode.PlanHashMismatch,
      `${command} names plan ${actual}, but the current plan is ${expected ?? '(none)'}; ` +
        'review the current plan and decide on that one',
      { details: { command, expected, actual } },
    );
  }
}

/** Four-eyes rule: whoever requested an operation cannot approve its plan. */
export class SelfApprovalError extends OpsError {
  constructor(approver: string) {
    super(
      ErrorCode.SelfApproval,
      `${approver} requested this operation and cannot approve its plan; ask another member of an owning team`,
      { details: { approver } },
    );
  }
}

/** The approval's expiry time has passed (or was set in the past). */
export class ApprovalExpiredError extends OpsError {
  constructor(command: string, expiresAt: string, now: string) {
    super(
      ErrorCode.ApprovalExpired,
      `${command}: the approval expires at ${expiresAt}, which is not after now (${now}); ` +
        'grant a new approval with a later expiry',
      { details: { command, expiresAt, now } },
    );
  }
}

/** Well-formed command whose data contradicts the operation (e.g. a plan for another cluster). */
export class InvalidCommandError extends OpsError {
  constructor(command: string, message: string, details: Record<string, unknown> = {}) {
    super(ErrorCode.InvalidCommand, `${command}: ${message}`, { details: { command, ...details } });
  }
}
