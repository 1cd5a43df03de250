/**
 * Okta's group push (okta.md §7, §8, §11), replayed request by request with Okta's own bodies.
 * Test names carry the section of okta.md they transcribe.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDatabase } from '../helpers/test-server.js';
import { eventsOf, GROUP_SCHEMA, newTenant, patchOp, PATCH_OP, pushGroup, pushUsers, storedMemberIds } from './groups-fixtures.js';

const sorted = (ids: readonly string[]) => [...ids].sort();
const memberValues = (group: { members?: { value: string }[] }) => sorted((group.members ?? []).map((m) => m.value));

describeEachDatabase('Groups: Okta group push (okta.md §7)', (server) => {
  it('§7.1 find by name: displayName eq with startIndex and count answers an empty ListResponse before the push', async () => {
    const { client } = await newTenant(server());
    const response = await client.get('/Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100');
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('§7.1 create: POST an empty group (OIN C9317 "Push Empty Group") → 201 with id, displayName, meta and Location', async () => {
    const { client } = await newTenant(server());
    const response = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv2', members: [] });
    assert.equal(response.status, 201);
    assert.match(response.headers.get('content-type') ?? '', /^application\/scim\+json/);
    assert.equal(typeof response.body.id, 'string');
    assert.equal(response.body.displayName, 'Test SCIMv2');
    assert.deepEqual(response.body.schemas, [GROUP_SCHEMA]);
    assert.deepEqual(response.body.members ?? [], []);
    assert.equal(response.body.meta.resourceType, 'Group');
    assert.equal(response.headers.get('location'), response.body.meta.location);
    assert.equal(response.headers.get('etag'), response.body.meta.version);
    assert.equal(response.body.meta.location, `https://roster.test/scim/v2/Groups/${response.body.id}`);
  });

  it('§7.1 then find by name: the pushed group is found by displayName eq', async () => {
    const tenant = await newTenant(server());
    const id = await pushGroup(tenant, 'Test SCIMv2');
    const response = await tenant.client.get('/Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100');
    assert.equal(response.body.totalResults, 1);
    assert.equal(response.body.Resources[0].id, id);
  });

  it('§7.1 create with members (SPEC2023): members come back with value and display', async () => {
    const tenant = await newTenant(server());
    const [userId] = await pushUsers(tenant, 1);
    const response = await tenant.client.post('/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Staff',
      members: [{ value: userId, display: 'test.user@okta.local' }],
    });
    assert.equal(response.status, 201);
    assert.equal(response.body.members.length, 1);
    assert.equal(response.body.members[0].value, userId);
    assert.match(response.body.members[0].display, /@example\.com$/, 'display is the member as Roster knows it, not the client-sent label');
    assert.equal(response.body.members[0].$ref, `https://roster.test/scim/v2/Users/${userId}`);
  });

  it('§7.2 read: GET /Groups/{id} → 200 with members; an unknown id → 404 SCIM error with detail', async () => {
    const tenant = await newTenant(server());
    const users = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Readers', users);
    const found = await tenant.client.get(`/Groups/${id}`);
    assert.equal(found.status, 200);
    assert.deepEqual(memberValues(found.body), sorted(users));
    const missing = await tenant.client.get('/Groups/010101001010101011001010101011');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
    assert.equal(missing.body.status, '404');
    assert.match(missing.body.detail, /No group with id/);
  });

  it('§7.3 rename: path-less replace {id, displayName} → 204, renamed, members untouched, meta advanced', async () => {
    const tenant = await newTenant(server());
    const users = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Old Name', users);
    const before = (await tenant.client.get(`/Groups/${id}`)).body;
    const response = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', value: { id, displayName: 'New Name' } }));
    assert.equal(response.status, 204);
    assert.equal(response.text, '');
    const after = (await tenant.client.get(`/Groups/${id}`)).body;
    assert.equal(after.displayName, 'New Name');
    assert.deepEqual(memberValues(after), sorted(users));
    assert.notEqual(after.meta.version, before.meta.version);
    assert.equal(response.headers.get('etag'), after.meta.version);
    const renamed = (await eventsOf(server(), id)).filter((e) => e.action === 'group.renamed');
    assert.equal(renamed.length, 1);
    assert.deepEqual(renamed[0]?.changes, [{ field: 'displayName', from: 'Old Name', to: 'New Name' }]);
  });

  it('§7.3 the unchanged name Okta re-sends with every membership change writes nothing and keeps meta', async () => {
    const tenant = await newTenant(server());
    const id = await pushGroup(tenant, 'Same Name');
    const before = (await tenant.client.get(`/Groups/${id}`)).body;
    const eventsBefore = (await eventsOf(server(), id)).length;
    const response = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', value: { id, displayName: 'Same Name' } }));
    assert.equal(response.status, 204);
    const after = (await tenant.client.get(`/Groups/${id}`)).body;
    assert.deepEqual(after.meta, before.meta);
    assert.equal((await eventsOf(server(), id)).length, eventsBefore);
  });

  it('§7.3 a path-less replace naming another id is refused and changes nothing', async () => {
    const tenant = await newTenant(server());
    const id = await pushGroup(tenant, 'Keep');
    const response = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', value: { id: 'some-other-id', displayName: 'Changed' } }));
    assert.equal(response.status, 400);
    assert.equal((await tenant.client.get(`/Groups/${id}`)).body.displayName, 'Keep');
  });

  it('§7.4 membership: several removes by members[value eq] and one add in one request, applied in order', async () => {
    const tenant = await newTenant(server());
    const [a, b, c, d] = await pushUsers(tenant, 4);
    const id = await pushGroup(tenant, 'Crew', [a!, b!, c!]);
    const response = await tenant.client.patch(
      `/Groups/${id}`,
      patchOp(
        { op: 'remove', path: `members[value eq "${a}"]` },
        { op: 'remove', path: `members[value eq "${b}"]` },
        { op: 'add', path: 'members', value: [{ value: d, display: 'test.user@okta.local' }] },
      ),
    );
    assert.equal(response.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), sorted([c!, d!]));
  });

  it('§7.4 add appends and never replaces; re-adding an existing member is a no-op', async () => {
    const tenant = await newTenant(server());
    const [a, b] = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Appenders', [a!]);
    assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: b }] }))).status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), sorted([a!, b!]));
    const version = (await tenant.client.get(`/Groups/${id}`)).body.meta.version;
    assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a }, { value: b }] }))).status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), sorted([a!, b!]));
    assert.equal((await tenant.client.get(`/Groups/${id}`)).body.meta.version, version, 're-adding members changes nothing');
  });

  it('§7.4 the rename echo and a membership change in one request: members change, the name does not', async () => {
    const tenant = await newTenant(server());
    const [a, b] = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Echo', [a!]);
    const response = await tenant.client.patch(
      `/Groups/${id}`,
      patchOp({ op: 'replace', value: { id, displayName: 'Echo' } }, { op: 'add', path: 'members', value: [{ value: b }] }),
    );
    assert.equal(response.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), sorted([a!, b!]));
    const actions = (await eventsOf(server(), id)).map((e) => e.action);
    assert.deepEqual(actions, ['group.created', 'group.members_added', 'group.members_added']);
  });

  it('§7.4 schema-qualified members path (urn:…:Group:members) adds members', async () => {
    const tenant = await newTenant(server());
    const [a] = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Qualified');
    const response = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: `${GROUP_SCHEMA}:members`, value: [{ value: a }] }));
    assert.equal(response.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), [a]);
  });

  it('§7.4 Push Now: replace members sets exactly the list, and [] empties the team (OIN C9316)', async () => {
    const tenant = await newTenant(server());
    const [a, b, c] = await pushUsers(tenant, 3);
    const id = await pushGroup(tenant, 'Pushed', [a!, b!]);
    assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'members', value: [{ value: b }, { value: c }] }))).status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), sorted([b!, c!]));
    assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'members', value: [] }))).status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), []);
    const users = await tenant.client.get(`/Users/${a}`);
    assert.equal(users.status, 200, 'emptying a team leaves its users');
  });

  it('§7.4 Push Now of an empty Okta group on an empty team succeeds and writes nothing', async () => {
    const tenant = await newTenant(server());
    const id = await pushGroup(tenant, 'Empty');
    const before = (await tenant.client.get(`/Groups/${id}`)).body.meta;
    assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'members', value: [] }))).status, 204);
    assert.deepEqual((await tenant.client.get(`/Groups/${id}`)).body.meta, before);
  });

  it('§7.3/§7.4 AIW custom apps: PUT renames and sets the full member list; PUT with members [] empties the team', async () => {
    const tenant = await newTenant(server());
    const [a, b, c] = await pushUsers(tenant, 3);
    const id = await pushGroup(tenant, 'AIW', [a!]);
    const current = (await tenant.client.get(`/Groups/${id}`)).body;
    const put = await tenant.client.put(`/Groups/${id}`, { ...current, displayName: 'AIW Renamed', members: [{ value: b }, { value: c }] });
    assert.equal(put.status, 200);
    assert.equal(put.body.displayName, 'AIW Renamed');
    assert.deepEqual(memberValues(put.body), sorted([b!, c!]));
    const emptied = await tenant.client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'AIW Renamed', members: [] });
    assert.equal(emptied.status, 200);
    assert.deepEqual(emptied.body.members ?? [], []);
    assert.deepEqual(await storedMemberIds(server(), id), []);
  });

  it('§7.4 concurrent PATCHes adding different members all land (fleetdm/fleet#50724)', async () => {
    const tenant = await newTenant(server());
    const users = await pushUsers(tenant, 8);
    const id = await pushGroup(tenant, 'Parallel');
    const responses = await Promise.all(users.map((value) => tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value }] }))));
    assert.deepEqual(responses.map((r) => r.status), users.map(() => 204));
    assert.deepEqual(await storedMemberIds(server(), id), sorted(users));
    assert.equal((await tenant.client.get(`/Groups/${id}`)).body.meta.version, 'W/"9"', 'each change advanced the version once');
  });

  it('§7.5 unlink with "delete the group in the target app": DELETE → 204, the team is gone, its users stay (OIN C9318)', async () => {
    const tenant = await newTenant(server());
    const users = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Unlinked', users);
    const response = await tenant.client.delete(`/Groups/${id}`);
    assert.equal(response.status, 204);
    assert.equal(response.text, '');
    assert.equal((await tenant.client.get(`/Groups/${id}`)).status, 404);
    assert.deepEqual(await storedMemberIds(server(), id), []);
    for (const userId of users) {
      const user = await tenant.client.get(`/Users/${userId}`);
      assert.equal(user.status, 200);
      assert.equal(user.body.active, true);
      assert.deepEqual(user.body.groups ?? [], []);
    }
    assert.equal((await tenant.client.delete(`/Groups/${id}`)).status, 404);
  });

  it('§8 import: GET /Groups pages with startIndex/count in a stable order, with members (OIN C9338)', async () => {
    const tenant = await newTenant(server());
    const [a] = await pushUsers(tenant, 1);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await pushGroup(tenant, `Import ${i}`, [a!]));
    const seen: string[] = [];
    for (let startIndex = 1; startIndex <= 5; startIndex += 2) {
      const page = await tenant.client.get(`/Groups?startIndex=${startIndex}&count=2`);
      assert.equal(page.status, 200);
      assert.equal(page.body.totalResults, 5);
      assert.equal(page.body.startIndex, startIndex);
      assert.equal(page.body.itemsPerPage, page.body.Resources.length);
      for (const group of page.body.Resources) {
        seen.push(group.id);
        assert.deepEqual(memberValues(group), [a]);
      }
    }
    assert.deepEqual(seen, ids);
  });

  it('§11 SPEC2023 group sequence: create with a member, read, remove it, add it, PUT [] and delete', async () => {
    const tenant = await newTenant(server());
    const [userId] = await pushUsers(tenant, 1);
    const created = await tenant.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Runscope Group', members: [{ value: userId, display: 'x@atko.com' }] });
    assert.equal(created.status, 201);
    assert.equal(created.body.members[0].value, userId);
    const id = created.body.id as string;
    assert.equal((await tenant.client.get(`/Groups/${id}`)).body.members[0].value, userId);
    const removed = await tenant.client.patch(`/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] });
    assert.equal(removed.status, 204);
    assert.deepEqual((await tenant.client.get(`/Groups/${id}`)).body.members ?? [], []);
    const added = await tenant.client.patch(`/Groups/${id}?attributes=members`, patchOp({ op: 'add', path: 'members', value: [{ value: userId }] }));
    assert.equal(added.status, 200, 'a client that asks for attributes gets the resource back');
    assert.equal(added.body.members[0].value, userId);
    const put = await tenant.client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'Runscope Group', members: [] });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.members ?? [], []);
    assert.equal((await tenant.client.delete(`/Groups/${id}`)).status, 204);
  });
});
