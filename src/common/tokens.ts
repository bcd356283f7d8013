import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit random token, URL- and cookie-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of a token. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
