import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { sql } from 'kysely';
import { buildRosterServer } from '../../src/app.js';
import { request } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';
import { addMember, newAdminTenant, signIn, signInRequest } from './console-client.js';

describeEachDatabase('Console sign-in and sessions', (server) => {
  it('the owner signs in with email and password and gets an HttpOnly, SameSite=Strict, Secure cookie', async () => {
    const { owner } = await server().createAccount({ ownerEmail: `o.${randomUUID().slice(0, 6)}@example.com` });
    assert.ok(owner);
    const response = await signInRequest(server(), owner.email.toUpperCase(), owner.password);
    assert.equal(response.status, 200);
    const cookie = response.headers.get('set-cookie') ?? '';
    assert.match(cookie, /roster_session=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Secure/, 'PUBLIC_URL is https, so the cookie is Secure');
    assert.equal(response.body.user.email, owner.email);
    assert.equal(response.body.user.role, 'owner');
    assert.equal(typeof response.body.csrfToken, 'string');
  });

  it('GET /session answers 401 without a cookie and with a made-up one', async () => {
    assert.equal((await request(server().url, 'GET', '/api/v1/session')).status, 401);
    const forged = await request(server().url, 'GET', '/api/v1/session', { headers: { cookie: `roster_session=${'A'.repeat(43)}` } });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, 'unauthorized');
  });

  it('a wrong password and an unknown email get the same 401 message', async () => {
    const tenant = await newAdminTenant(server());
    const wrong = await signInRequest(server(), tenant.owner.email, 'not-the-password');
    const unknown = await signInRequest(server(), `nobody.${randomUUID()}@example.com`, 'whatever');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.error.message, unknown.body.error.message);
    assert.equal(wrong.headers.get('set-cookie'), null);
  });

  it('stores only a hash of the session token', async () => {
    const tenant = await newAdminTenant(server());
    const token = tenant.console.cookie.split('=')[1] ?? '';
    const rows = await sql<Record<string, unknown>>`select * from console_sessions`.execute(server().roster.database.db);
    assert.ok(rows.rows.length > 0);
    assert.ok(!JSON.stringify(rows.rows).includes(token));
  });

  it('sign-out ends the session on the server: the old cookie is refused afterwards', async () => {
    const tenant = await newAdminTenant(server());
    assert.equal((await tenant.console.get('/session')).status, 200);
    const out = await tenant.console.delete('/session');
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /roster_session=;/);
    assert.equal((await tenant.console.get('/session')).status, 401);
    assert.equal((await tenant.console.get('/members')).status, 401);
  });

  it('writes need the session\'s CSRF token: none or a wrong one → 403 and nothing changes', async () => {
    const tenant = await newAdminTenant(server());
    const body = JSON.stringify({ email: 'csrf@example.com', givenName: 'C', familyName: 'Srf', role: 'no_access' });
    for (const headers of [{}, { 'x-csrf-token': 'wrong' }] as Record<string, string>[]) {
      const response = await request(server().url, 'POST', '/api/v1/members', { rawBody: body, headers: { cookie: tenant.console.cookie, 'content-type': 'application/json', ...headers } });
      assert.equal(response.status, 403);
      assert.equal(response.body.error.code, 'csrf');
    }
    const list = await tenant.console.get('/members?q=csrf%40example.com');
    assert.equal(list.body.total, 0);
  });

  it('sign-in accepts only JSON bodies (a cross-site form cannot post one)', async () => {
    const tenant = await newAdminTenant(server());
    const response = await request(server().url, 'POST', '/api/v1/session', { rawBody: JSON.stringify({ email: tenant.owner.email, password: tenant.owner.password }), headers: { 'content-type': 'text/plain' } });
    assert.equal(response.status, 415);
    assert.equal(response.headers.get('set-cookie'), null);
  });

  it('throttles password guessing: after 5 failures even the right password is refused with 429', async () => {
    const tenant = await newAdminTenant(server());
    for (let i = 0; i < 5; i += 1) assert.equal((await signInRequest(server(), tenant.owner.email, `guess-${i}`)).status, 401);
    const blocked = await signInRequest(server(), tenant.owner.email, tenant.owner.password);
    assert.equal(blocked.status, 429);
    assert.match(blocked.body.error.message, /Too many failed sign-in attempts/);
    assert.equal((await tenant.console.get('/session')).status, 200, 'existing sessions keep working');
  });

  it('members without the owner or admin role cannot sign in', async () => {
    const tenant = await newAdminTenant(server());
    const member = await addMember(tenant.console, { role: 'events_creator' });
    const response = await signInRequest(server(), member.userName, 'anything');
    assert.equal(response.status, 401);
  });

  it('an admin added in the console gets a one-time password, signs in, and loses access when deactivated', async () => {
    const tenant = await newAdminTenant(server());
    const email = `admin.${randomUUID().slice(0, 6)}@example.com`;
    const added = await tenant.console.post('/members', { email, givenName: 'Ada', familyName: 'Admin', role: 'admin' });
    assert.equal(added.status, 201);
    assert.equal(typeof added.body.initialPassword, 'string');
    const admin = await signIn(server(), email, added.body.initialPassword);
    assert.equal((await admin.get('/members')).status, 200);
    const member = await tenant.console.get(`/members/${added.body.member.id}`);
    assert.equal(member.body.status, 'active', 'the first sign-in turns an invited admin active');
    assert.equal((await tenant.console.post(`/members/${added.body.member.id}/deactivate`)).status, 200);
    assert.equal((await admin.get('/members')).status, 401);
    assert.equal((await signInRequest(server(), email, added.body.initialPassword)).status, 401);
  });

  it('an admin demoted to another role loses their session at once', async () => {
    const tenant = await newAdminTenant(server());
    const email = `demote.${randomUUID().slice(0, 6)}@example.com`;
    const added = await tenant.console.post('/members', { email, givenName: 'Dee', familyName: 'Mote', role: 'admin' });
    const admin = await signIn(server(), email, added.body.initialPassword);
    assert.equal((await tenant.console.patch(`/members/${added.body.member.id}`, { role: 'no_access' })).status, 200);
    assert.equal((await admin.get('/session')).status, 401);
  });

  it('the cookie is Secure only over HTTPS when PUBLIC_URL is plain http (a proxy says so with X-Forwarded-Proto)', async () => {
    const tenant = await newAdminTenant(server());
    const app = await buildRosterServer(server().roster, { publicUrl: 'http://127.0.0.1:8080', bodyLimitBytes: 1_048_576, logLevel: false });
    try {
      const signInOver = (headers: Record<string, string>) =>
        app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/json', ...headers }, payload: { email: tenant.owner.email, password: tenant.owner.password } });
      const plain = await signInOver({});
      assert.equal(plain.statusCode, 200);
      assert.doesNotMatch(String(plain.headers['set-cookie']), /Secure/);
      assert.match(String(plain.headers['set-cookie']), /HttpOnly/);
      const proxied = await signInOver({ 'x-forwarded-proto': 'https' });
      assert.match(String(proxied.headers['set-cookie']), /Secure/);
    } finally {
      await app.close();
    }
  });
});
