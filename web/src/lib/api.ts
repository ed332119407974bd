import { json, send } from './http.ts';
import type { StoredEnvelope } from './chain.ts';
import type { LoginConfig } from './oidc.ts';
import type { Me, NamespaceFindings, OperationDetail, OperationPage, Status } from './types.ts';

/** The gateway's HTTP API (services/gateway), one function per route the console uses. */
const V1 = '/api/v1';

export const getMe = (token?: string): Promise<Me> =>
  json<Me>(`${V1}/me`, token === undefined ? {} : { token });

export interface ListQuery {
  status?: Status | undefined;
  namespace?: string | undefined;
  team?: string | undefined;
  limit?: number;
  cursor?: string | undefined;
}

export function listOperations(query: ListQuery, signal?: AbortSignal): Promise<OperationPage> {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.namespace) params.set('namespace', query.namespace);
  if (query.team) params.set('team', query.team);
  if (query.limit) params.set('limit', String(query.limit));
  if (query.cursor) params.set('cursor', query.cursor);
  const search = params.toString();
  return json<OperationPage>(
    `${V1}/operations${search ? `?${search}` : ''}`,
    signal ? { signal } : {},
  );
}

export const getOperation = (id: string): Promise<OperationDetail> =>
  json<OperationDetail>(`${V1}/operations/${encodeURIComponent(id)}`);

export const createOperation = (body: {
  request: string;
  namespace?: string;
}): Promise<{ id: string; status: Status }> => json(`${V1}/operations`, { method: 'POST', body });

export const getEvents = (id: string): Promise<StoredEnvelope[]> =>
  json<StoredEnvelope[]>(`${V1}/operations/${encodeURIComponent(id)}/events`);

export interface Decision {
  decision: 'approve' | 'reject';
  planHash: string;
  comment?: string;
}

export const decide = (id: string, body: Decision): Promise<unknown> =>
  json(`${V1}/operations/${encodeURIComponent(id)}/approval`, { method: 'POST', body });

/** Opens the operation's event stream (SSE); `lastEventId` resumes after that event. */
export function openEventStream(
  id: string,
  lastEventId: string | null,
  signal: AbortSignal,
): Promise<Response> {
  return send(`${V1}/operations/${encodeURIComponent(id)}/events`, {
    accept: 'text/event-stream',
    signal,
    headers: lastEventId ? { 'last-event-id': lastEventId } : {},
  });
}

/** The analyzers' current findings in a namespace one of the user's teams owns. */
export const getFindings = (namespace: string, signal?: AbortSignal): Promise<NamespaceFindings> =>
  json<NamespaceFindings>(
    `${V1}/namespaces/${encodeURIComponent(namespace)}/findings`,
    signal ? { signal } : {},
  );

/** How to sign in (no token needed): whether single sign-on is configured. */
export const getLoginConfig = (): Promise<LoginConfig> =>
  json<LoginConfig>(`${V1}/auth/config`, { token: null });

/** Redeems the provider's code with the PKCE verifier; the ID token is the bearer token. */
export const redeemCode = (body: {
  code: string;
  codeVerifier: string;
  redirectUri: string;
}): Promise<{ idToken: string }> =>
  json(`${V1}/auth/oidc/token`, { method: 'POST', body, token: null });
