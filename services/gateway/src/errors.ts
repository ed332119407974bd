import { ErrorCode, OpsError } from '@opsloop/contracts';

/** Stable codes of the API's refusals (the contracts' codes where the same thing is meant). */
export const ApiCode = {
  Unauthenticated: 'OPS_ERR_UNAUTHENTICATED',
  Forbidden: 'OPS_ERR_FORBIDDEN',
  NotFound: 'OPS_ERR_NOT_FOUND',
  Validation: 'OPS_ERR_VALIDATION',
  Conflict: 'OPS_ERR_CONFLICT',
  PlanHashMismatch: ErrorCode.PlanHashMismatch,
  ApprovalExpired: ErrorCode.ApprovalExpired,
  SelfApproval: ErrorCode.SelfApproval,
  NotTeamOwner: 'OPS_ERR_NOT_TEAM_OWNER',
  RbacDenied: 'OPS_ERR_RBAC_DENIED',
  ServiceCannotApprove: 'OPS_ERR_SERVICE_CANNOT_APPROVE',
  RateLimited: 'OPS_ERR_RATE_LIMITED',
  PayloadTooLarge: 'OPS_ERR_PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'OPS_ERR_UNSUPPORTED_MEDIA_TYPE',
  NotAcceptable: 'OPS_ERR_NOT_ACCEPTABLE',
  MethodNotAllowed: 'OPS_ERR_METHOD_NOT_ALLOWED',
  Unavailable: 'OPS_ERR_UNAVAILABLE',
  Internal: 'OPS_ERR_INTERNAL',
} as const;

/** The one error body the API sends: `{error: {code, message, fields?, current?}}`. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** Field path → what is wrong with it (validation errors). */
    fields?: Record<string, string>;
    /** The operation's current values a conflicting request should have used (e.g. planHash). */
    current?: Record<string, unknown>;
  };
}

/** A refusal with its HTTP status; its message is written for the caller, never internal. */
export class ApiError extends OpsError {
  readonly status: number;
  readonly fields: Record<string, string> | undefined;
  readonly current: Record<string, unknown> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    extra: { fields?: Record<string, string>; current?: Record<string, unknown> } = {},
  ) {
    super(code, message, { retryable: status === 429 || status === 503 });
    this.status = status;
    this.fields = extra.fields;
    this.current = extra.current;
  }

  body(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.fields !== undefined) error.fields = this.fields;
    if (this.current !== undefined) error.current = this.current;
    return { error };
  }
}

export const notFound = (what = 'operation') =>
  new ApiError(404, ApiCode.NotFound, `no such ${what}`);

export const forbidden = (message: string, code: string = ApiCode.Forbidden) =>
  new ApiError(403, code, message);
