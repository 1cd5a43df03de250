/**
 * Microsoft Entra ID's group provisioning (entra-onelogin-jumpcloud.md §3.9, §3.6, §5) and the
 * OneLogin and JumpCloud group quirks (§7.1, §7.2), replayed request by request.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/test-server.js';
import {
  ENTRA_GROUP_MARKER,
  GROUP_SCHEMA,
  newTenant,
  patchOp,
  pushGroup,
  pushUsers,
  startCountingServer,
  storedMemberIds,
  touchesMemberships,
  type CountingServer,
} from './groups-fixtures.js';

const sorted = (ids: readonly string[]) => [...ids].sort();

describeEachDatabase('Groups: Microsoft Entra ID (entra-onelogin-jumpcloud.md §3.9)', (server) => {
  let counting: CountingServer;
  before(async () => {
    counting = await startCountingServer(server());
  });
  after(async () => {
    await counting.close();
  });

  it('§3.9 create: the legacy Microsoft schema marker, externalId and meta are accepted → 201 without members', async () => {
    const { client } = await newTenant(server(), 'entra');
    const response = await client.post('/Groups', {
      schemas: [GROUP_SCHEMA, ENTRA_GROUP_MARKER],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    assert.equal(response.status, 201);
    assert.equal(typeof response.body.id, 'string');
    assert.equal(response.body.displayName, 'displayName');
    assert.equal(response.body.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    assert.deepEqual(response.body.schemas, [GROUP_SCHEMA]);
    assert.deepEqual(response.body.members ?? [], []);
  });

  it('§3.9 get: GET /Groups/{id}?excludedAttributes=members → 200 without members, and the membership table is not read', async () => {
    const tenant = await newTenant(server(), 'entra');
    const users = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Excluded', users);
    const client = counting.clientOf(tenant);
    const statements = await counting.record(async () => {
      const response = await client.get(`/Groups/${id}?excludedAttributes=members`);
      assert.equal(response.status, 200);
      assert.equal(response.body.members, undefined);
      assert.equal(response.body.displayName, 'Excluded');
    });
    assert.ok(statements.length > 0, 'the request went through the counting server');
    assert.deepEqual(statements.filter(touchesMemberships), []);
    const withMembers = await counting.record(async () => {
      assert.deepEqual((await client.get(`/Groups/${id}`)).body.members.length, 2);
    });
    assert.equal(withMembers.filter(touchesMemberships).length, 1, 'members are read in one query when asked for');
  });

  it('§3.9 find by name: excludedAttributes=members&filter=displayName eq → ListResponse without members', async () => {
    const tenant = await newTenant(server(), 'entra');
    const users = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Find Me', users);
    const response = await tenant.client.get('/Groups?excludedAttributes=members&filter=displayName+eq+%22Find+Me%22');
    assert.equal(response.status, 200);
    assert.equal(response.body.totalResults, 1);
    assert.equal(response.body.Resources[0].id, id);
    assert.equal(response.body.Resources[0].members, undefined);
  });

  it('§3.9 add members: "Add" with "$ref": null, several in one operation → 204', async () => {
    const tenant = await newTenant(server(), 'entra');
    const [a, b] = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Adds');
    const response = await tenant.client.patch(
      `/Groups/${id}`,
      patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: a }, { $ref: null, value: b }] }),
    );
    assert.equal(response.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), sorted([a!, b!]));
  });

  it('§3.9 remove members (default mode): "Remove" with path members and a value list removes only the listed members', async () => {
    const tenant = await newTenant(server(), 'entra');
    const [a, b, c] = await pushUsers(tenant, 3);
    const id = await pushGroup(tenant, 'Removes', [a!, b!, c!]);
    const first = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: a }] }));
    assert.equal(first.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), sorted([b!, c!]));
    const second = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'Remove', path: 'members', value: [{ value: b }] }));
    assert.equal(second.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), [c]);
  });

  it('§3.6 remove members with the aadOptscim062020 flag: members[value eq "…"] without a value', async () => {
    const tenant = await newTenant(server(), 'entra');
    const [a, b] = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Flagged', [a!, b!]);
    const response = await tenant.client.patch(`/Groups/${id}?aadOptscim062020`, patchOp({ op: 'remove', path: `members[value eq "${a}"]` }));
    assert.equal(response.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), [b]);
  });

  it('§3.9 rename: "Replace" displayName → 204', async () => {
    const tenant = await newTenant(server(), 'entra');
    const [a] = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Before', [a!]);
    const response = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }));
    assert.equal(response.status, 204);
    const group = (await tenant.client.get(`/Groups/${id}`)).body;
    assert.equal(group.displayName, '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
    assert.deepEqual(await storedMemberIds(server(), id), [a]);
  });

  it('§3.9 Replace with array-wrapped displayName and externalId values (better-auth Entra note)', async () => {
    const tenant = await newTenant(server(), 'entra');
    const id = await pushGroup(tenant, 'Wrapped');
    const response = await tenant.client.patch(
      `/Groups/${id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: ['Unwrapped'] }, { op: 'Replace', path: 'externalId', value: ['ext-1'] }),
    );
    assert.equal(response.status, 204);
    const group = (await tenant.client.get(`/Groups/${id}`)).body;
    assert.equal(group.displayName, 'Unwrapped');
    assert.equal(group.externalId, 'ext-1');
  });

  it('§3.9 delete: DELETE /Groups/{id} without a content type → 204', async () => {
    const tenant = await newTenant(server(), 'entra');
    const [a] = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Doomed', [a!]);
    const response = await tenant.client.delete(`/Groups/${id}`);
    assert.equal(response.status, 204);
    assert.equal((await tenant.client.get(`/Users/${a}`)).status, 200);
  });

  it('§5 Postman collection: {"op":"remove","path":"members"} without a value empties the group', async () => {
    const tenant = await newTenant(server(), 'entra');
    const users = await pushUsers(tenant, 3);
    const id = await pushGroup(tenant, 'Wiped', users);
    const response = await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: 'members' }));
    assert.equal(response.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), []);
  });

  it('§1 ops in any letter case: "ADD", "rEmOvE"', async () => {
    const tenant = await newTenant(server(), 'entra');
    const [a, b] = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'Cases', [a!]);
    const response = await tenant.client.patch(
      `/Groups/${id}`,
      patchOp({ op: 'ADD', path: 'members', value: [{ value: b }] }, { op: 'rEmOvE', path: 'members', value: [{ value: a }] }),
    );
    assert.equal(response.status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), [b]);
  });

  it('§3.7 a disabled user can be added to a team and stays in it', async () => {
    const tenant = await newTenant(server(), 'entra');
    const [a] = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Keepers', [a!]);
    assert.equal((await tenant.client.patch(`/Users/${a}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }))).status, 200);
    assert.deepEqual(await storedMemberIds(server(), id), [a]);
    const other = await pushGroup(tenant, 'Second');
    assert.equal((await tenant.client.patch(`/Groups/${other}`, patchOp({ op: 'Add', path: 'members', value: [{ value: a }] }))).status, 204);
    assert.deepEqual(await storedMemberIds(server(), other), [a]);
  });

  it('§7.1 OneLogin: GET /Groups without a filter lists the groups, and a lower-case "add" PATCH works', async () => {
    const tenant = await newTenant(server(), 'onelogin');
    const [a] = await pushUsers(tenant, 1);
    const id = await pushGroup(tenant, 'Entitlement');
    const list = await tenant.client.get('/Groups');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.Resources.map((g: { id: string }) => g.id), [id]);
    assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a }] }))).status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), [a]);
  });

  it('§7.2 JumpCloud: a repeated add is idempotent (no 409/500) and the value-list remove removes only that member', async () => {
    const tenant = await newTenant(server(), 'jumpcloud');
    const [a, b] = await pushUsers(tenant, 2);
    const id = await pushGroup(tenant, 'JC', [a!]);
    for (let i = 0; i < 2; i += 1) {
      assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: b }] }))).status, 204);
    }
    assert.equal((await tenant.client.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: a }] }))).status, 204);
    assert.deepEqual(await storedMemberIds(server(), id), [b]);
  });

  it('§7.2 JumpCloud test connection: a test group is created, found by name, then deleted', async () => {
    const tenant = await newTenant(server(), 'jumpcloud');
    const id = await pushGroup(tenant, 'JumpCloud Test Group');
    const found = await tenant.client.get('/Groups?filter=displayName%20eq%20%22JumpCloud%20Test%20Group%22');
    assert.equal(found.body.Resources[0].id, id);
    assert.equal((await tenant.client.delete(`/Groups/${id}`)).status, 204);
    assert.equal((await tenant.client.get('/Groups')).body.totalResults, 0);
  });

  it('§3.9 find by name with excludedAttributes=members never reads the membership table', async () => {
    const tenant = await newTenant(server(), 'entra');
    const users = await pushUsers(tenant, 1);
    await pushGroup(tenant, 'Listed', users);
    const client = counting.clientOf(tenant);
    const statements = await counting.record(async () => {
      const response = await client.get('/Groups?excludedAttributes=members&filter=displayName+eq+%22Listed%22');
      assert.equal(response.body.totalResults, 1);
    });
    assert.ok(statements.length > 0);
    assert.deepEqual(statements.filter(touchesMemberships), []);
  });
});
