import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `rk_3F9A2C1B_<43 base64url chars>`: a recognisable product prefix, a
 * public 8-character id (stored, shown in lists, used to find the row) and 256 random bits.
 * Only the SHA-256 of the whole key is stored: the secret has full entropy, so a fast hash
 * is enough and a slow one would cost every SCIM request.
 */
const KEY_PATTERN = /^(rk_[0-9A-F]{8})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedKey {
  readonly key: string;
  readonly prefix: string;
  readonly hash: string;
  readonly last4: string;
}

export function generateApiKey(): GeneratedKey {
  const prefix = `rk_${randomBytes(4).toString('hex').toUpperCase()}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key), last4: key.slice(-4) };
}

/** Runs on every SCIM request: the one-shot `hash` costs a quarter of a `createHash` object. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** The public prefix of a well-formed key, or `undefined` for anything else. */
export function apiKeyPrefix(presented: string): string | undefined {
  return KEY_PATTERN.exec(presented)?.[1];
}

/** Constant-time comparison of a presented key against a stored hash. */
export function apiKeyMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
