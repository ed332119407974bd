import type { Directory, Identity } from '../users/directory.ts';
import { hashToken, tokenDigest, tokenUser, verifyToken } from '../users/tokens.ts';

const CACHE_LIMIT = 10_000;

/**
 * Checks Opsloop API tokens. scrypt makes each check cost milliseconds on purpose, so a
 * verified token is remembered by its sha256 digest (never the token) for the process's
 * life; a token that fails is checked again each time. A token of an unknown user still
 * costs one scrypt, so the answer time does not reveal which users exist.
 */
export class TokenVerifier {
  private readonly directory: Directory;
  private readonly verified = new Map<string, string>();
  private decoy: Promise<string> | undefined;

  constructor(directory: Directory) {
    this.directory = directory;
  }

  async verify(token: string): Promise<Identity | null> {
    const digest = tokenDigest(token);
    const known = this.verified.get(digest);
    if (known !== undefined) {
      const user = this.directory.user(known);
      return user === undefined ? null : this.directory.identityOf(user, 'token');
    }
    const name = tokenUser(token);
    const user = name === null ? undefined : this.directory.user(name);
    if (user?.tokenHash === undefined) {
      this.decoy ??= hashToken('decoy');
      await verifyToken(token, await this.decoy);
      return null;
    }
    if (!(await verifyToken(token, user.tokenHash))) return null;
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(digest, user.name);
    return this.directory.identityOf(user, 'token');
  }
}
