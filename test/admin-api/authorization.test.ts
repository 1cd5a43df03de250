/**
 * The console API's authorisation rules: every operation but sign-in and the OpenAPI document
 * needs a session, and an admin of one account can never read or change another's data.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { request } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';
import { addMember, GROUP_SCHEMA, newAdminTenant, pushUser } from './console-client.js';

const PUBLIC = new Set(['POST /session', 'GET /openapi.json']);

describeEachDatabase('Console API authorisation', (server) => {
  it('every operation in the OpenAPI document answers 401 without a session', async () => {
    const document = await request(server().url, 'GET', '/api/v1/openapi.json');
    assert.equal(document.status, 200);
    const operations = Object.entries(document.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => [method.toUpperCase(), path.replace(/\{[^}]+\}/g, randomUUID())] as const),
    );
    assert.ok(operations.length >= 18, `only ${operations.length} operations documented`);
    for (const [method, path] of operations) {
      if (PUBLIC.has(`${method} ${path}`)) continue;
      const response = await request(server().url, method, `/api/v1${path}`, method === 'GET' || method === 'DELETE' ? {} : { body: {}, headers: { 'content-type': 'application/json' } });
      assert.equal(response.status, 401, `${method} ${path} answered ${response.status}`);
      assert.equal(response.body.error.code, 'unauthorized');
    }
  });

  it('an API key is not a console credential', async () => {
    const tenant = await newAdminTenant(server());
    const response = await request(server().url, 'GET', '/api/v1/members', { headers: { authorization: `Bearer ${tenant.apiKey}` } });
    assert.equal(response.status, 401);
  });

  it('lists show only the signed-in account\'s members, teams, keys and activity', async () => {
    const a = await newAdminTenant(server());
    const b = await newAdminTenant(server());
    const bUser = await pushUser(b.scim);
    const bGroup = await b.scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `B team ${randomUUID().slice(0, 6)}`, members: [{ value: bUser }] });
    assert.equal(bGroup.status, 201);
    const bManual = await addMember(b.console);

    const members = await a.console.get('/members?pageSize=100');
    const ids = members.body.items.map((m: { id: string }) => m.id);
    assert.ok(!ids.includes(bUser) && !ids.includes(bManual.id));
    assert.equal(members.body.total, 1, 'only A\'s owner');
    assert.deepEqual((await a.console.get('/teams')).body.items, []);
    const keys = (await a.console.get('/api-keys')).body.items.map((k: { id: string }) => k.id);
    const bKeys = (await b.console.get('/api-keys')).body.items.map((k: { id: string }) => k.id);
    assert.ok(bKeys.every((id: string) => !keys.includes(id)));
    assert.deepEqual((await a.console.get('/activity')).body.items, []);
    assert.equal((await b.console.get('/activity')).body.items.length >= 2, true);
    const csv = await a.console.get('/activity/export.csv');
    assert.equal(csv.text.trim().split('\r\n').length, 1, 'only the header row');
    const daily = await a.console.get('/activity/daily?days=30');
    assert.equal(daily.body.days.reduce((n: number, d: { success: number; failure: number }) => n + d.success + d.failure, 0), 0);
  });

  it('another account\'s member, team and key are 404 to read and to change, and stay unchanged', async () => {
    const a = await newAdminTenant(server());
    const b = await newAdminTenant(server());
    const bManual = await addMember(b.console);
    const bUser = await pushUser(b.scim);
    const bTeam = (await b.scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Private', members: [{ value: bUser }] })).body.id as string;
    const [bKey] = (await b.console.get('/api-keys')).body.items as { id: string }[];
    assert.ok(bKey);

    const attempts = [
      a.console.get(`/members/${bManual.id}`),
      a.console.patch(`/members/${bManual.id}`, { givenName: 'Hijacked' }),
      a.console.patch(`/members/${bUser}`, { role: 'admin' }),
      a.console.post(`/members/${bManual.id}/deactivate`),
      a.console.post(`/members/${bManual.id}/reactivate`),
      a.console.get(`/teams/${bTeam}`),
      a.console.post(`/api-keys/${bKey.id}/rotate`, { graceSeconds: 0 }),
      a.console.delete(`/api-keys/${bKey.id}`),
    ];
    for (const response of await Promise.all(attempts)) {
      assert.equal(response.status, 404, response.text);
      assert.equal(response.body.error.code, 'not_found');
    }
    const after = await b.console.get(`/members/${bManual.id}`);
    assert.equal(after.body.status, 'invited');
    assert.equal(after.body.givenName, 'Mia');
    assert.equal((await b.console.get(`/members/${bUser}`)).body.role, 'no_access');
    assert.equal((await b.scim.get('/Users?startIndex=1&count=1')).status, 200, 'B\'s key still works');
  });

  it('a connection test with another account\'s key is refused without calling SCIM', async () => {
    const a = await newAdminTenant(server());
    const b = await newAdminTenant(server());
    const response = await a.console.post('/connection-tests', { apiKey: b.apiKey });
    assert.equal(response.status, 200);
    assert.equal(response.body.ok, false);
    assert.equal(response.body.httpStatus, null);
    assert.match(response.body.detail, /different Roster account/);
    assert.deepEqual((await b.console.get('/activity')).body.items, [], 'nothing is logged in B');
  });

  it('a session cookie of account A never acts on B even with B\'s ids in the body', async () => {
    const a = await newAdminTenant(server());
    const b = await newAdminTenant(server());
    const created = await a.console.post('/members', { email: `x.${randomUUID().slice(0, 6)}@example.com`, givenName: 'X', familyName: 'Y', role: 'no_access', accountId: b.accountId });
    assert.equal(created.status, 201, 'unknown properties are dropped');
    assert.equal((await a.console.get(`/members/${created.body.member.id}`)).status, 200, 'the member lands in A');
    assert.equal((await b.console.get('/members')).body.total, 1, 'B still has only its owner');
  });
});
