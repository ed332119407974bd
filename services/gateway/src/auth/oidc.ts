import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Role } from '../users/schema.ts';
import { defaultKubernetesIdentity, type Directory, type Identity } from '../users/directory.ts';

export interface OidcSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
  groupsClaim: string;
  groupRoles: Record<string, Role[]>;
}

/** Why a JWT was refused, in words for the caller (no key material, no internals). */
export class OidcRefusal extends Error {}

/**
 * Verifies OIDC JWTs against the issuer's JWKS (jose fetches and caches the keys, and
 * refetches on an unknown `kid`). The groups claim is required: it is what maps the
 * caller to teams. A user entry with this `sub` gives name, roles and Kubernetes identity;
 * otherwise the name is `oidc:<sub>` and roles come from `groupRoles` (default viewer).
 */
export class OidcVerifier {
  private readonly settings: OidcSettings;
  private readonly directory: Directory;
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(settings: OidcSettings, directory: Directory) {
    this.settings = settings;
    this.directory = directory;
    this.keys = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000 });
  }

  async verify(token: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'],
      }));
    } catch (error) {
      throw new OidcRefusal(describe(error));
    }
    const groups = payload[this.settings.groupsClaim];
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) {
      throw new OidcRefusal(`the token has no "${this.settings.groupsClaim}" claim listing groups`);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new OidcRefusal('the token has no subject');
    }
    const user = this.directory.userBySubject(payload.sub);
    const teams = [...new Set([...(user?.teams ?? []), ...this.directory.teamsOfGroups(groups)])];
    if (user !== undefined)
      return {
        ...this.directory.identityOf(user, 'oidc'),
        teams,
        namespaces: this.directory.namespacesOf(teams),
      };
    const roles = [...new Set(groups.flatMap((g) => this.settings.groupRoles[g] ?? []))];
    const name = `oidc:${payload.sub}`;
    return {
      name,
      kind: 'user',
      roles: roles.length > 0 ? roles : ['viewer'],
      teams,
      namespaces: this.directory.namespacesOf(teams),
      kubernetes: defaultKubernetesIdentity(name, teams),
      via: 'oidc',
    };
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `the token's "${error.claim}" claim is not accepted`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed with an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the token signature is invalid';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JOSEError) {
    return error instanceof errors.JWKSTimeout
      ? 'the identity provider keys are unreachable'
      : 'the token is not a valid JWT';
  }
  return 'the token could not be verified';
}
