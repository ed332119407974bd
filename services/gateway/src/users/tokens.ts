import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** API tokens: `opl_<name base64url>_<32 random bytes base64url>`; only a scrypt hash is stored. */
const PREFIX = 'opl_';
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scryptAsync(
  secret: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, { N: n, r, p, maxmem: 128 * n * r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** A fresh token for `name`; the name inside only says whose hash to check, it proves nothing. */
export function newToken(name: string): string {
  return `${PREFIX}${Buffer.from(name).toString('base64url')}_${randomBytes(32).toString('base64url')}`;
}

/** The user a token claims to belong to, or null when it is not an Opsloop API token. */
export function tokenUser(token: string): string | null {
  const match = /^opl_([A-Za-z0-9_-]{1,100})_[A-Za-z0-9_-]{43}$/.exec(token);
  if (match === null) return null;
  return Buffer.from(match[1]!, 'base64url').toString('utf8');
}

export async function hashToken(token: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(token, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time comparison of the token's scrypt key with the stored one. */
export async function verifyToken(token: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash ?? '', 'base64url');
  const key = await scryptAsync(
    token,
    Buffer.from(salt ?? '', 'base64url'),
    Number(n),
    Number(r),
    Number(p),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** What verified tokens are remembered by: a digest, never the token itself. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
