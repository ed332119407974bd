import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/harness.ts';
import { testUsers } from './helpers/users.ts';

/** OIDC bearer JWTs verified with jose against a JWKS served on loopback. */
let h: Harness;
let jwks: Server;
let issuer: string;
let key: CryptoKey;
let strangerKey: CryptoKey;
const AUDIENCE = 'opsloop';

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const publicJwk: JWK = {
    ...(await exportJWK(pair.publicKey)),
    kid: 'k1',
    alg: 'RS256',
    use: 'sig',
  };
  jwks = createServer((req, res) => {
    if (req.url === '/jwks')
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [publicJwk] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
  const { file } = await testUsers();
  h = await startHarness({
    users: {
      ...file,
      teams: file.teams.map((t) =>
        t.name === 'shop' ? { ...t, oidcGroups: ['shop-engineers'] } : t,
      ),
      users: [
        ...file.users,
        {
          name: 'carol',
          teams: ['pay'],
          roles: ['approver'],
          service: false,
          oidcSubject: 'carol-sub',
        },
      ],
      oidc: {
        issuer,
        audience: AUDIENCE,
        jwksUrl: `${issuer}/jwks`,
        groupsClaim: 'groups',
        groupRoles: { 'shop-engineers': ['requester'] },
      },
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  jwks?.close();
});

function token(
  claims: Record<string, unknown>,
  options: {
    expiresIn?: string;
    issuer?: string;
    audience?: string;
    signWith?: CryptoKey;
    kid?: string;
  } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.signWith ?? key);
}
const me = async (jwt: string) =>
  h.call(null, 'GET', '/api/v1/me', undefined, { authorization: `Bearer ${jwt}` });

describe('OIDC', () => {
  it('a valid token: groups map to teams, group roles apply, the name is oidc:<sub>', async () => {
    const res = await me(await token({ sub: 'dave', groups: ['shop-engineers', 'unrelated'] }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'oidc:dave',
      kind: 'user',
      roles: ['requester'],
      teams: ['shop'],
      namespaces: ['shop', 'shop-*'],
      kubernetes: { user: 'opsloop:oidc:dave', groups: ['opsloop:team:shop'] },
    });
    const created = await h.call(
      null,
      'POST',
      '/api/v1/operations',
      { request: 'scale checkout', namespace: 'shop' },
      { authorization: `Bearer ${await token({ sub: 'dave', groups: ['shop-engineers'] })}` },
    );
    expect(created.status).toBe(202);
  });

  it('a subject with a user entry gets that user', async () => {
    const res = await me(await token({ sub: 'carol-sub', groups: [] }));
    expect(res.body).toMatchObject({ name: 'carol', roles: ['approver'], teams: ['pay'] });
  });

  it('no matching group: viewer of no team', async () => {
    const res = await me(await token({ sub: 'erin', groups: ['nobody'] }));
    expect(res.body).toMatchObject({ roles: ['viewer'], teams: [], namespaces: [] });
  });

  const refused: [string, () => Promise<string>, RegExp][] = [
    [
      'expired',
      () => token({ sub: 'dave', groups: ['shop-engineers'] }, { expiresIn: '-1m' }),
      /expired/,
    ],
    [
      'wrong audience',
      () => token({ sub: 'dave', groups: ['shop-engineers'] }, { audience: 'someone-else' }),
      /"aud" claim/,
    ],
    [
      'wrong issuer',
      () => token({ sub: 'dave', groups: ['shop-engineers'] }, { issuer: 'https://evil.example' }),
      /"iss" claim/,
    ],
    [
      'unknown key',
      () =>
        token({ sub: 'dave', groups: ['shop-engineers'] }, { kid: 'k2', signWith: strangerKey }),
      /unknown key/,
    ],
    [
      'known kid, wrong signature',
      () => token({ sub: 'dave', groups: ['shop-engineers'] }, { signWith: strangerKey }),
      /signature/,
    ],
    ['missing groups claim', () => token({ sub: 'dave' }), /no "groups" claim/],
    [
      'groups claim not a list',
      () => token({ sub: 'dave', groups: 'shop-engineers' }),
      /no "groups" claim/,
    ],
  ];
  it.each(refused)('%s → 401', async (_case, make, message) => {
    const res = await me(await make());
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({
      code: 'OPS_ERR_UNAUTHENTICATED',
      message: expect.stringMatching(message),
    });
  });

  it('an unsigned token (alg none) is refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({
        sub: 'dave',
        groups: ['shop-engineers'],
        iss: issuer,
        aud: AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 60,
      }),
    ).toString('base64url');
    expect((await me(`${header}.${body}.`)).status).toBe(401);
  });
});
