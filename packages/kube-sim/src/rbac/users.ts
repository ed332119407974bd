/**
 * The groups an authenticator adds to every identity it accepts. RBAC itself only looks at
 * the groups it is given (a SubjectAccessReview for "bob" with no groups is evaluated with
 * no groups, as upstream), so the server's authentication step must call this.
 */
import type { UserInfo } from '../api/types.ts';

const SA_PREFIX = 'system:serviceaccount:';

export function authenticatedUser(
  username: string,
  groups: string[] = [],
  extra?: Record<string, string[]>,
): UserInfo {
  const all = [...groups];
  const add = (group: string) => {
    if (!all.includes(group)) all.push(group);
  };
  if (username.startsWith(SA_PREFIX)) {
    const [namespace] = username.slice(SA_PREFIX.length).split(':');
    add('system:serviceaccounts');
    add(`system:serviceaccounts:${namespace ?? ''}`);
  }
  if (username === 'system:anonymous') add('system:unauthenticated');
  else add('system:authenticated');
  const user: UserInfo = { username, groups: all };
  if (extra !== undefined) user.extra = extra;
  return user;
}
