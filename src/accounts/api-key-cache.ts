import type { AccountRow, ApiKeyRow } from '../db/schema.js';
import type { CachePeers } from '../shared/worker-peers.js';

/** How long a successful key lookup is reused: the bound on how stale a cached key or account can be. */
export const API_KEY_CACHE_TTL_MS = 5_000;
/** Entries kept at most (two usable keys per account: about 500 busy accounts per instance). */
export const API_KEY_CACHE_MAX_ENTRIES = 1_000;

export interface CachedKey {
  readonly row: ApiKeyRow;
  readonly account: AccountRow;
}

/** A short-lived, bounded cache of successful API-key lookups (see createApiKeyCache). */
export interface ApiKeyCache {
  /** The cached lookup for the SHA-256 of a presented key, if still fresh. */
  get(keyHash: string): CachedKey | undefined;
  /** Bumped by every forget; a lookup read before a forget must not be cached after it. */
  readonly generation: number;
  /** Caches a lookup that started at `generation`, unless a forget happened since. */
  set(keyHash: string, value: CachedKey, generation: number): void;
  /** Records a new last-used time on a cached key without extending its life. */
  touch(keyHash: string, lastUsedAt: string): void;
  /** Forgets one key (revoked, or given an expiry by a rotation). */
  forgetKey(keyId: string): void;
  /** Forgets every key of an account (its plan, seat limit or settings changed). */
  forgetAccount(accountId: string): void;
  readonly size: number;
}

export interface ApiKeyCacheOptions {
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  /** The clock in ms; tests pin it. */
  readonly now?: () => number;
}

interface Entry extends CachedKey {
  readonly expiresAt: number;
}

/**
 * Every SCIM request authenticates, and without a cache each one costs two queries (key by
 * prefix, then its account). Entries are keyed by the SHA-256 of the presented key, live for a
 * few seconds, and are bounded in number; failures are never cached. Revoking or rotating a key
 * through this process forgets it at once; a change made by another instance or process
 * (PostgreSQL scale-out, the CLI against a running server) is seen within the TTL (README
 * "Caching").
 */
export function createApiKeyCache(options: ApiKeyCacheOptions = {}): ApiKeyCache {
  const ttlMs = options.ttlMs ?? API_KEY_CACHE_TTL_MS;
  const maxEntries = options.maxEntries ?? API_KEY_CACHE_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let generation = 0;
  const forgetWhere = (matches: (entry: Entry) => boolean) => {
    generation += 1;
    for (const [hash, entry] of entries) if (matches(entry)) entries.delete(hash);
  };
  return {
    get(keyHash) {
      const entry = entries.get(keyHash);
      if (!entry) return undefined;
      if (entry.expiresAt > now()) return entry;
      entries.delete(keyHash);
      return undefined;
    },
    get generation() {
      return generation;
    },
    set(keyHash, value, startedAt) {
      if (startedAt !== generation) return;
      entries.delete(keyHash);
      // Map keeps insertion order, so the first key is the entry cached longest ago.
      for (const oldest of entries.keys()) {
        if (entries.size < maxEntries) break;
        entries.delete(oldest);
      }
      entries.set(keyHash, { ...value, expiresAt: now() + ttlMs });
    },
    touch(keyHash, lastUsedAt) {
      const entry = entries.get(keyHash);
      if (entry) entries.set(keyHash, { ...entry, row: { ...entry.row, last_used_at: lastUsedAt } });
    },
    forgetKey: (keyId) => forgetWhere((entry) => entry.row.id === keyId),
    forgetAccount: (accountId) => forgetWhere((entry) => entry.account.id === accountId),
    get size() {
      return entries.size;
    },
  };
}

/**
 * `cache`, whose forgets also reach every other worker's cache, and which forgets what they
 * forget: a key revoked through one worker stops working in all of them at once, not after
 * the TTL (the message takes well under a millisecond).
 */
export function forgetAcrossWorkers(cache: ApiKeyCache, peers: CachePeers): ApiKeyCache {
  peers.subscribe((scope, id) => (scope === 'key' ? cache.forgetKey(id) : cache.forgetAccount(id)));
  return {
    get: (keyHash) => cache.get(keyHash),
    get generation() {
      return cache.generation;
    },
    set: (keyHash, value, generation) => cache.set(keyHash, value, generation),
    touch: (keyHash, lastUsedAt) => cache.touch(keyHash, lastUsedAt),
    forgetKey(keyId) {
      cache.forgetKey(keyId);
      peers.publish('key', keyId);
    },
    forgetAccount(accountId) {
      cache.forgetAccount(accountId);
      peers.publish('account', accountId);
    },
    get size() {
      return cache.size;
    },
  };
}
