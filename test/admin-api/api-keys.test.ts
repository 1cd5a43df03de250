import assert from 'node:assert/strict';
import { it } from 'node:test';
import { scimClient } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';
import { newAdminTenant } from './console-client.js';

describeEachDatabase('Console API: API access', (server) => {
  it('shows the SCIM base URL from PUBLIC_URL', async () => {
    const tenant = await newAdminTenant(server());
    const account = await tenant.console.get('/account');
    assert.equal(account.body.scimBaseUrl, 'https://roster.test/scim/v2');
    assert.equal(account.body.account.scimEnabled, true);
  });

  it('generates a key shown once: the list has prefix and last 4, never the secret', async () => {
    const tenant = await newAdminTenant(server());
    const created = await tenant.console.post('/api-keys', { name: 'Okta production' });
    assert.equal(created.status, 201);
    const secret: string = created.body.secret;
    assert.match(secret, /^rk_[0-9A-F]{8}_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.body.key.prefix, secret.slice(0, 11));
    assert.equal(created.body.key.last4, secret.slice(-4));
    assert.equal(created.body.key.createdBy.id, tenant.console.memberId);
    const list = await tenant.console.get('/api-keys');
    assert.ok(!list.text.includes(secret.slice(12)), 'the secret is never listed');
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.key.id);
    assert.equal(listed.name, 'Okta production');
    assert.equal(listed.status, 'active');
    assert.equal(listed.lastUsedAt, null);
    assert.equal((await scimClient(server().url, secret).get('/Users?startIndex=1&count=2')).status, 200);
    assert.ok((await tenant.console.get('/api-keys')).body.items.find((k: { id: string }) => k.id === created.body.key.id).lastUsedAt, 'last used is recorded');
  });

  it('refuses a third usable key with 409', async () => {
    const tenant = await newAdminTenant(server());
    assert.equal((await tenant.console.post('/api-keys', {})).status, 201);
    const third = await tenant.console.post('/api-keys', {});
    assert.equal(third.status, 409);
    assert.match(third.body.error.message, /at most 2 active API keys/);
  });

  it('rotation with a grace period keeps the old key working; grace 0 stops it at once', async () => {
    const tenant = await newAdminTenant(server());
    const [original] = (await tenant.console.get('/api-keys')).body.items;
    const rotated = await tenant.console.post(`/api-keys/${original.id}/rotate`, { graceSeconds: 3600 });
    assert.equal(rotated.status, 201);
    assert.equal((await tenant.scim.get('/Users')).status, 200, 'old key in its grace period');
    assert.equal((await scimClient(server().url, rotated.body.secret).get('/Users')).status, 200);
    const statuses = (await tenant.console.get('/api-keys')).body.items.map((k: { status: string }) => k.status).sort();
    assert.deepEqual(statuses, ['active', 'expiring']);

    const again = await tenant.console.post(`/api-keys/${rotated.body.key.id}/rotate`, { graceSeconds: 0 });
    assert.equal(again.status, 201);
    assert.equal((await scimClient(server().url, rotated.body.secret).get('/Users')).status, 401);
    assert.equal((await tenant.console.post(`/api-keys/${original.id}/rotate`, { graceSeconds: -1 })).status, 400);
  });

  it('revoking a key makes SCIM answer 401 at once; revoking twice is 404', async () => {
    const tenant = await newAdminTenant(server());
    const [key] = (await tenant.console.get('/api-keys')).body.items;
    assert.equal((await tenant.scim.get('/Users')).status, 200);
    assert.equal((await tenant.console.delete(`/api-keys/${key.id}`)).status, 204);
    const refused = await tenant.scim.get('/Users');
    assert.equal(refused.status, 401);
    assert.match(refused.body.detail, /revoked/);
    assert.equal((await tenant.console.delete(`/api-keys/${key.id}`)).status, 404);
    assert.equal((await tenant.console.get('/api-keys')).body.items[0].status, 'revoked');
  });

  it('Test connection sends Okta\'s request and reports success, then the 401 of a revoked key; both are logged', async () => {
    const tenant = await newAdminTenant(server());
    const ok = await tenant.console.post('/connection-tests', { apiKey: tenant.apiKey });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.ok, true);
    assert.equal(ok.body.httpStatus, 200);
    assert.equal(ok.body.totalResults, 1);
    assert.equal(ok.body.request.url, 'https://roster.test/scim/v2/Users?startIndex=1&count=2');
    assert.ok(!ok.text.includes(tenant.apiKey), 'the key is not echoed');

    const [key] = (await tenant.console.get('/api-keys')).body.items;
    await tenant.console.delete(`/api-keys/${key.id}`);
    const failed = await tenant.console.post('/connection-tests', { apiKey: tenant.apiKey });
    assert.equal(failed.body.ok, false);
    assert.equal(failed.body.httpStatus, 401);
    assert.match(failed.body.detail, /revoked/);

    const garbage = await tenant.console.post('/connection-tests', { apiKey: 'not a key' });
    assert.equal(garbage.body.httpStatus, 401);

    const activity = await tenant.console.get('/activity?action=credentials.tested');
    assert.deepEqual(activity.body.items.map((e: { outcome: string; httpStatus: number }) => [e.outcome, e.httpStatus]), [['failure', 401], ['failure', 401], ['success', 200]]);
    assert.equal(activity.body.items[2].target, `${tenant.apiKey.slice(0, 11)}…${tenant.apiKey.slice(-4)}`);
  });

  it('on a non-Enterprise plan the overview says SCIM is off and a test shows the 403', async () => {
    const tenant = await newAdminTenant(server(), { plan: 'professional' });
    const account = await tenant.console.get('/account');
    assert.equal(account.body.account.scimEnabled, false);
    assert.equal(account.body.account.planLabel, 'Professional');
    const test = await tenant.console.post('/connection-tests', { apiKey: tenant.apiKey });
    assert.equal(test.body.httpStatus, 403);
    assert.match(test.body.detail, /Enterprise plan only/);
  });
});
