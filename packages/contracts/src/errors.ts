/**
 * Every error Opsloop raises on purpose carries a stable code, whether retrying can help,
 * and its cause. Errors cross service boundaries as events (OperationFailed, StepFailed)
 * carrying `code` and `message`, never as thrown exceptions.
 */
export const ErrorCode = {
  InvalidEvent: 'OPS_ERR_INVALID_EVENT',
  UnknownEventType: 'OPS_ERR_UNKNOWN_EVENT_TYPE',
  UnknownEventVersion: 'OPS_ERR_UNKNOWN_EVENT_VERSION',
  IllegalTransition: 'OPS_ERR_ILLEGAL_TRANSITION',
  PlanHashMismatch: 'OPS_ERR_PLAN_HASH_MISMATCH',
  ApprovalExpired: 'OPS_ERR_APPROVAL_EXPIRED',
  SelfApproval: 'OPS_ERR_SELF_APPROVAL',
  InvalidCommand: 'OPS_ERR_INVALID_COMMAND',
  Concurrency: 'OPS_ERR_CONCURRENCY',
  StreamConfigMismatch: 'OPS_ERR_STREAM_CONFIG_MISMATCH',
  HashChainBroken: 'OPS_ERR_HASH_CHAIN_BROKEN',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

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
