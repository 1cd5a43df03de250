import assert from 'node:assert/strict';
import { it } from 'node:test';
import { scimClient } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';
import { newTenant, startCountingServer } from './groups-fixtures.js';

/** The product's rules on SCIM users: seats, phones, linking, deletion, the activity log. */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const deactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] };
const reactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] };

describeEachDatabase('SCIM users: product rules', (server) => {
  async function account(seats: number, options: { ownerEmail?: string; name?: string } = {}) {
    const created = await server().createAccount({ seats, ...options });
    return { ...created, scim: scimClient(server().url, created.apiKey) };
  }

  async function events(accountId: string) {
    return server().roster.database.db.selectFrom('provisioning_events').selectAll().where('account_id', '=', accountId).orderBy('seq').execute();
  }

  it('refuses a create past the seat limit with 403 userLimitReached naming plan, account and numbers', async () => {
    const { scim } = await account(2, { name: 'Acme' });
    assert.equal((await scim.post('/Users', { schemas: [USER], userName: 'a@x.com' })).status, 201);
    assert.equal((await scim.post('/Users', { schemas: [USER], userName: 'b@x.com' })).status, 201);
    const refused = await scim.post('/Users', { schemas: [USER], userName: 'c@x.com' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.scimType, 'userLimitReached');
    assert.equal(refused.body.detail, 'Seat limit reached: the Enterprise plan of Acme allows 2 account users and 2 are in use. Deactivate a user or raise the limit.');
    assert.equal((await scim.get('/Users')).body.totalResults, 2, 'nothing was written');
  });

  it('a deactivated member frees its seat; reactivation past the limit is refused and changes nothing', async () => {
    const { scim, accountId } = await account(1, { name: 'Full' });
    const first = await scim.post('/Users', { schemas: [USER], userName: 'first@x.com' });
    await scim.patch(`/Users/${first.body.id}`, deactivate);
    const second = await scim.post('/Users', { schemas: [USER], userName: 'second@x.com' });
    assert.equal(second.status, 201, 'the freed seat is reused');
    const refused = await scim.patch(`/Users/${first.body.id}`, reactivate);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.scimType, 'userLimitReached');
    assert.equal(refused.body.detail, 'Seat limit reached: the Enterprise plan of Full allows 1 account users and 1 are in use. Deactivate a user or raise the limit.');
    assert.equal((await scim.get(`/Users/${first.body.id}`)).body.active, false);
    assert.ok(!(await events(accountId)).some((e) => e.action === 'user.reactivated'), 'no reactivation was logged');
  });

  it('a user created inactive takes no seat', async () => {
    const { scim } = await account(1);
    await scim.post('/Users', { schemas: [USER], userName: 'active@x.com' });
    const inactive = await scim.post('/Users', { schemas: [USER], userName: 'inactive@x.com', active: false });
    assert.equal(inactive.status, 201);
    assert.equal(inactive.body.active, false);
  });

  it('the owner created with the account counts as a seat', async () => {
    const { scim } = await account(1, { ownerEmail: 'owner@x.com' });
    assert.equal((await scim.post('/Users', { schemas: [USER], userName: 'a@x.com' })).status, 403);
  });

  it('accepts phone numbers as "<country_prefix> <telephone_number>" and stores them as sent', async () => {
    const { scim } = await account(5);
    const created = await scim.post('/Users', { schemas: [USER], userName: 'phone@x.com', phoneNumbers: [{ value: '+41 441234567', type: 'work', primary: true }] });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.phoneNumbers, [{ value: '+41 441234567', type: 'work', primary: true }]);
  });

  it('refuses other phone shapes with 400 invalidValue quoting the format and an example, writing nothing', async () => {
    const { scim } = await account(5);
    for (const value of ['555-415-1337', '+41 44 123 45 67', '0041 441234567', '+999 1234567', '+41 12']) {
      const response = await scim.post('/Users', { schemas: [USER], userName: `bad${value.replace(/\D/g, '')}@x.com`, phoneNumbers: [{ value, type: 'mobile' }] });
      assert.equal(response.status, 400, value);
      assert.equal(response.body.scimType, 'invalidValue');
      assert.match(response.body.detail, /<country_prefix> <telephone_number>/);
      assert.match(response.body.detail, /\+41 441234567/);
    }
    assert.equal((await scim.get('/Users')).body.totalResults, 0);
  });

  it('an account in lenient phone mode stores any phone number as sent', async () => {
    const { scim, accountId } = await account(5);
    await server().roster.accounts.updateAccountSettings(accountId, { phoneValidation: 'lenient' });
    const created = await scim.post('/Users', { schemas: [USER], userName: 'lenient@x.com', phoneNumbers: [{ value: '555-555-5555', type: 'work' }] });
    assert.equal(created.status, 201);
    assert.equal(created.body.phoneNumbers[0].value, '555-555-5555');
  });

  it('a PATCH with a bad phone number among good operations applies none of them', async () => {
    const { scim } = await account(5);
    const created = await scim.post('/Users', { schemas: [USER], userName: 'atomic@x.com', title: 'Host' });
    const response = await scim.patch(`/Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'title', value: 'Chef' },
        { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '079 123 45 67' },
      ],
    });
    assert.equal(response.status, 400);
    const after = await scim.get(`/Users/${created.body.id}`);
    assert.equal(after.body.title, 'Host');
    assert.equal(after.body.meta.version, created.body.meta.version);
  });

  it('DELETE removes the user for good: 404 afterwards, userName and seat free again', async () => {
    const { scim } = await account(1);
    const created = await scim.post('/Users', { schemas: [USER], userName: 'gone@x.com' });
    assert.equal((await scim.delete(`/Users/${created.body.id}`)).status, 204);
    assert.equal((await scim.get(`/Users/${created.body.id}`)).status, 404);
    assert.equal((await scim.delete(`/Users/${created.body.id}`)).status, 404);
    assert.equal((await scim.post('/Users', { schemas: [USER], userName: 'GONE@x.com' })).status, 201);
  });

  it('a manual member is found by the userName filter and the first SCIM write links it', async () => {
    const { scim, accountId } = await account(5, { ownerEmail: 'manual.owner@x.com' });
    const found = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "Manual.Owner@x.com"')}`);
    assert.equal(found.body.totalResults, 1);
    const id = found.body.Resources[0].id as string;
    const put = await scim.put(`/Users/${id}`, { schemas: [USER], userName: 'manual.owner@x.com', name: { givenName: 'Olive', familyName: 'Owner' }, active: true });
    assert.equal(put.status, 200);
    const row = await server().roster.database.db.selectFrom('members').select(['source', 'role']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.source, 'scim');
    assert.equal(row.role, 'owner', 'linking keeps the role');
    assert.ok((await events(accountId)).some((e) => e.action === 'user.linked' && e.resource_id === id));
  });

  it('the account owner cannot be deactivated or deleted by the IdP (400 mutability)', async () => {
    const { scim } = await account(5, { ownerEmail: 'boss@x.com' });
    const owner = (await scim.get(`/Users?filter=${encodeURIComponent('userName eq "boss@x.com"')}`)).body.Resources[0];
    const refused = await scim.patch(`/Users/${owner.id}`, deactivate);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.scimType, 'mutability');
    assert.equal((await scim.delete(`/Users/${owner.id}`)).status, 400);
    assert.equal((await scim.get(`/Users/${owner.id}`)).body.active, true);
  });

  it('logs every write and every refusal in the activity log, with the IdP, a field diff and masked phones', async () => {
    const { accountId, apiKey } = await account(1);
    const scim = scimClient(server().url, apiKey, { 'user-agent': 'Okta SCIM Client 1.0.0' });
    const created = await scim.post('/Users', { schemas: [USER], userName: 'log@x.com', phoneNumbers: [{ value: '+41 441234567', type: 'work' }] });
    await scim.patch(`/Users/${created.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Chef' }] });
    await scim.patch(`/Users/${created.body.id}`, deactivate);
    await scim.patch(`/Users/${created.body.id}`, reactivate);
    await scim.post('/Users', { schemas: [USER], userName: 'log@x.com' });
    const log = await events(accountId);
    assert.deepEqual(
      log.map((e) => [e.action, e.outcome, e.http_status]),
      [
        ['user.created', 'success', 201],
        ['user.updated', 'success', 200],
        ['user.deactivated', 'success', 200],
        ['user.reactivated', 'success', 200],
        ['user.rejected', 'failure', 409],
      ],
    );
    assert.ok(log.every((e) => e.idp === 'Okta'));
    const dump = JSON.stringify(log);
    assert.ok(!dump.includes('441234567'), 'phone numbers are masked');
    assert.ok(!dump.includes(apiKey), 'the key never appears');
    const titleChange = JSON.parse(log[1]?.changes ?? '[]');
    assert.deepEqual(titleChange, [{ field: 'title', to: 'Chef' }]);
    assert.equal(log[4]?.scim_type, 'uniqueness');
  });

  it('the account\'s seat and member counters stay exact through creates, deactivations, reactivations and deletes', async () => {
    const { scim, accountId } = await account(20, { ownerEmail: 'counter.owner@x.com' });
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) ids.push((await scim.post('/Users', { schemas: [USER], userName: `c${i}@x.com`, active: i % 3 !== 0 })).body.id);
    await scim.patch(`/Users/${ids[1]}`, deactivate);
    await scim.patch(`/Users/${ids[0]}`, reactivate);
    await scim.put(`/Users/${ids[2]}`, { schemas: [USER], userName: 'c2@x.com', active: false });
    await scim.delete(`/Users/${ids[4]}`);
    await scim.delete(`/Users/${ids[3]}`);
    const db = server().roster.database.db;
    const counters = await db.selectFrom('accounts').select(['seats_used', 'member_count']).where('id', '=', accountId).executeTakeFirstOrThrow();
    const members = await db.selectFrom('members').select('status').where('account_id', '=', accountId).execute();
    assert.equal(Number(counters.member_count), members.length);
    assert.equal(Number(counters.seats_used), members.filter((m) => m.status !== 'deactivated').length);
    assert.equal((await scim.get('/Users?count=2')).body.totalResults, members.length);
  });

  it('pages in descending order walk every user once, newest first', async () => {
    const { scim } = await account(20);
    for (let i = 0; i < 7; i += 1) await scim.post('/Users', { schemas: [USER], userName: `d${i}@x.com` });
    const seen: string[] = [];
    for (let startIndex = 1; startIndex <= 7; startIndex += 3) {
      const page = await scim.get(`/Users?sortOrder=descending&startIndex=${startIndex}&count=3`);
      assert.equal(page.body.totalResults, 7);
      seen.push(...page.body.Resources.map((u: { userName: string }) => u.userName));
    }
    assert.deepEqual(seen, ['d6@x.com', 'd5@x.com', 'd4@x.com', 'd3@x.com', 'd2@x.com', 'd1@x.com', 'd0@x.com']);
    assert.deepEqual((await scim.get('/Users?startIndex=8&count=3')).body.Resources, []);
  });

  it('a PATCH that changes nothing writes nothing: same version, same lastModified, no log entry', async () => {
    const { scim, accountId } = await account(5);
    const created = await scim.post('/Users', { schemas: [USER], userName: 'noop@x.com', title: 'Chef' });
    const before = (await events(accountId)).length;
    const noop = await scim.patch(`/Users/${created.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Chef' }] });
    assert.equal(noop.status, 200);
    assert.equal(noop.body.meta.version, created.body.meta.version);
    assert.equal(noop.body.meta.lastModified, created.body.meta.lastModified);
    const empty = await scim.patch(`/Users/${created.body.id}`, { schemas: [PATCH_OP], Operations: [] });
    assert.equal(empty.status, 200);
    assert.equal((await events(accountId)).length, before);
  });

  it('on PostgreSQL a create is one statement, and an update one read and one statement, each writing the member with its activity entry', async (t) => {
    if (server().dialect !== 'postgres') return t.skip('SQLite writes cost no round trips: two statements in one transaction');
    const counting = await startCountingServer(server());
    t.after(() => counting.close());
    const tenant = await newTenant(server());
    const client = counting.clientOf(tenant);
    const writes = (statements: string[]) => statements.filter((s) => /"kind":"(Insert|Update|Delete)QueryNode"/.test(s));
    let id = '';
    const create = await counting.record(async () => {
      const emails = [{ value: 'One-Statement@x.com', type: 'work', primary: true }, { value: 'home@x.com', type: 'home' }];
      const response = await client.post('/Users', { schemas: [USER], userName: 'one-statement@x.com', emails });
      assert.equal(response.status, 201);
      id = response.body.id;
    });
    assert.equal(create.length, 1, 'no read for a duplicate or a free seat first: the unique index and the commit decide');
    assert.ok(['members', 'member_emails', 'provisioning_events'].every((table) => create[0]?.includes(`"${table}"`)), 'the member, its emails and its entry');
    for (const email of ['one-statement@x.com', 'HOME@x.com']) {
      const found = await client.get(`/Users?filter=${encodeURIComponent(`emails.value eq "${email}"`)}`);
      assert.deepEqual(found.body.Resources.map((user: { id: string }) => user.id), [id], `${email} is found by its email row`);
    }
    for (const active of [false, true]) {
      const update = await counting.record(async () => {
        const response = await client.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active } }] });
        assert.equal(response.status, 200);
        assert.deepEqual(response.body.groups ?? [], []);
      });
      assert.equal(writes(update).length, 1, 'the member and its entry');
      // No row lock, no seat read for the reactivation, no read of the teams after the write.
      assert.equal(update.length, 2, 'one read of the member with its teams, then the write');
    }
    const logged = (await events(tenant.accountId)).map((e) => e.action);
    assert.deepEqual(logged.slice(-3), ['user.created', 'user.deactivated', 'user.reactivated']);
  });
});
