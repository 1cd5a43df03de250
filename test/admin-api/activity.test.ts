import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/test-server.js';
import { GROUP_SCHEMA, newAdminTenant, pushUser, USER_SCHEMA } from './console-client.js';

describeEachDatabase('Console API: provisioning activity', (server) => {
  it('lists SCIM writes newest first with IdP, target, outcome, status, detail and the diff', async () => {
    const tenant = await newAdminTenant(server());
    const id = await pushUser(tenant.scim, 'ivy@example.com');
    await tenant.scim.patch(`/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'name.givenName', value: 'Ivy' }] });
    const bad = await tenant.scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'ivy@example.com' });
    assert.equal(bad.status, 409);

    const response = await tenant.console.get('/activity');
    assert.equal(response.status, 200);
    const [rejected, updated, created] = response.body.items;
    assert.equal(created.action, 'user.created');
    assert.equal(created.idp, 'Okta');
    assert.equal(created.target, 'ivy@example.com');
    assert.equal(created.httpStatus, 201);
    assert.equal(updated.action, 'user.updated');
    assert.deepEqual(updated.changes.find((c: { field: string }) => c.field === 'name.givenName'), { field: 'name.givenName', from: 'Sam', to: 'Ivy' });
    assert.equal(rejected.outcome, 'failure');
    assert.equal(rejected.httpStatus, 409);
    assert.equal(rejected.scimType, 'uniqueness');
    assert.match(rejected.detail, /already exists/);
  });

  it('filters by outcome, action and date, and pages with a cursor', async () => {
    const tenant = await newAdminTenant(server());
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await pushUser(tenant.scim));
    await tenant.scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ushers', members: ids.map((value) => ({ value })) });
    await tenant.scim.post('/Users', { schemas: [USER_SCHEMA] });

    assert.equal((await tenant.console.get('/activity?outcome=failure')).body.items.length, 1);
    assert.equal((await tenant.console.get('/activity?action=user.created')).body.items.length, 5);
    assert.equal((await tenant.console.get('/activity?action=group.created')).body.items[0].target, 'Ushers');
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await tenant.console.get(`/activity?from=${today}&to=${today}`)).body.items.length, 8, '5 creates, group created + members added, 1 rejection');
    assert.equal((await tenant.console.get('/activity?from=2001-01-01&to=2001-01-31')).body.items.length, 0);
    assert.equal((await tenant.console.get('/activity?from=2001-02-01&to=2001-01-01')).status, 400);
    assert.equal((await tenant.console.get('/activity?from=yesterday')).status, 400);

    const first = await tenant.console.get('/activity?limit=3');
    assert.equal(first.body.items.length, 3);
    const second = await tenant.console.get(`/activity?limit=3&before=${first.body.nextCursor}`);
    const third = await tenant.console.get(`/activity?limit=3&before=${second.body.nextCursor}`);
    assert.equal(third.body.items.length, 2);
    assert.equal(third.body.nextCursor, null);
    const seen = [...first.body.items, ...second.body.items, ...third.body.items].map((e: { id: number }) => e.id);
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first, no overlap');
    assert.equal(new Set(seen).size, 8);
  });

  it('exports CSV with a header, RFC 4180 quoting and spreadsheet formulas neutralised', async () => {
    const tenant = await newAdminTenant(server());
    await pushUser(tenant.scim, '=HYPERLINK("http://evil")@example.com');
    await pushUser(tenant.scim, 'plain@example.com');
    const csv = await tenant.console.get('/activity/export.csv?action=user.created');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(csv.headers.get('content-disposition') ?? '', /^attachment; filename="roster-provisioning-activity-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0], 'time,idp,actor,action,resource_type,target,outcome,http_status,scim_type,detail,changes,method,path');
    assert.equal(lines.length, 3);
    assert.ok(lines[1]?.includes(',plain@example.com,success,201,'));
    assert.ok(lines[2]?.includes(`"'=HYPERLINK(""http://evil"")@example.com"`), lines[2]);
  });

  it('counts requests per day by outcome for the last 30 days, zeros included', async () => {
    const tenant = await newAdminTenant(server());
    await pushUser(tenant.scim);
    await tenant.scim.post('/Users', { schemas: [USER_SCHEMA] });
    // Two entries from a week ago and one older than the window.
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const base = { account_id: tenant.accountId, actor: 'key:test', resource_type: 'User', action: 'user.updated', http_status: 200 } as const;
    await server().roster.database.db
      .insertInto('provisioning_events')
      .values([
        { ...base, occurred_at: weekAgo, outcome: 'failure' },
        { ...base, occurred_at: weekAgo, outcome: 'failure' },
        { ...base, occurred_at: old, outcome: 'success' },
      ])
      .execute();
    const response = await tenant.console.get('/activity/daily?days=30');
    const days = response.body.days as { day: string; success: number; failure: number }[];
    assert.equal(days.length, 30);
    assert.equal(days[29]?.day, new Date().toISOString().slice(0, 10));
    assert.deepEqual(days[29], { day: days[29]?.day, success: 1, failure: 1 });
    assert.deepEqual(days.find((d) => d.day === weekAgo.slice(0, 10)), { day: weekAgo.slice(0, 10), success: 0, failure: 2 });
    assert.equal(days.reduce((n, d) => n + d.success + d.failure, 0), 4);
    const count = await sql<{ n: number }>`select count(*) as n from provisioning_events where account_id = ${tenant.accountId}`.execute(server().roster.database.db);
    assert.equal(Number(count.rows[0]?.n), 5);
  });
});
