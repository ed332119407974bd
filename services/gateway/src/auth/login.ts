import { z } from 'zod';
import type { UsersFile } from '../users/schema.ts';

/**
 * What the console needs to offer "Sign in with single sign-on": the OIDC authorization
 * code flow with PKCE, run by the browser as a public client. The ID token it obtains is the
 * bearer token the gateway already verifies (audience = client id by default).
 */
export interface LoginConfig {
  oidc: {
    issuer: string;
    clientId: string;
    scopes: string;
    authorizationUrl: string;
  } | null;
  /** OIDC is configured but its endpoints could not be found (discovery failed). */
  problem: string | null;
}

interface Resolved {
  oidc: (NonNullable<LoginConfig['oidc']> & { tokenUrl: string }) | null;
  problem: string | null;
}

const Discovery = z.looseObject({
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
});

const DISCOVERY_TTL_MS = 5 * 60_000;
const FAILURE_TTL_MS = 10_000;

/** The token endpoint refused the code, or could not be reached. */
export class LoginRefused extends Error {}

const TokenAnswer = z.looseObject({ id_token: z.string().min(1).max(8192) });

/** Login settings from the users file, filling missing endpoints from the issuer's discovery document. */
export class LoginSettings {
  private readonly oidc: UsersFile['oidc'];
  private cached: { at: number; ttl: number; value: Promise<Resolved> } | undefined;

  constructor(oidc: UsersFile['oidc']) {
    this.oidc = oidc;
  }

  /** What the console is told: everything but the token endpoint (the gateway calls that). */
  async config(): Promise<LoginConfig> {
    const resolved = await this.get();
    if (resolved.oidc === null) return { oidc: null, problem: resolved.problem };
    const { tokenUrl: _server, ...oidc } = resolved.oidc;
    return { oidc, problem: null };
  }

  /**
   * Redeems an authorization code at the identity provider's token endpoint, server side (no
   * CORS or CSP exception needed in the browser), with the browser's PKCE verifier; returns
   * the ID token, which the console then uses as its bearer token.
   */
  async exchange(code: string, codeVerifier: string, redirectUri: string): Promise<string> {
    const resolved = await this.get();
    if (resolved.oidc === null)
      throw new LoginRefused(resolved.problem ?? 'single sign-on is not configured');
    let response: Response;
    try {
      response = await fetch(resolved.oidc.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: codeVerifier,
          redirect_uri: redirectUri,
          client_id: resolved.oidc.clientId,
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new LoginRefused('the identity provider cannot be reached');
    }
    const parsed = TokenAnswer.safeParse(await response.json().catch(() => null));
    if (!response.ok || !parsed.success) {
      throw new LoginRefused('the identity provider did not accept the sign-in; start again');
    }
    return parsed.data.id_token;
  }

  private get(): Promise<Resolved> {
    if (this.oidc === undefined) return Promise.resolve({ oidc: null, problem: null });
    const now = Date.now();
    if (this.cached === undefined || now - this.cached.at >= this.cached.ttl) {
      const value = this.resolve(this.oidc);
      const entry = { at: now, ttl: DISCOVERY_TTL_MS, value };
      this.cached = entry;
      void value.then((v) => {
        if (v.problem !== null) entry.ttl = FAILURE_TTL_MS;
      });
    }
    return this.cached.value;
  }

  private async resolve(oidc: NonNullable<UsersFile['oidc']>): Promise<Resolved> {
    let authorizationUrl = oidc.authorizationUrl;
    let tokenUrl = oidc.tokenUrl;
    if (authorizationUrl === undefined || tokenUrl === undefined) {
      const url = `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const found = Discovery.parse(await response.json());
        authorizationUrl ??= found.authorization_endpoint;
        tokenUrl ??= found.token_endpoint;
      } catch {
        return {
          oidc: null,
          problem: 'single sign-on is configured, but the identity provider cannot be reached',
        };
      }
    }
    return {
      oidc: {
        issuer: oidc.issuer,
        clientId: oidc.clientId ?? oidc.audience,
        scopes: oidc.scopes ?? 'openid profile email',
        authorizationUrl,
        tokenUrl,
      },
      problem: null,
    };
  }
}
