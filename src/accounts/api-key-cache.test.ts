import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openRoster } from '../app.js';
import type { AccountRow, ApiKeyRow } from '../db/schema.js';
import { createApiKeyCache } from './api-key-cache.js';

const account = (id: string): AccountRow => ({
  id,
  name: id,
  plan: 'enterprise',
  seat_limit: 10,
  phone_validation: 'strict',
  default_role: 'no_access',
  owner_member_id: null,
  seats_used: 0,
  member_count: 0,
  member_list_version: 0,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});

const key = (id: string, accountId: string): ApiKeyRow => ({
  id,
  account_id: accountId,
  name: id,
  prefix: 'rk_00000000',
  secret_hash: `hash-${id}`,
  last4: 'abcd',
  created_by: null,
  created_at: '2026-01-01T00:00:00.000Z',
  last_used_at: null,
  last_used_ip: null,
  expires_at: null,
  revoked_at: null,
});

describe('API key cache', () => {
  it('serves an entry until its TTL has passed, then forgets it', () => {
    let now = 1_000;
    const cache = createApiKeyCache({ ttlMs: 5_000, now: () => now });
    cache.set('h1', { row: key('k1', 'a'), account: account('a') }, cache.generation);
    now += 4_999;
    assert.equal(cache.get('h1')?.row.id, 'k1');
    now += 1;
    assert.equal(cache.get('h1'), undefined);
    assert.equal(cache.size, 0);
  });

  it('keeps at most maxEntries, dropping the entry cached longest ago', () => {
    const cache = createApiKeyCache({ maxEntries: 2 });
    for (const n of [1, 2, 3]) cache.set(`h${n}`, { row: key(`k${n}`, 'a'), account: account('a') }, cache.generation);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('h1'), undefined);
    assert.equal(cache.get('h3')?.row.id, 'k3');
  });

  it('forgets a revoked key, and every key of a changed account, at once', () => {
    const cache = createApiKeyCache();
    cache.set('h1', { row: key('k1', 'a'), account: account('a') }, cache.generation);
    cache.set('h2', { row: key('k2', 'a'), account: account('a') }, cache.generation);
    cache.set('h3', { row: key('k3', 'b'), account: account('b') }, cache.generation);
    cache.forgetKey('k1');
    assert.equal(cache.get('h1'), undefined);
    assert.equal(cache.get('h2')?.row.id, 'k2');
    cache.forgetAccount('a');
    assert.equal(cache.get('h2'), undefined);
    assert.equal(cache.get('h3')?.row.id, 'k3');
  });

  it('does not cache a lookup that started before a revocation finished', () => {
    const cache = createApiKeyCache();
    const startedAt = cache.generation;
    cache.forgetKey('k1');
    cache.set('h1', { row: key('k1', 'a'), account: account('a') }, startedAt);
    assert.equal(cache.get('h1'), undefined);
  });

  it('records last use without extending the entry', () => {
    let now = 0;
    const cache = createApiKeyCache({ ttlMs: 100, now: () => now });
    cache.set('h1', { row: key('k1', 'a'), account: account('a') }, cache.generation);
    now = 50;
    cache.touch('h1', '2026-01-01T00:01:00.000Z');
    assert.equal(cache.get('h1')?.row.last_used_at, '2026-01-01T00:01:00.000Z');
    now = 100;
    assert.equal(cache.get('h1'), undefined);
  });
});

describe('API key authentication with the cache', () => {
  it('refuses a key revoked after it was cached, and sees settings changed after it was cached', async () => {
    const roster = await openRoster({ databaseUrl: ':memory:', databasePoolSize: 1 });
    try {
      const { account: created, apiKey } = await roster.accounts.createAccount({ name: 'Cached', plan: 'enterprise' });
      const first = await roster.accounts.authenticateApiKey(apiKey, null);
      assert.equal(first.ok && first.account.phone_validation, 'strict');
      await roster.accounts.updateAccountSettings(created.id, { phoneValidation: 'lenient' });
      const second = await roster.accounts.authenticateApiKey(apiKey, null);
      assert.equal(second.ok && second.account.phone_validation, 'lenient');
      const [summary] = await roster.accounts.listApiKeys(created.id);
      assert.ok(summary);
      await roster.accounts.revokeApiKey(created.id, summary.id);
      assert.deepEqual(await roster.accounts.authenticateApiKey(apiKey, null), { ok: false, reason: 'revoked' });
    } finally {
      await roster.database.close();
    }
  });

  it('answers without a query only for a cached key, with what the full path answers', async () => {
    const roster = await openRoster({ databaseUrl: ':memory:', databasePoolSize: 1 });
    try {
      const { account: created, apiKey } = await roster.accounts.createAccount({ name: 'Quick', plan: 'enterprise' });
      assert.equal(roster.accounts.authenticateCachedApiKey(apiKey), undefined, 'not looked up yet');
      const full = await roster.accounts.authenticateApiKey(apiKey, null);
      assert.equal(full.ok, true);
      assert.deepEqual(roster.accounts.authenticateCachedApiKey(apiKey), full);
      assert.equal(roster.accounts.authenticateCachedApiKey(`${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}`), undefined, 'another secret');
      assert.equal(roster.accounts.authenticateCachedApiKey(undefined), undefined);
      const [summary] = await roster.accounts.listApiKeys(created.id);
      assert.ok(summary);
      await roster.accounts.revokeApiKey(created.id, summary.id);
      assert.equal(roster.accounts.authenticateCachedApiKey(apiKey), undefined, 'a revoked key is no longer cached');
    } finally {
      await roster.database.close();
    }
  });

  it('expires the old key of a rotation with no grace although it was cached', async () => {
    const roster = await openRoster({ databaseUrl: ':memory:', databasePoolSize: 1 });
    try {
      const { account: created, apiKey } = await roster.accounts.createAccount({ name: 'Rotated', plan: 'enterprise' });
      assert.equal((await roster.accounts.authenticateApiKey(apiKey, null)).ok, true);
      const [summary] = await roster.accounts.listApiKeys(created.id);
      assert.ok(summary);
      const rotated = await roster.accounts.rotateApiKey(created.id, summary.id, { graceSeconds: 0 });
      assert.deepEqual(await roster.accounts.authenticateApiKey(apiKey, null), { ok: false, reason: 'expired' });
      assert.equal((await roster.accounts.authenticateApiKey(rotated.key, null)).ok, true);
    } finally {
      await roster.database.close();
    }
  });
});
