import type { Role, UsersFile } from '../../src/mod.ts';
import { hashToken, newToken } from '../../src/mod.ts';

/** Two teams (shop owns shop and shop-*, pay owns payments) and one user per role per team. */
export const TEAMS = [
  { name: 'shop', namespaces: ['shop', 'shop-*'] },
  { name: 'pay', namespaces: ['payments'] },
];

export interface TestUser {
  name: string;
  roles: Role[];
  teams: string[];
  service?: boolean;
}

export const PEOPLE: TestUser[] = [
  { name: 'shop-viewer', roles: ['viewer'], teams: ['shop'] },
  { name: 'shop-requester', roles: ['requester'], teams: ['shop'] },
  { name: 'shop-approver', roles: ['approver'], teams: ['shop'] },
  { name: 'shop-approver-2', roles: ['approver'], teams: ['shop'] },
  { name: 'shop-admin', roles: ['admin'], teams: ['shop'] },
  { name: 'pay-viewer', roles: ['viewer'], teams: ['pay'] },
  { name: 'pay-requester', roles: ['requester'], teams: ['pay'] },
  { name: 'pay-approver', roles: ['approver'], teams: ['pay'] },
  { name: 'pay-admin', roles: ['admin'], teams: ['pay'] },
  { name: 'shop-bot', roles: ['requester', 'approver'], teams: ['shop'], service: true },
];

let cached: Promise<{ file: UsersFile; tokens: Record<string, string> }> | undefined;

/** The users file and each user's token (scrypt hashing takes a while: built once per file). */
export function testUsers(): Promise<{ file: UsersFile; tokens: Record<string, string> }> {
  cached ??= (async () => {
    const tokens: Record<string, string> = {};
    const users: UsersFile['users'] = [];
    for (const person of PEOPLE) {
      const token = newToken(person.name);
      tokens[person.name] = token;
      users.push({
        ...person,
        service: person.service ?? false,
        tokenHash: await hashToken(token),
      });
    }
    return { file: { teams: TEAMS, users }, tokens };
  })();
  return cached;
}
