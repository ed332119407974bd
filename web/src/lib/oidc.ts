import { sha256Bytes } from './sha256.ts';

/**
 * "Sign in with single sign-on": the OIDC authorization code flow with PKCE (RFC 7636),
 * the console being a public client. The browser sends the user to the identity provider
 * with a code challenge; the provider sends them back with a code, which the gateway
 * redeems with the verifier (POST /auth/oidc/token) for the ID token the console then uses
 * as its bearer token. The verifier and state live in sessionStorage for the round trip
 * only; the code is removed from the address bar as soon as it is read.
 */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  scopes: string;
  authorizationUrl: string;
}

export interface LoginConfig {
  oidc: OidcConfig | null;
  problem: string | null;
}

/** What is kept across the redirect (this tab only). */
export interface Pending {
  state: string;
  verifier: string;
  nonce: string;
  redirectUri: string;
  /** The route the user was on, restored after sign-in. */
  returnTo: string;
}

export type Callback =
  | { kind: 'none' }
  | { kind: 'error'; message: string }
  | { kind: 'code'; code: string; verifier: string; redirectUri: string; returnTo: string };

const KEY = 'opsloop.oidc';

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes as base64url: 43 characters, a valid PKCE verifier. */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export const codeChallenge = (verifier: string): string => base64url(sha256Bytes(verifier));

/** How the button names the provider: its host (the issuer URL is all the gateway says). */
export function issuerName(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}

export function authorizeUrl(config: OidcConfig, pending: Pending): string {
  const url = new URL(config.authorizationUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', pending.redirectUri);
  url.searchParams.set('scope', config.scopes);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', codeChallenge(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** What the provider's redirect back means, given what this tab sent it off with. */
export function readCallback(search: string, pending: Pending | null): Callback {
  const params = new URLSearchParams(search);
  const code = params.get('code');
  const error = params.get('error');
  if (code === null && error === null) return { kind: 'none' };
  if (pending === null || params.get('state') !== pending.state) {
    return {
      kind: 'error',
      message: 'Single sign-on did not complete: this sign-in was not started here. Start again.',
    };
  }
  if (error !== null) {
    const why = params.get('error_description') ?? error;
    return { kind: 'error', message: `Single sign-on did not complete: ${why}.` };
  }
  return {
    kind: 'code',
    code: code!,
    verifier: pending.verifier,
    redirectUri: pending.redirectUri,
    returnTo: pending.returnTo,
  };
}

/** Sends the browser to the identity provider. */
export function beginSignIn(config: OidcConfig): void {
  const pending: Pending = {
    state: randomToken(),
    verifier: randomToken(),
    nonce: randomToken(),
    redirectUri: `${location.origin}${location.pathname}`,
    returnTo: location.hash,
  };
  sessionStorage.setItem(KEY, JSON.stringify(pending));
  location.assign(authorizeUrl(config, pending));
}

/**
 * Reads the provider's redirect once: the pending sign-in is forgotten and the code and
 * state are taken out of the address bar (back to the route the user started from).
 */
export function takeCallback(): Callback {
  let pending: Pending | null = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Pending | null;
  } catch {
    pending = null;
  }
  const callback = readCallback(location.search, pending);
  if (callback.kind === 'none') return callback;
  sessionStorage.removeItem(KEY);
  const hash = callback.kind === 'code' ? callback.returnTo : location.hash;
  history.replaceState(null, '', `${location.pathname}${hash}`);
  // replaceState fires no hashchange: tell the router the route is the one restored.
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  return callback;
}
