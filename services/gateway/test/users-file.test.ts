import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@opsloop/service-kit';
import { generateEmbeddedUsers, loadUsersFile, parseUsersFile, verifyToken } from '../src/mod.ts';

const HASH = `scrypt$16384$8$1$${'a'.repeat(22)}$${'b'.repeat(43)}`;
const valid = `teams:
  - name: shop
    namespaces: [shop, "shop-*"]
users:
  - name: alice
    teams: [shop]
    roles: [requester]
    tokenHash: "${HASH}"
`;

const refusal = (text: string) => {
  try {
    parseUsersFile(text, 'users.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('users file', () => {
  it('parses teams and users', () => {
    const file = parseUsersFile(valid, 'users.yaml');
    expect(file.teams[0]!.namespaces).toEqual(['shop', 'shop-*']);
    expect(file.users[0]).toMatchObject({ name: 'alice', roles: ['requester'], service: false });
  });

  it('a malformed file names the file, the line and the field', () => {
    expect(refusal(valid.replace('[requester]', '[superuser]'))).toMatch(
      /^users\.yaml:7: users\[0\]\.roles\[0\]: /,
    );
    expect(refusal(valid.replace('teams: [shop]', 'teams: [ops]'))).toMatch(
      /^users\.yaml:6: users\[0\]\.teams\[0\]: unknown team "ops"/,
    );
    expect(refusal(valid.replace(`"${HASH}"`, 'plain'))).toMatch(
      /^users\.yaml:8: users\[0\]\.tokenHash: must be a scrypt hash/,
    );
    expect(refusal(valid.replace('    tokenHash', '    colour: red\n    tokenHash'))).toMatch(
      /^users\.yaml:5: users\[0\]: .*colour/,
    );
    expect(refusal(valid.replace('"shop-*"', '"Shop/*"'))).toMatch(
      /^users\.yaml:3: teams\[0\]\.namespaces\[1\]: /,
    );
    expect(
      refusal(
        `${valid}  - name: alice\n    teams: [shop]\n    roles: [viewer]\n    oidcSubject: x\n`,
      ),
    ).toMatch(/^users\.yaml:9: users\[1\]\.name: duplicate user/);
    expect(refusal(valid.replace('name: alice', 'name: executor'))).toMatch(
      /users\[0\]\.name: is reserved/,
    );
    expect(refusal('teams: [\n')).toMatch(/^users\.yaml:\d+: invalid YAML/);
    expect(refusal('users: []\n')).toMatch(/^users\.yaml:1: teams: /);
  });

  it('a missing file is a ConfigError naming it', () => {
    expect(() => loadUsersFile('/nonexistent/users.yaml')).toThrow(
      /cannot read users file \/nonexistent\/users.yaml: ENOENT/,
    );
  });
});

describe('generateEmbeddedUsers', () => {
  it('writes users.yaml and a 0600 credentials.json: per team a requester and two approvers, a viewer, an admin', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-embedded-'));
    const out = await generateEmbeddedUsers({
      teams: [
        { name: 'shop', namespaces: ['shop'] },
        { name: 'pay', namespaces: ['payments'] },
      ],
      dataDir,
    });
    expect(statSync(out.credentialsFile).mode & 0o777).toBe(0o600);
    const credentials = JSON.parse(readFileSync(out.credentialsFile, 'utf8'));
    expect(credentials.map((c: { name: string }) => c.name)).toEqual([
      'shop-requester',
      'shop-approver-1',
      'shop-approver-2',
      'pay-requester',
      'pay-approver-1',
      'pay-approver-2',
      'viewer',
      'admin',
    ]);
    expect(credentials[1]).toEqual({
      name: 'shop-approver-1',
      roles: ['approver'],
      teams: ['shop'],
      token: expect.stringMatching(/^opl_/),
      kubernetes: { user: 'opsloop:shop-approver-1', groups: ['opsloop:team:shop'] },
    });
    const file = loadUsersFile(out.usersFile);
    expect(readFileSync(out.usersFile, 'utf8')).not.toContain(credentials[0].token);
    expect(await verifyToken(credentials[0].token, file.users[0]!.tokenHash!)).toBe(true);
    expect(await verifyToken(credentials[1].token, file.users[0]!.tokenHash!)).toBe(false);
  });
});
