/**
 * The rules of teams behind every IdP flow: name uniqueness, member validation, tenant
 * isolation, projection, paging, filters, the users' `groups`, ETags and the activity log.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/test-server.js';
import {
  countStoredMembers,
  eventsOf,
  GROUP_SCHEMA,
  newTenant,
  patchOp,
  pushGroup,
  pushUsers,
  seedMembers,
  startCountingServer,
  storedMemberIds,
  touchesMemberships,
  type CountingServer,
} from './groups-fixtures.js';

const sorted = (ids: readonly string[]) => [...ids].sort();

describeEachDatabase('Groups: team rules', (server) => {
  let counting: CountingServer;
  before(async () => {
    counting = await startCountingServer(server());
  });
  after(async () => {
    await counting.close();
  });

  /** A team made in the console, not by an IdP: not SCIM-managed until a SCIM write links it. */
  const insertManualTeam = async (accountId: string, id: string, displayName: string) => {
    const now = new Date().toISOString();
    await server()
      .roster.database.db.insertInto('teams')
      .values({ id, account_id: accountId, display_name: displayName, display_name_lower: displayName.toLowerCase(), external_id: null, source: 'manual', version: 1, created_at: now, updated_at: now })
      .execute();
  };

  it('POST with a name taken in any letter case → 409 uniqueness; another account may use it', async () => {
    const tenant = await newTenant(server());
    await pushGroup(tenant, 'Event Staff');
    const duplicate = await tenant.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'EVENT staff' });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.scimType, 'uniqueness');
    assert.match(duplicate.body.detail, /already exists/);
    assert.equal((await tenant.client.get('/Groups')).body.totalResults, 1);
    const other = await newTenant(server());
    assert.equal((await other.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Event Staff' })).status, 201);
  });

  it('renaming onto another team\'s name → 409 by PATCH and by PUT, and nothing of the request is applied', async () => {
    const tenant = await newTenant(server());
    const [a] = await pushUsers(tenant, 1);
    await pushGroup(tenant, 'Taken');
    const id = await pushGroup(tenant, 'Mine');
    const patch = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a }] }, { op: 'replace', path: 'displayName', value: 'taken' }));
    assert.equal(patch.status, 409);
    assert.equal(patch.body.scimType, 'uniqueness');
    const put = await tenant.client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'TAKEN', members: [{ value: a }] });
    assert.equal(put.status, 409);
    const group = (await tenant.client.get(`/Groups/${id}`)).body;
    assert.equal(group.displayName, 'Mine');
    assert.deepEqual(await storedMemberIds(server(), id), [], 'the member add in the refused request was rolled back');
    const renamedCase = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'MINE' }));
    assert.equal(renamedCase.status, 204, 'a team may change the letter case of its own name');
  });

  it('a displayName or externalId over 2,000 UTF-8 bytes → 400 invalidValue on POST, PATCH and PUT (not a database error)', async () => {
    const tenant = await newTenant(server());
    const astral = Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x20000 + i)).join('');
    const post = await tenant.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: astral });
    assert.equal(post.status, 400);
    assert.equal(post.body.scimType, 'invalidValue');
    assert.match(post.body.detail, /"displayName" is too long/);
    const id = await pushGroup(tenant, 'Short');
    const patch = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'externalId', value: astral }));
    assert.equal(patch.status, 400);
    assert.match(patch.body.detail, /"externalId" is too long/);
    const put = await tenant.client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: astral });
    assert.equal(put.status, 400);
    assert.equal((await tenant.client.get(`/Groups/${id}`)).body.displayName, 'Short');
  });

  it('unknown member ids → 400 invalidValue naming them; nothing of the request is applied', async () => {
    const tenant = await newTenant(server());
    const [a, b] = await pushUsers(tenant, 2);
    const created = await tenant.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ghosts', members: [{ value: a }, { value: 'ghost-1' }] });
    assert.equal(created.status, 400);
    assert.equal(created.body.scimType, 'invalidValue');
    assert.match(created.body.detail, /"ghost-1" is not a user of this account/);
    assert.equal((await tenant.client.get('/Groups')).body.totalResults, 0, 'no team was created');

    const id = await pushGroup(tenant, 'Real', [a!]);
    const before = (await tenant.client.get(`/Groups/${id}`)).body;
    const patch = await tenant.client.patch(
      `/Groups/${id}`,
      patchOp({ op: 'replace', path: 'displayName', value: 'Renamed' }, { op: 'add', path: 'members', value: [{ value: b }, { value: 'ghost-1' }, { value: 'ghost-2' }] }),
    );
    assert.equal(patch.status, 400);
    assert.match(patch.body.detail, /"ghost-1", "ghost-2" are not users of this account/);
    const after = (await tenant.client.get(`/Groups/${id}`)).body;
    assert.deepEqual(after, before);
    // Membership only, as Okta and Entra push it: the known user is not added either.
    const add = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: b }, { value: 'ghost-4' }] }));
    assert.equal(add.status, 400);
    assert.equal(add.body.scimType, 'invalidValue');
    assert.match(add.body.detail, /^"ghost-4" is not a user of this account/);
    assert.deepEqual((await tenant.client.get(`/Groups/${id}`)).body, before);
    const put = await tenant.client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'Real', members: [{ value: 'ghost-3' }] });
    assert.equal(put.status, 400);
    assert.deepEqual(await storedMemberIds(server(), id), [a]);
  });

  it('an unknown member id too long for an index → 400 naming it, like any unknown id', async () => {
    const tenant = await newTenant(server());
    const id = await pushGroup(tenant, 'Long ids');
    // 1,024 characters of 4-byte UTF-8: longer than an index entry holds on PostgreSQL.
    const long = Array.from({ length: 1024 }, (_, i) => String.fromCodePoint(0x20000 + i)).join('');
    const add = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: long }] }));
    assert.equal(add.status, 400, add.text);
    assert.equal(add.body.scimType, 'invalidValue');
    assert.match(add.body.detail, /is not a user of this account/);
    assert.deepEqual(await storedMemberIds(server(), id), []);
  });

  it('a user of another account is refused exactly like an unknown id', async () => {
    const tenant = await newTenant(server());
    const other = await newTenant(server());
    const [foreign] = await pushUsers(other, 1);
    const id = await pushGroup(tenant, 'Closed');
    const foreignAdd = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: foreign }] }));
    const unknownAdd = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: 'no-such-user' }] }));
    assert.equal(foreignAdd.status, 400);
    assert.equal(foreignAdd.body.scimType, unknownAdd.body.scimType);
    assert.equal(foreignAdd.body.detail.replace(foreign!, 'ID'), unknownAdd.body.detail.replace('no-such-user', 'ID'));
    assert.deepEqual(await storedMemberIds(server(), id), []);
  });

  it('another account\'s group id behaves as unknown: 404 on GET, PUT, PATCH, DELETE; absent from lists', async () => {
    const tenant = await newTenant(server());
    const other = await newTenant(server());
    const [theirs] = await pushUsers(other, 1);
    const foreign = await pushGroup(other, 'Theirs', [theirs!]);
    const [mine] = await pushUsers(tenant, 1);
    const missing = await tenant.client.get('/Groups/does-not-exist');
    for (const response of [
      await tenant.client.get(`/Groups/${foreign}`),
      await tenant.client.put(`/Groups/${foreign}`, { schemas: [GROUP_SCHEMA], displayName: 'Hijack' }),
      await tenant.client.patch(`/Groups/${foreign}`, patchOp({ op: 'replace', path: 'displayName', value: 'Hijack' })),
      // One-member PATCHes, as Okta and Entra send them (on PostgreSQL, one statement that reads the team itself).
      await tenant.client.patch(`/Groups/${foreign}`, patchOp({ op: 'add', path: 'members', value: [{ value: mine }] })),
      await tenant.client.patch(`/Groups/${foreign}`, patchOp({ op: 'remove', path: `members[value eq "${theirs}"]` })),
      await tenant.client.delete(`/Groups/${foreign}`),
    ]) {
      assert.equal(response.status, 404);
      assert.equal(response.body.detail.replace(foreign, 'ID'), missing.body.detail.replace('does-not-exist', 'ID'));
    }
    assert.equal((await tenant.client.get(`/Groups?filter=id%20eq%20%22${foreign}%22`)).body.totalResults, 0);
    assert.equal((await other.client.get(`/Groups/${foreign}`)).body.displayName, 'Theirs');
    assert.deepEqual(await storedMemberIds(server(), foreign), [theirs]);
    const events = await eventsOf(server(), foreign);
    assert.deepEqual(events.filter((e) => e.account_id === other.accountId).map((e) => e.action), ['group.created', 'group.members_added']);
    assert.ok(events.every((e) => e.account_id === other.accountId || e.action === 'group.rejected'), JSON.stringify(events.map((e) => e.action)));
  });

  it('attributes=displayName returns only id, schemas and displayName; excludedAttributes=members drops members', async () => {
    const tenant = await newTenant(server());
    const users = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Projected', users);
    const only = await tenant.client.get(`/Groups/${id}?attributes=displayName`);
    assert.deepEqual(Object.keys(only.body).sort(), ['displayName', 'id', 'schemas']);
    const excluded = await tenant.client.get(`/Groups?excludedAttributes=members`);
    assert.equal(excluded.body.Resources[0].members, undefined);
    assert.equal(excluded.body.Resources[0].displayName, 'Projected');
    const patched = await tenant.client.patch(`/Groups/${id}?excludedAttributes=members`, patchOp({ op: 'replace', path: 'displayName', value: 'Projected 2' }));
    assert.equal(patched.status, 200, 'a PATCH that names excludedAttributes gets the resource back');
    assert.equal(patched.body.displayName, 'Projected 2');
    assert.equal(patched.body.members, undefined);
  });

  it('a page of teams with members costs the same number of statements for 2 teams as for 6 (no N+1)', async () => {
    const tenant = await newTenant(server());
    const users = await pushUsers(tenant, 2);
    const client = counting.clientOf(tenant);
    const countFor = async () =>
      (
        await counting.record(async () => {
          assert.equal((await client.get('/Groups?count=100')).status, 200);
        })
      ).length;
    for (let i = 0; i < 2; i += 1) await pushGroup(tenant, `Page ${i}`, users);
    const two = await countFor();
    for (let i = 2; i < 6; i += 1) await pushGroup(tenant, `Page ${i}`, users);
    const six = await countFor();
    assert.equal(six, two);
    const listed = await client.get('/Groups');
    assert.ok(listed.body.Resources.every((g: { members: unknown[] }) => g.members.length === 2));
  });

  it('pagination: count=0 gives totalResults only; pages beyond the end are empty', async () => {
    const tenant = await newTenant(server());
    for (let i = 0; i < 3; i += 1) await pushGroup(tenant, `P${i}`);
    const none = await tenant.client.get('/Groups?count=0');
    assert.equal(none.body.totalResults, 3);
    assert.deepEqual(none.body.Resources, []);
    const beyond = await tenant.client.get('/Groups?startIndex=10&count=5');
    assert.equal(beyond.body.totalResults, 3);
    assert.equal(beyond.body.itemsPerPage, 0);
  });

  it('filters: displayName eq (any letter case), externalId eq, id eq, members.value eq, and POST /Groups/.search', async () => {
    const tenant = await newTenant(server());
    const [a, b] = await pushUsers(tenant, 2);
    const red = (await tenant.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Red Team', externalId: 'ext-red', members: [{ value: a }] })).body.id;
    const blue = (await tenant.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Blue Team', externalId: 'ext-blue', members: [{ value: a }, { value: b }] })).body.id;
    const ids = async (filter: string) => (await tenant.client.get(`/Groups?filter=${encodeURIComponent(filter)}`)).body.Resources.map((g: { id: string }) => g.id);
    assert.deepEqual(await ids('displayName eq "red team"'), [red]);
    assert.deepEqual(await ids('externalId eq "ext-blue"'), [blue]);
    assert.deepEqual(await ids(`id eq "${red}"`), [red]);
    assert.deepEqual(await ids(`members.value eq "${a}"`), [red, blue]);
    assert.deepEqual(await ids(`members.value eq "${b}"`), [blue]);
    assert.deepEqual(await ids(`members[value eq "${b}"] and displayName sw "Blue"`), [blue]);
    assert.deepEqual(await ids('displayName co "team" and not (externalId eq "ext-red")'), [blue]);
    const search = await tenant.client.post('/Groups/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'displayName eq "Blue Team"', excludedAttributes: ['members'] });
    assert.equal(search.status, 200);
    assert.equal(search.body.Resources[0].id, blue);
    assert.equal(search.body.Resources[0].members, undefined);
    const sortedDesc = await tenant.client.get('/Groups?sortBy=displayName&sortOrder=descending');
    assert.deepEqual(sortedDesc.body.Resources.map((g: { displayName: string }) => g.displayName), ['Red Team', 'Blue Team']);
  });

  it('a user\'s read-only groups attribute lists its teams with value, display and $ref', async () => {
    const tenant = await newTenant(server());
    const [a] = await pushUsers(tenant, 1);
    const alpha = await pushGroup(tenant, 'Alpha', [a!]);
    const beta = await pushGroup(tenant, 'Beta', [a!]);
    const user = (await tenant.client.get(`/Users/${a}`)).body;
    assert.deepEqual(
      user.groups.map((g: Record<string, string>) => [g['value'], g['display'], g['$ref']]),
      [
        [alpha, 'Alpha', `https://roster.test/scim/v2/Groups/${alpha}`],
        [beta, 'Beta', `https://roster.test/scim/v2/Groups/${beta}`],
      ],
    );
  });

  it('deleting a user removes it from its teams and advances their meta', async () => {
    const tenant = await newTenant(server());
    const [a, b] = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Shrinking', [a!, b!]);
    const before = (await tenant.client.get(`/Groups/${id}`)).body.meta;
    assert.equal((await tenant.client.delete(`/Users/${a}`)).status, 204);
    const after = (await tenant.client.get(`/Groups/${id}`)).body;
    assert.deepEqual(after.members.map((m: { value: string }) => m.value), [b]);
    assert.notEqual(after.meta.version, before.version);
    assert.ok(after.meta.lastModified >= before.lastModified);
  });

  it('a PATCH adding several members advances the version once, and its 204 carries the ETag a GET then shows', async () => {
    const tenant = await newTenant(server());
    const [a, b, c] = await pushUsers(tenant, 3);
    const id = await pushGroup(tenant, 'Three at once');
    const before = (await tenant.client.get(`/Groups/${id}`)).body.meta;
    const added = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a }, { value: b }, { value: c }] }));
    assert.equal(added.status, 204, added.text);
    const after = (await tenant.client.get(`/Groups/${id}`)).body;
    assert.equal(after.members.length, 3);
    assert.equal(before.version, 'W/"1"');
    assert.equal(after.meta.version, 'W/"2"', 'one request, one new version');
    assert.equal(added.headers.get('etag'), after.meta.version);
    assert.ok(after.meta.lastModified >= before.lastModified);
    const removed = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: a }, { value: b }] }));
    assert.equal(removed.headers.get('etag'), 'W/"3"');
    assert.equal((await tenant.client.get(`/Groups/${id}`)).headers.get('etag'), 'W/"3"');
  });

  it('members: display is read-only and ignored, a non-User type or a sub-attribute path is refused', async () => {
    const tenant = await newTenant(server());
    const [a] = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Strict');
    const nested = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a, type: 'Group' }] }));
    assert.equal(nested.status, 400);
    assert.equal(nested.body.scimType, 'invalidValue');
    const postNested = await tenant.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Nested', members: [{ value: a, type: 'Group' }] });
    assert.equal(postNested.status, 400);
    const subPath = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: `members[value eq "${a}"].display`, value: 'x' }));
    assert.equal(subPath.status, 400);
    const withDisplay = await tenant.client.patch(`/Groups/${id}?attributes=members`, patchOp({ op: 'add', path: 'members', value: [{ value: a, display: 'Made Up', type: 'User' }] }));
    assert.equal(withDisplay.status, 200);
    assert.notEqual(withDisplay.body.members[0].display, 'Made Up');
  });

  it('ETags: If-Match with a stale version → 412 and nothing changes; If-None-Match with the current one → 304', async () => {
    const tenant = await newTenant(server());
    const [a] = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Tagged');
    const first = await tenant.client.get(`/Groups/${id}`);
    const etag = first.headers.get('etag') ?? '';
    assert.equal(etag, 'W/"1"');
    assert.equal((await tenant.client.get(`/Groups/${id}`, { headers: { 'if-none-match': etag } })).status, 304);
    const added = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a }] }), { headers: { 'if-match': etag } });
    assert.equal(added.status, 204);
    assert.equal(added.headers.get('etag'), 'W/"2"', 'a membership change moves the ETag');
    const stale = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: a }] }), { headers: { 'if-match': etag } });
    assert.equal(stale.status, 412);
    assert.deepEqual(await storedMemberIds(server(), id), [a]);
    assert.equal((await tenant.client.delete(`/Groups/${id}`, { headers: { 'if-match': etag } })).status, 412);
    assert.equal((await tenant.client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'x' }, { headers: { 'if-match': etag } })).status, 412);
  });

  it('the activity log records each change in the same transaction: created, members added/removed with ids, renamed, deleted with the count', async () => {
    const tenant = await newTenant(server());
    const [a, b] = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Logged', [a!]);
    await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: b }] }, { op: 'remove', path: `members[value eq "${a}"]` }));
    await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'externalId', value: 'ext-9' }));
    await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Logged Renamed' }));
    await tenant.client.delete(`/Groups/${id}`);
    const events = await eventsOf(server(), id);
    assert.deepEqual(
      events.map((e) => [e.action, e.http_status, e.target_label, e.resource_type, e.outcome]),
      [
        ['group.created', 201, 'Logged', 'Group', 'success'],
        ['group.members_added', 201, 'Logged', 'Group', 'success'],
        ['group.members_added', 204, 'Logged', 'Group', 'success'],
        ['group.members_removed', 204, 'Logged', 'Group', 'success'],
        ['group.updated', 204, 'Logged', 'Group', 'success'],
        ['group.renamed', 204, 'Logged Renamed', 'Group', 'success'],
        ['group.deleted', 204, 'Logged Renamed', 'Group', 'success'],
      ],
    );
    assert.deepEqual(events[0]?.changes, [{ field: 'displayName', to: 'Logged' }]);
    assert.deepEqual(events[1]?.changes, { count: 1, memberIds: [a] });
    assert.deepEqual(events[2]?.changes, { count: 1, memberIds: [b] });
    assert.deepEqual(events[3]?.changes, { count: 1, memberIds: [a] });
    assert.deepEqual(events[4]?.changes, [{ field: 'externalId', to: 'ext-9' }]);
    assert.deepEqual(events[6]?.changes, { memberCount: 1 });
    assert.ok(events.every((e) => e.actor.startsWith('key:') && e.idp === 'Okta'));
  });

  it('a refused group write is logged as group.rejected and changes nothing else', async () => {
    const tenant = await newTenant(server());
    const id = await pushGroup(tenant, 'Refusing');
    assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: 'ghost' }] }))).status, 400);
    // The SCIM error handler logs a rejection after it has sent the answer, so wait for it.
    let events = await eventsOf(server(), id);
    for (let attempt = 0; attempt < 50 && events.length < 2; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      events = await eventsOf(server(), id);
    }
    assert.deepEqual(events.map((e) => [e.action, e.outcome, e.http_status]), [
      ['group.created', 'success', 201],
      ['group.rejected', 'failure', 400],
    ]);
  });

  it('a single request may carry thousands of member ids: add 1,200, replace with 1,100 of them, remove 700', async () => {
    const tenant = await newTenant(server());
    const ids = await seedMembers(server(), tenant.accountId, 1200, 'bulk');
    const id = await pushGroup(tenant, 'Thousands');
    const add = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }));
    assert.equal(add.status, 204);
    assert.equal(await countStoredMembers(server(), id), 1200);
    const kept = ids.slice(100);
    const replace = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'members', value: kept.map((value) => ({ value })) }));
    assert.equal(replace.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), sorted(kept));
    const removed = kept.slice(0, 700);
    const remove = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: 'members', value: removed.map((value) => ({ value })) }));
    assert.equal(remove.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), sorted(kept.slice(700)));
    const events = (await eventsOf(server(), id)).filter((e) => e.action === 'group.members_removed');
    assert.deepEqual(events.map((e) => (e.changes as { count: number }).count), [100, 700]);
  });

  it('one-member PATCHes, as Okta and Entra send them, are logged with the team\'s name, also after a rename, and a re-sent one changes nothing', async () => {
    const tenant = await newTenant(server());
    const [a] = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Stage crew');
    const add = patchOp({ op: 'add', path: 'members', value: [{ value: a }] });
    const added = await tenant.client.patch(`/Groups/${id}`, add);
    assert.equal(added.status, 204);
    assert.equal(added.headers.get('etag'), 'W/"2"');
    const again = await tenant.client.patch(`/Groups/${id}`, add);
    assert.equal(again.status, 204);
    assert.equal(again.headers.get('etag'), 'W/"2"', 'a re-sent add is no change');
    assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Front of house' }))).status, 204);
    const removed = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: `members[value eq "${a}"]` }));
    assert.equal(removed.status, 204);
    assert.equal(removed.headers.get('etag'), 'W/"4"');
    const events = await eventsOf(server(), id);
    assert.deepEqual(
      events.map((e) => [e.action, e.target_label]),
      [
        ['group.created', 'Stage crew'],
        ['group.members_added', 'Stage crew'],
        ['group.renamed', 'Front of house'],
        ['group.members_removed', 'Front of house'],
      ],
    );
  });

  it('a one-member add to a manually created team makes it SCIM-managed and adds the member', async () => {
    const tenant = await newTenant(server());
    const [a] = await pushUsers(tenant, 1);
    await insertManualTeam(tenant.accountId, 'manual-crew', 'Manual crew');
    const added = await tenant.client.patch('/Groups/manual-crew', patchOp({ op: 'add', path: 'members', value: [{ value: a }] }));
    assert.equal(added.status, 204);
    assert.deepEqual(await storedMemberIds(server(), 'manual-crew'), [a]);
    const row = await server().roster.database.db.selectFrom('teams').select(['source']).where('id', '=', 'manual-crew').executeTakeFirstOrThrow();
    assert.equal(row.source, 'scim');
  });

  it('a SCIM write to a manually created team makes it SCIM-managed', async () => {
    const tenant = await newTenant(server());
    const db = server().roster.database.db;
    await insertManualTeam(tenant.accountId, 'manual-team', 'Manual');
    const duplicate = await tenant.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'manual' });
    assert.equal(duplicate.status, 409, 'a manual team\'s name is taken too (domain.md §5.2)');
    const linked = await tenant.client.patch('/Groups/manual-team', patchOp({ op: 'replace', value: { id: 'manual-team', displayName: 'Manual' } }));
    assert.equal(linked.status, 204);
    const row = await db.selectFrom('teams').select(['source', 'version']).where('id', '=', 'manual-team').executeTakeFirstOrThrow();
    assert.deepEqual(row, { source: 'scim', version: 2 });
  });

  it('PATCH without Operations content is refused with 400', async () => {
    const tenant = await newTenant(server());
    const id = await pushGroup(tenant, 'Picky');
    const response = await tenant.client.patch(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'x' });
    assert.equal(response.status, 400);
    assert.equal((await tenant.client.get(`/Groups/${id}`)).body.displayName, 'Picky');
  });

  it('statements of a membership PATCH never read the whole member list (no select of the team\'s members)', async () => {
    const tenant = await newTenant(server());
    const users = await pushUsers(tenant, 3);
    const id = await pushGroup(tenant, 'Lean', users.slice(0, 2));
    const client = counting.clientOf(tenant);
    const statements = await counting.record(async () => {
      assert.equal((await client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[2] }] }))).status, 204);
    });
    // A select whose common table expressions write (PostgreSQL's one-statement change) is a write.
    const writes = /"kind":"(Insert|Delete|Update)QueryNode"/;
    const membershipReads = statements.filter((s) => touchesMemberships(s) && s.startsWith('{"kind":"SelectQueryNode"') && !writes.test(s));
    assert.deepEqual(membershipReads, []);
  });
});
