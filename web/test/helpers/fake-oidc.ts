import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An identity provider on loopback that speaks the real protocol the console and gateway
 * use: discovery, an authorize endpoint with a sign-in page (Continue / Cancel), the token
 * endpoint checking the PKCE verifier against the challenge (S256), redirect URI and client
 * id, single-use codes, JWKS, and RS256-signed ID tokens (node:crypto, no JWT library).
 */
export interface FakeOidc {
  issuer: string;
  clientId: string;
  /** Every request the provider got, in order (method and path). */
  requests: string[];
  /** Token requests refused, with why. */
  refused: string[];
  stop(): Promise<void>;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | null;
}

export async function startFakeOidc(
  user: { sub: string; groups: string[]; name: string },
  clientId = 'opsloop-console',
): Promise<FakeOidc> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'fake-1', alg: 'RS256', use: 'sig' };
  const pendingLogins = new Map<string, { grant: Grant; state: string }>();
  const codes = new Map<string, Grant>();
  const requests: string[] = [];
  const refused: string[] = [];
  let issuer = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', issuer);
    requests.push(`${req.method} ${url.pathname}`);
    const json = (status: number, body: unknown): void =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize' && req.method === 'GET') {
      const q = url.searchParams;
      const problem =
        q.get('response_type') !== 'code'
          ? 'response_type must be code'
          : q.get('client_id') !== clientId
            ? 'unknown client'
            : q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')
              ? 'PKCE with S256 is required'
              : !q.get('scope')?.split(' ').includes('openid')
                ? 'scope must include openid'
                : !q.get('state') || !q.get('redirect_uri')
                  ? 'state and redirect_uri are required'
                  : null;
      if (problem) return void res.writeHead(400).end(problem);
      const id = randomBytes(8).toString('hex');
      pendingLogins.set(id, {
        state: q.get('state')!,
        grant: {
          clientId,
          redirectUri: q.get('redirect_uri')!,
          challenge: q.get('code_challenge')!,
          nonce: q.get('nonce'),
        },
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><title>Fake IdP</title><h1>Fake IdP</h1>
<form method="post" action="/login"><input type="hidden" name="id" value="${id}">
<button name="answer" value="continue">Continue as ${user.name}</button>
<button name="answer" value="cancel">Cancel</button></form>`,
      );
      return;
    }
    const form = new URLSearchParams(req.method === 'POST' ? await body(req) : '');
    if (url.pathname === '/login' && req.method === 'POST') {
      const login = pendingLogins.get(form.get('id') ?? '');
      if (!login) return void res.writeHead(400).end('no such sign-in');
      pendingLogins.delete(form.get('id')!);
      const back = new URL(login.grant.redirectUri);
      back.searchParams.set('state', login.state);
      if (form.get('answer') === 'cancel') {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'the user cancelled the sign-in');
      } else {
        const code = randomBytes(16).toString('base64url');
        codes.set(code, login.grant);
        back.searchParams.set('code', code);
      }
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const challenge = createHash('sha256')
        .update(form.get('code_verifier') ?? '')
        .digest('base64url');
      const why =
        form.get('grant_type') !== 'authorization_code'
          ? 'grant_type'
          : !grant
            ? 'unknown or used code'
            : grant.challenge !== challenge
              ? 'code_verifier does not match the challenge'
              : grant.redirectUri !== form.get('redirect_uri')
                ? 'redirect_uri differs'
                : grant.clientId !== form.get('client_id')
                  ? 'client_id differs'
                  : null;
      if (why) {
        refused.push(why);
        return json(400, { error: 'invalid_grant', error_description: why });
      }
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer,
        aud: clientId,
        sub: user.sub,
        name: user.name,
        groups: user.groups,
        iat: now,
        exp: now + 600,
        ...(grant!.nonce ? { nonce: grant!.nonce } : {}),
      };
      return json(200, {
        id_token: signJwt(claims, privateKey),
        token_type: 'Bearer',
        expires_in: 600,
      });
    }
    res.writeHead(404).end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get issuer() {
      return issuer;
    },
    clientId,
    requests,
    refused,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function signJwt(claims: Record<string, unknown>, key: KeyObject): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid: 'fake-1' })}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}
