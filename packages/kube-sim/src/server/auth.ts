/**
 * Authentication (bearer tokens), impersonation and the authorization call. The admin token
 * belongs to `admin` in `system:masters`; every accepted identity also gets the groups an
 * authenticator adds (system:authenticated, service account groups).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, forbidden, unauthorized } from '../api/errors.ts';
import type { AuthorizationAttributes, Authorizer, UserInfo } from '../api/types.ts';
import { authenticatedUser, forbiddenMessage } from '../rbac/mod.ts';

export interface UserSpec {
  token: string;
  username: string;
  groups?: string[];
}

export interface Identity {
  user: UserInfo;
  /** The authenticated user when the request impersonates someone else. */
  impersonatedBy?: UserInfo;
}

export class Authenticator {
  private readonly byToken = new Map<string, UserSpec>();

  constructor(users: UserSpec[]) {
    for (const u of users) this.byToken.set(u.token, u);
  }

  /** Accepts `token` from now on as `username` (TokenRequest for service accounts). */
  addToken(token: string, username: string, groups: string[] = []): void {
    this.byToken.set(token, { token, username, groups });
  }

  tokenOf(username: string): string | undefined {
    for (const [token, spec] of this.byToken) if (spec.username === username) return token;
    return undefined;
  }

  /** Returns the caller, undefined for an anonymous request, or throws 401 for a bad token. */
  authenticate(headers: IncomingHttpHeaders): UserInfo | undefined {
    const header = headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const spec = match ? this.byToken.get(match[1]!.trim()) : undefined;
    if (!spec) throw unauthorized();
    return authenticatedUser(spec.username, spec.groups ?? []);
  }
}

function headerList(headers: IncomingHttpHeaders, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Applies Impersonate-* headers after checking the caller may impersonate each of them. */
export function impersonate(
  caller: UserInfo,
  headers: IncomingHttpHeaders,
  authorizer: Authorizer | undefined,
): Identity {
  const userName = headers['impersonate-user'];
  const groups = headerList(headers, 'impersonate-group');
  if (userName === undefined) {
    if (groups.length > 0)
      throw new ApiError(
        500,
        'InternalError',
        'Internal error occurred: requested [' +
          groups.map((g) => `{Group  ${g}}`).join(' ') +
          '] without impersonating a user',
      );
    return { user: caller };
  }
  const target = Array.isArray(userName) ? userName[0]! : userName;
  const check = (attrs: AuthorizationAttributes): void => {
    if (!authorizer) return;
    const decision = authorizer.authorize(caller, attrs);
    if (!decision.allowed) throw forbidden(forbiddenMessage(caller, attrs, decision.reason));
  };
  const isServiceAccount = target.startsWith('system:serviceaccount:');
  if (isServiceAccount) {
    const [ns, name] = target.slice('system:serviceaccount:'.length).split(':');
    check({
      verb: 'impersonate',
      apiGroup: '',
      resource: 'serviceaccounts',
      namespace: ns,
      name: name ?? '',
    });
  } else check({ verb: 'impersonate', apiGroup: '', resource: 'users', name: target });
  for (const group of groups)
    check({ verb: 'impersonate', apiGroup: '', resource: 'groups', name: group });
  return { user: authenticatedUser(target, groups), impersonatedBy: caller };
}
