import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/test-server.js';

describeEachDatabase('API keys', (server) => {
  it('a new account gets a key that authenticates to that account', async () => {
    const { accountId, apiKey } = await server().createAccount();
    assert.match(apiKey, /^rk_[0-9A-F]{8}_[A-Za-z0-9_-]{43}$/);
    const result = await server().roster.accounts.authenticateApiKey(apiKey, '127.0.0.1');
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.account.id, accountId);
  });

  it('stores only a hash: the key appears in no column of the database', async () => {
    const { apiKey } = await server().createAccount();
    const rows = await sql<Record<string, unknown>>`select * from api_keys`.execute(server().roster.database.db);
    const dump = JSON.stringify(rows.rows);
    assert.ok(!dump.includes(apiKey), 'the whole key is stored');
    assert.ok(!dump.includes(apiKey.slice(12)), 'the secret part is stored');
  });

  it('refuses unknown, malformed and missing keys', async () => {
    const { apiKey } = await server().createAccount();
    const tampered = apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A');
    for (const [presented, reason] of [[tampered, 'unknown'], ['not-a-key', 'unknown'], [undefined, 'missing']] as const) {
      const result = await server().roster.accounts.authenticateApiKey(presented, null);
      assert.deepEqual(result, { ok: false, reason });
    }
  });

  it('rotation keeps the old key working during the grace period, then only the new one', async () => {
    const { accountId, apiKey } = await server().createAccount();
    const [oldKey] = await server().roster.accounts.listApiKeys(accountId);
    assert.ok(oldKey);
    const rotated = await server().roster.accounts.rotateApiKey(accountId, oldKey.id, { graceSeconds: 3600 });
    assert.equal((await server().roster.accounts.authenticateApiKey(apiKey, null)).ok, true);
    assert.equal((await server().roster.accounts.authenticateApiKey(rotated.key, null)).ok, true);
    const statuses = (await server().roster.accounts.listApiKeys(accountId)).map((k) => k.status).sort();
    assert.deepEqual(statuses, ['active', 'expiring']);

    const again = await server().roster.accounts.rotateApiKey(accountId, rotated.summary.id, { graceSeconds: 0 });
    assert.deepEqual(await server().roster.accounts.authenticateApiKey(rotated.key, null), { ok: false, reason: 'expired' });
    assert.equal((await server().roster.accounts.authenticateApiKey(again.key, null)).ok, true);
  });

  it('revocation takes effect immediately and cannot be repeated', async () => {
    const { accountId, apiKey } = await server().createAccount();
    const [key] = await server().roster.accounts.listApiKeys(accountId);
    assert.ok(key);
    await server().roster.accounts.revokeApiKey(accountId, key.id);
    assert.deepEqual(await server().roster.accounts.authenticateApiKey(apiKey, null), { ok: false, reason: 'revoked' });
    await assert.rejects(server().roster.accounts.revokeApiKey(accountId, key.id), /No unrevoked API key/);
  });

  it('one account cannot rotate or revoke another account\'s key', async () => {
    const a = await server().createAccount();
    const b = await server().createAccount();
    const [keyOfA] = await server().roster.accounts.listApiKeys(a.accountId);
    assert.ok(keyOfA);
    await assert.rejects(server().roster.accounts.revokeApiKey(b.accountId, keyOfA.id), /No unrevoked API key/);
    await assert.rejects(server().roster.accounts.rotateApiKey(b.accountId, keyOfA.id, { graceSeconds: 0 }), /No active API key/);
    assert.equal((await server().roster.accounts.authenticateApiKey(a.apiKey, null)).ok, true);
  });

  it('allows at most two usable keys per account', async () => {
    const { accountId } = await server().createAccount();
    await server().roster.accounts.createApiKey(accountId, { name: 'second' });
    await assert.rejects(server().roster.accounts.createApiKey(accountId, { name: 'third' }), /at most 2 active API keys/);
  });

  it('records when a key was last used', async () => {
    const { accountId, apiKey } = await server().createAccount();
    await server().roster.accounts.authenticateApiKey(apiKey, '127.0.0.9');
    const [key] = await server().roster.accounts.listApiKeys(accountId);
    assert.ok(key?.lastUsedAt, 'lastUsedAt is set');
  });
});
