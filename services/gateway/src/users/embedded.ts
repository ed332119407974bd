import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Role, UsersFile } from './schema.ts';
import { UsersFile as UsersFileSchema } from './schema.ts';
import { defaultKubernetesIdentity } from './directory.ts';
import { hashToken, newToken } from './tokens.ts';

export interface Credential {
  name: string;
  roles: Role[];
  teams: string[];
  token: string;
  /** Whom Kubernetes RBAC is asked about when this user approves (create matching RBAC). */
  kubernetes: { user: string; groups: string[] };
}

export interface EmbeddedUsers {
  usersFile: string;
  credentialsFile: string;
  users: UsersFile;
  credentials: Credential[];
}

/**
 * The embedded default's users (`opsloop up`): per team a requester and two approvers
 * (`<team>-requester`, `<team>-approver-1`, `<team>-approver-2`), plus one `viewer` and one
 * `admin` in every team. Writes `<dataDir>/users.yaml` (hashes only) and
 * `<dataDir>/credentials.json` (mode 0600: the tokens, for the CLI, console and scripts).
 * Kubernetes identity of each: user `opsloop:<name>`, groups `opsloop:team:<team>`.
 */
export async function generateEmbeddedUsers(options: {
  teams: { name: string; namespaces: string[] }[];
  dataDir: string;
}): Promise<EmbeddedUsers> {
  const all = options.teams.map((t) => t.name);
  const people: { name: string; roles: Role[]; teams: string[] }[] = [
    ...options.teams.flatMap((team) => [
      { name: `${team.name}-requester`, roles: ['requester'] as Role[], teams: [team.name] },
      { name: `${team.name}-approver-1`, roles: ['approver'] as Role[], teams: [team.name] },
      { name: `${team.name}-approver-2`, roles: ['approver'] as Role[], teams: [team.name] },
    ]),
    { name: 'viewer', roles: ['viewer'], teams: all },
    { name: 'admin', roles: ['admin'], teams: all },
  ];
  const credentials: Credential[] = [];
  const users: UsersFile['users'] = [];
  for (const person of people) {
    const token = newToken(person.name);
    const kubernetes = defaultKubernetesIdentity(person.name, person.teams);
    credentials.push({ ...person, token, kubernetes });
    users.push({ ...person, service: false, tokenHash: await hashToken(token), kubernetes });
  }
  const file = UsersFileSchema.parse({ teams: options.teams, users });
  mkdirSync(options.dataDir, { recursive: true });
  const usersFile = join(options.dataDir, 'users.yaml');
  const credentialsFile = join(options.dataDir, 'credentials.json');
  writeFileSync(
    usersFile,
    `# Opsloop gateway users (generated)\n${stringify({ teams: options.teams, users })}`,
    { mode: 0o600 },
  );
  writeFileSync(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(credentialsFile, 0o600);
  return { usersFile, credentialsFile, users: file, credentials };
}
