import { describe, expect, it } from 'vitest';
import { authorizeUrl, codeChallenge, readCallback, type Pending } from '../src/lib/oidc.ts';

const pending: Pending = {
  state: 's'.repeat(43),
  verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  nonce: 'n'.repeat(43),
  redirectUri: 'http://console.example/',
  returnTo: '#/ops/op-1',
};

describe('OIDC authorization code + PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', () => {
    expect(codeChallenge(pending.verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('asks for a code with the challenge, state, nonce and redirect URI', () => {
    const url = new URL(
      authorizeUrl(
        {
          issuer: 'https://idp.example',
          clientId: 'opsloop',
          scopes: 'openid profile',
          authorizationUrl: 'https://idp.example/authorize?tenant=a',
        },
        pending,
      ),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 'a',
      response_type: 'code',
      client_id: 'opsloop',
      redirect_uri: 'http://console.example/',
      scope: 'openid profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
  });

  it('accepts a code only under the state this tab sent', () => {
    expect(readCallback('', pending)).toEqual({ kind: 'none' });
    expect(readCallback(`?code=c1&state=${pending.state}`, pending)).toEqual({
      kind: 'code',
      code: 'c1',
      verifier: pending.verifier,
      redirectUri: pending.redirectUri,
      returnTo: '#/ops/op-1',
    });
    expect(readCallback('?code=c1&state=other', pending).kind).toBe('error');
    expect(readCallback('?code=c1&state=x', null).kind).toBe('error');
    expect(
      readCallback(`?error=access_denied&error_description=no&state=${pending.state}`, pending),
    ).toEqual({ kind: 'error', message: 'Single sign-on did not complete: no.' });
  });
});
