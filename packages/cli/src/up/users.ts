import { existsSync } from 'node:fs';
import type { DataDir } from './data-dir.ts';
import type { Team } from './identities.ts';

/** The Kubernetes group the gateway gives a team's members (services/gateway users/directory.ts). */
export const kubernetesGroupOfTeam = (team: string) => `opsloop:team:${team}`;

/**
 * The users of the embedded default: generated once by the gateway's generator (per team a
 * requester and two approvers, plus a viewer and an admin) and kept, so a restart keeps
 * everyone's tokens.
 */
export async function embeddedUsers(
  teams: Team[],
  dir: DataDir,
): Promise<{ usersFile: string; credentialsFile: string }> {
  if (existsSync(dir.users) && existsSync(dir.credentials)) {
    return { usersFile: dir.users, credentialsFile: dir.credentials };
  }
  const { generateEmbeddedUsers } = await import('@opsloop/gateway');
  return generateEmbeddedUsers({ teams, dataDir: dir.root });
}
