import { randomUUID } from 'node:crypto';
import type { Db, RosterDatabase } from '../db/database.js';
import { findAccount } from '../db/repositories/accounts-repository.js';
import {
  findApiKey,
  findApiKeysByPrefix,
  insertApiKey,
  listApiKeys,
  revokeApiKeyRow,
  setApiKeyExpiry,
  touchApiKey,
} from '../db/repositories/api-keys-repository.js';
import type { AccountRow, ApiKeyRow } from '../db/schema.js';
import { AppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import type { ApiKeyCache, CachedKey } from './api-key-cache.js';
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from './api-key-format.js';

/** What lists show of a key: never the secret or its hash. */
export interface ApiKeySummary {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly last4: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly status: 'active' | 'expiring' | 'expired' | 'revoked';
}

export interface CreatedApiKey {
  readonly summary: ApiKeySummary;
  /** The whole key. Shown once; Roster cannot show it again. */
  readonly key: string;
}

/** At most this many usable keys per account: one in use plus one being rotated in. */
export const MAX_ACTIVE_KEYS = 2;

export function summarizeApiKey(row: ApiKeyRow, now = nowIso()): ApiKeySummary {
  const status = row.revoked_at ? 'revoked' : row.expires_at && row.expires_at <= now ? 'expired' : row.expires_at ? 'expiring' : 'active';
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    last4: row.last4,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    status,
  };
}

const isUsable = (row: ApiKeyRow, now: string): boolean => !row.revoked_at && !(row.expires_at && row.expires_at <= now);

/** Issues a new key for the account. */
export async function createApiKey(database: RosterDatabase, accountId: string, options: KeyOptions = {}): Promise<CreatedApiKey> {
  return database.db.transaction().execute((trx) => issueApiKey(trx, accountId, options));
}

interface KeyOptions {
  readonly name?: string;
  readonly createdBy?: string | null;
}

/** Issues a key inside the caller's transaction (account creation issues the first key). */
export async function issueApiKey(trx: Db, accountId: string, options: KeyOptions = {}): Promise<CreatedApiKey> {
  const now = nowIso();
  if (!(await findAccount(trx, accountId))) throw new AppError('not_found', `No account with id ${accountId}.`);
  const usable = (await listApiKeys(trx, accountId)).filter((row) => isUsable(row, now));
  if (usable.length >= MAX_ACTIVE_KEYS) {
    throw new AppError('conflict', `An account can have at most ${MAX_ACTIVE_KEYS} active API keys. Revoke one first.`);
  }
  return insertNewKey(trx, accountId, options.name?.trim() || 'SCIM provisioning', options.createdBy ?? null, now);
}

/** Generates a key, stores its hash and returns the key itself (the only time it exists). */
async function insertNewKey(trx: Db, accountId: string, name: string, createdBy: string | null, now: string): Promise<CreatedApiKey> {
  const generated = generateApiKey();
  const row: ApiKeyRow = {
    id: randomUUID(),
    account_id: accountId,
    name,
    prefix: generated.prefix,
    secret_hash: generated.hash,
    last4: generated.last4,
    created_by: createdBy,
    created_at: now,
    last_used_at: null,
    last_used_ip: null,
    expires_at: null,
    revoked_at: null,
  };
  await insertApiKey(trx, row);
  return { summary: summarizeApiKey(row, now), key: generated.key };
}

export async function listAccountApiKeys(database: RosterDatabase, accountId: string): Promise<ApiKeySummary[]> {
  const now = nowIso();
  return (await listApiKeys(database.db, accountId)).map((row) => summarizeApiKey(row, now));
}

/**
 * Rotation without downtime: a new key is issued and the old one keeps working for
 * `graceSeconds` (0 = stops now), so the admin can paste the new key into the IdP first.
 */
export async function rotateApiKey(
  database: RosterDatabase,
  accountId: string,
  keyId: string,
  options: { graceSeconds: number; createdBy?: string | null },
  cache?: ApiKeyCache,
): Promise<CreatedApiKey> {
  if (!Number.isInteger(options.graceSeconds) || options.graceSeconds < 0 || options.graceSeconds > 30 * 86400) {
    throw new AppError('invalid', 'The grace period must be a whole number of seconds between 0 and 2592000 (30 days).');
  }
  const created = await database.db.transaction().execute(async (trx) => {
    const now = nowIso();
    const old = await findApiKey(trx, accountId, keyId);
    if (!old || !isUsable(old, now)) throw new AppError('not_found', `No active API key with id ${keyId} in this account.`);
    const expiresAt = new Date(Date.now() + options.graceSeconds * 1000).toISOString();
    await setApiKeyExpiry(trx, accountId, keyId, expiresAt);
    return insertNewKey(trx, accountId, old.name, options.createdBy ?? null, now);
  });
  // The old key's cached row has no expiry yet.
  cache?.forgetKey(keyId);
  return created;
}

/** Revokes a key at once; requests that begin afterwards (on this instance) are refused. */
export async function revokeApiKey(database: RosterDatabase, accountId: string, keyId: string, cache?: ApiKeyCache): Promise<void> {
  const updated = await revokeApiKeyRow(database.db, accountId, keyId, nowIso());
  cache?.forgetKey(keyId);
  if (updated === 0) throw new AppError('not_found', `No unrevoked API key with id ${keyId} in this account.`);
}

export type AuthenticationResult =
  | { readonly ok: true; readonly account: AccountRow; readonly keyId: string; readonly keyName: string }
  | { readonly ok: false; readonly reason: 'missing' | 'unknown' | 'revoked' | 'expired' };

/** The key row matching a presented key (public prefix, then constant-time hash check) and its account. */
async function lookUpApiKey(database: RosterDatabase, prefix: string, presented: string): Promise<CachedKey | undefined> {
  const row = (await findApiKeysByPrefix(database.db, prefix)).find((candidate) => apiKeyMatches(presented, candidate.secret_hash));
  if (!row) return undefined;
  const account = await findAccount(database.db, row.account_id);
  return account ? { row, account } : undefined;
}

/** A found key's answer at `now`: refused if revoked or expired. */
function verdictOf({ row, account }: CachedKey, now: string): AuthenticationResult {
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.expires_at && row.expires_at <= now) return { ok: false, reason: 'expired' };
  return { ok: true, account, keyId: row.id, keyName: row.name };
}

/** Last-used is informational; minute resolution keeps it from being a write per request. */
const lastUsedIsCurrent = (row: ApiKeyRow, now: string): boolean => row.last_used_at !== null && row.last_used_at.slice(0, 16) === now.slice(0, 16);

/**
 * authenticateApiKey's answer when it needs no query: the key's lookup is cached and its
 * last-used time is current, which is every request of an IdP's sync but one a minute or so.
 * Answering without a promise spares the hottest path of Roster two promise hops
 * (bench/README.md, finding 37). Undefined means: ask authenticateApiKey.
 */
export function authenticateCachedApiKey(presented: string | undefined, cache: ApiKeyCache): AuthenticationResult | undefined {
  if (!presented) return undefined;
  const cached = cache.get(hashApiKey(presented));
  if (!cached) return undefined;
  const now = nowIso();
  return lastUsedIsCurrent(cached.row, now) ? verdictOf(cached, now) : undefined;
}

/**
 * Resolves a presented key to its account: lookup by public prefix, then a constant-time
 * hash comparison. The key alone selects the account. With a cache, a key that succeeded in
 * the last few seconds skips both queries; the cache is keyed by the key's SHA-256, so a hit
 * proves the same secret, and revocation and expiry are still checked on every request.
 */
export async function authenticateApiKey(database: RosterDatabase, presented: string | undefined, ip: string | null, cache?: ApiKeyCache): Promise<AuthenticationResult> {
  if (!presented) return { ok: false, reason: 'missing' };
  const prefix = apiKeyPrefix(presented);
  if (!prefix) return { ok: false, reason: 'unknown' };
  const keyHash = hashApiKey(presented);
  const generation = cache?.generation ?? 0;
  const cached = cache?.get(keyHash);
  const found = cached ?? (await lookUpApiKey(database, prefix, presented));
  if (!found) return { ok: false, reason: 'unknown' };
  const now = nowIso();
  const verdict = verdictOf(found, now);
  if (!verdict.ok) return verdict;
  if (!cached) cache?.set(keyHash, found, generation);
  if (!lastUsedIsCurrent(found.row, now)) {
    cache?.touch(keyHash, now);
    await touchApiKey(database.db, found.row.account_id, found.row.id, now, ip);
  }
  return verdict;
}
