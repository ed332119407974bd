import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/harness.ts';
import { testUsers } from './helpers/users.ts';

/**
 * The console's single sign-on: GET /auth/config (from the users file and the issuer's
 * discovery document) and POST /auth/oidc/token (authorization code + PKCE, redeemed by the
 * gateway at a loopback identity provider; the ID token is then the bearer token).
 */
let idp: Server;
let issuer: string;
let h: Harness;
let plain: Harness;
const CODE = 'code-123';
const VERIFIER = 'v'.repeat(20) + '-._~' + 'w'.repeat(30);

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  idp = createServer((req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration')
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
      });
    if (req.url === '/jwks') return json(200, { keys: [jwk] });
    if (req.url === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const challenge = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        const expected = createHash('sha256').update(VERIFIER).digest('base64url');
        if (
          form.get('code') !== CODE ||
          challenge !== expected ||
          form.get('client_id') !== 'opsloop'
        )
          return json(400, { error: 'invalid_grant' });
        void new SignJWT({ sub: 'dave', groups: ['shop'] })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience('opsloop')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(pair.privateKey)
          .then((idToken) => json(200, { id_token: idToken, token_type: 'Bearer' }));
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const { file } = await testUsers();
  const oidc = {
    issuer,
    audience: 'opsloop',
    jwksUrl: `${issuer}/jwks`,
    groupsClaim: 'groups',
    groupRoles: {},
  };
  [h, plain] = await Promise.all([startHarness({ users: { ...file, oidc } }), startHarness()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([h?.close(), plain?.close()]);
  idp?.close();
});

const exchange = (body: unknown) => h.call(null, 'POST', '/api/v1/auth/oidc/token', body);

describe('single sign-on for the console', () => {
  it('says whether OIDC is configured, without a token', async () => {
    expect((await plain.call(null, 'GET', '/api/v1/auth/config')).body).toEqual({
      oidc: null,
      problem: null,
    });
    const res = await h.call(null, 'GET', '/api/v1/auth/config');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      oidc: {
        issuer,
        clientId: 'opsloop',
        scopes: 'openid profile email',
        authorizationUrl: `${issuer}/authorize`,
      },
      problem: null,
    });
  });

  it('redeems a code with its PKCE verifier for an ID token the gateway accepts', async () => {
    const res = await exchange({
      code: CODE,
      codeVerifier: VERIFIER,
      redirectUri: 'http://console/',
    });
    expect(res.status).toBe(200);
    const me = await h.call(null, 'GET', '/api/v1/me', undefined, {
      authorization: `Bearer ${res.body.idToken}`,
    });
    expect(me.body).toMatchObject({ name: 'oidc:dave', teams: ['shop'], roles: ['viewer'] });
  });

  it('refuses a wrong verifier (401) and a malformed one (400)', async () => {
    const wrong = await exchange({
      code: CODE,
      codeVerifier: 'x'.repeat(50),
      redirectUri: 'http://console/',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/did not accept/);
    const bad = await exchange({
      code: CODE,
      codeVerifier: 'short',
      redirectUri: 'http://console/',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['codeVerifier']);
    expect(
      (
        await plain.call(null, 'POST', '/api/v1/auth/oidc/token', {
          code: CODE,
          codeVerifier: VERIFIER,
          redirectUri: 'http://console/',
        })
      ).status,
    ).toBe(401);
  });

  it('an unreachable identity provider is a problem to show, not a button that fails', async () => {
    const { file } = await testUsers();
    const down = await startHarness({
      users: {
        ...file,
        oidc: {
          issuer: 'http://127.0.0.1:9',
          audience: 'opsloop',
          jwksUrl: 'http://127.0.0.1:9/jwks',
          groupsClaim: 'groups',
          groupRoles: {},
        },
      },
    });
    try {
      const res = await down.call(null, 'GET', '/api/v1/auth/config');
      expect(res.body.oidc).toBeNull();
      expect(res.body.problem).toMatch(/cannot be reached/);
    } finally {
      await down.close();
    }
  });
});
