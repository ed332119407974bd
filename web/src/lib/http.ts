import { currentToken, signOut } from './session.ts';

/**
 * The one way the console talks to the gateway. Every failure becomes an ApiError with a
 * kind the views can explain: the gateway is down, the token expired, not found, or the
 * gateway's own `{error: {code, message, fields?}}`.
 */
export type ErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'invalid'
  | 'server';

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  readonly details: Record<string, unknown>;

  constructor(
    kind: ErrorKind,
    status: number,
    code: string,
    message: string,
    extra: { fields?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.fields = extra.fields;
    this.details = extra.details ?? {};
  }
}

function kindOf(status: number): ErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 410) return 'gone';
  if (status === 400 || status === 413 || status === 422) return 'invalid';
  return 'server';
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  accept?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Use this token instead of the session's (sign-in checks a token before keeping it). */
  token?: string | null;
}

export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const token = options.token !== undefined ? options.token : currentToken();
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, options.headers);
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('unreachable', 0, 'UNREACHABLE', 'The gateway cannot be reached.');
  }
  if (response.ok) return response;
  throw await toError(response, token !== null && options.token === undefined);
}

async function toError(response: Response, fromSession: boolean): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A proxy's HTML error page: keep the status only.
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error ?? {};
  const code = typeof error.code === 'string' ? error.code : `HTTP_${response.status}`;
  const message =
    typeof error.message === 'string' ? error.message : `The gateway answered ${response.status}.`;
  const fields = isStringRecord(error.fields) ? error.fields : undefined;
  const { code: _c, message: _m, fields: _f, ...details } = error;
  const kind =
    response.status >= 502 && response.status <= 504 ? 'unreachable' : kindOf(response.status);
  if (kind === 'unauthorized' && fromSession) {
    signOut('Your session ended (the token expired or was revoked). Sign in again.');
  }
  return new ApiError(kind, response.status, code, message, { fields, details });
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function json<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  return (await response.json()) as T;
}

/** A sentence for an error, for the error states of every view. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.kind === 'unreachable') {
      return 'The gateway cannot be reached. It may be down or restarting; this page retries when you reload or act again.';
    }
    if (error.kind === 'unauthorized') return 'Your session ended. Sign in again.';
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
