import { ApiCode, ApiError } from '../errors.ts';
import type { Identity } from '../users/directory.ts';
import { OidcRefusal, type OidcVerifier } from './oidc.ts';
import type { TokenVerifier } from './tokens.ts';

const unauthenticated = (message: string) => new ApiError(401, ApiCode.Unauthenticated, message);

/** `Authorization: Bearer <token>`: an Opsloop API token, or (when configured) an OIDC JWT. */
export async function authenticate(
  header: string | undefined,
  tokens: TokenVerifier,
  oidc: OidcVerifier | undefined,
): Promise<Identity> {
  if (header === undefined || header === '') throw unauthenticated('a bearer token is required');
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,8192})$/i.exec(header);
  if (match === null) throw unauthenticated('the Authorization header must be "Bearer <token>"');
  const token = match[1]!;
  if (token.startsWith('opl_')) {
    const identity = await tokens.verify(token);
    if (identity === null) throw unauthenticated('the token is not valid');
    return identity;
  }
  if (oidc === undefined || token.split('.').length !== 3) {
    throw unauthenticated('the token is not valid');
  }
  try {
    return await oidc.verify(token);
  } catch (error) {
    if (error instanceof OidcRefusal) throw unauthenticated(error.message);
    throw error;
  }
}
