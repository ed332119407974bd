import type { Role, TeamEntry, UserEntry, UsersFile } from './schema.ts';

/** Who is calling, as the gateway authenticated them. */
export interface Identity {
  name: string;
  /** A service identity may read and request, never approve. */
  kind: 'user' | 'service';
  roles: Role[];
  teams: string[];
  /** The namespaces (names or globs) the identity's teams own. */
  namespaces: string[];
  /** Whom Kubernetes RBAC is asked about when this identity approves. */
  kubernetes: { user: string; groups: string[] };
  via: 'token' | 'oidc';
}

/** Default Kubernetes identity of a gateway user; the launcher creates matching RBAC subjects. */
export function defaultKubernetesIdentity(name: string, teams: readonly string[]) {
  return { user: `opsloop:${name}`, groups: teams.map((team) => `opsloop:team:${team}`) };
}

/** Namespace glob match: "*" matches any run of characters (never a "/"; names have none). */
export function matchesNamespace(pattern: string, namespace: string): boolean {
  if (!pattern.includes('*')) return pattern === namespace;
  const regex = new RegExp(`^${pattern.split('*').map(escape).join('[a-z0-9-]*')}$`);
  return regex.test(namespace);
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function ownsNamespace(identity: Pick<Identity, 'namespaces'>, namespace: string): boolean {
  return identity.namespaces.some((pattern) => matchesNamespace(pattern, namespace));
}

export function hasRole(identity: Identity, ...roles: Role[]): boolean {
  return identity.roles.includes('admin') || roles.some((role) => identity.roles.includes(role));
}

/** The users file, indexed. */
export class Directory {
  readonly file: UsersFile;
  private readonly users = new Map<string, UserEntry>();
  private readonly bySubject = new Map<string, UserEntry>();
  private readonly teams = new Map<string, TeamEntry>();

  constructor(file: UsersFile) {
    this.file = file;
    for (const team of file.teams) this.teams.set(team.name, team);
    for (const user of file.users) {
      this.users.set(user.name, user);
      if (user.oidcSubject !== undefined) this.bySubject.set(user.oidcSubject, user);
    }
  }

  user(name: string): UserEntry | undefined {
    return this.users.get(name);
  }

  userBySubject(subject: string): UserEntry | undefined {
    return this.bySubject.get(subject);
  }

  /** Teams whose OIDC groups (default: their own name) include one of `groups`. */
  teamsOfGroups(groups: readonly string[]): string[] {
    return this.file.teams
      .filter((team) => (team.oidcGroups ?? [team.name]).some((g) => groups.includes(g)))
      .map((team) => team.name);
  }

  namespacesOf(teams: readonly string[]): string[] {
    const all = teams.flatMap((team) => this.teams.get(team)?.namespaces ?? []);
    return [...new Set(all)];
  }

  identityOf(user: UserEntry, via: Identity['via']): Identity {
    return {
      name: user.name,
      kind: user.service ? 'service' : 'user',
      roles: user.roles,
      teams: user.teams,
      namespaces: this.namespacesOf(user.teams),
      kubernetes: user.kubernetes ?? defaultKubernetesIdentity(user.name, user.teams),
      via,
    };
  }
}
