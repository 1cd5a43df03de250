/**
 * OneLogin and JumpCloud user flows replayed against Roster's SCIM server
 * (entra-onelogin-jumpcloud.md §7). OneLogin's bodies are what its SCIM JSON template renders;
 * JumpCloud's Test Connection creates and deletes a real user.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { scimClient, type ScimClient } from '../helpers/http-client.js';
import { describeEachDatabase, type TestServer } from '../helpers/test-server.js';
import {
  assertEmptyList,
  assertScimError,
  createUser,
  ENTERPRISE,
  enterpriseOf,
  JUMPCLOUD_UA,
  LIST_RESPONSE,
  ONELOGIN_UA,
  patchOp,
  USER_SCHEMA,
  usersFilter,
} from './idp-flow-helpers.js';

async function job(server: TestServer, userAgent: string, accept = 'application/scim+json'): Promise<{ scim: ScimClient; accountId: string }> {
  const account = await server.createAccount();
  return { accountId: account.accountId, scim: scimClient(server.url, account.apiKey, { 'user-agent': userAgent, accept }) };
}

/**
 * A OneLogin "SCIM Provisioner with SAML (SCIM v2 Enterprise)" template as rendered: core-1.0
 * schema URN, `"id": null`, `"active":"{$user.active}"` (a string) and a manager object with
 * OneLogin's own key (OL-TPL).
 */
function oneLoginTemplate(userName: string, active: 'true' | 'false', extra: Record<string, unknown> = {}) {
  return {
    schemas: ['urn:scim:schemas:core:1.0', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    id: null,
    userName,
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ value: userName, type: 'work', primary: true }],
    displayName: 'Ada Lovelace',
    active,
    [ENTERPRISE]: { department: 'Engineering', manager: { managerId: 'ext-mgr-17' } },
    ...extra,
  };
}

describeEachDatabase('OneLogin user flows', (server) => {
  it('§7.1 OneLogin initial connection: userName filter for a user that does not exist → 200 empty list', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    assertEmptyList(await scim.get(usersFilter(`userName eq "onelogin-probe-${randomUUID()}@example.com"`)));
  });

  it('§7.1 OneLogin template create: core-1.0 schemas, "id": null, "active":"true" string, manager {managerId} → 201 with a real id and active: true', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    const response = await scim.post('/Users', oneLoginTemplate('ada@example.com', 'true'));
    assert.equal(response.status, 201, response.text);
    const user = response.body;
    assert.equal(typeof user.id, 'string');
    assert.ok(user.id.length > 0);
    assert.equal(user.active, true);
    assert.equal(user.userName, 'ada@example.com');
    assert.ok(user.schemas.includes(USER_SCHEMA));
    assert.ok(!user.schemas.includes('urn:scim:schemas:core:1.0'));
    assert.equal(enterpriseOf(user)?.['department'], 'Engineering');
    assert.equal(enterpriseOf(user)?.['manager'], undefined, 'an unknown manager key sets no manager');
    assert.equal(user.managerId, undefined);
  });

  it('§7.1 OneLogin template with "active":"false" creates a suspended user that reads back active: false', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    const response = await scim.post('/Users', oneLoginTemplate('grace@example.com', 'false'));
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.active, false);
    assert.equal((await scim.get(`/Users/${response.body.id}`)).body.active, false);
  });

  it('§7.1 OneLogin per-user sync: the userName filter decides create vs update, then Get User by ID returns it', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    assertEmptyList(await scim.get(usersFilter('userName eq "ada@example.com"')));
    const created = await createUser(scim, oneLoginTemplate('ada@example.com', 'true'));
    const found = await scim.get(usersFilter('userName eq "ada@example.com"'));
    assert.deepEqual(found.body.Resources.map((u: { id: string }) => u.id), [created.id]);
    const got = await scim.get(`/Users/${created.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.name.givenName, 'Ada');
  });

  it('§7.1 OneLogin Get User by ID of a user that does not exist → 404', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    assertScimError(await scim.get(`/Users/${randomUUID()}`), 404);
  });

  it('§7.1 OneLogin Update User with the rendered template (PUT, "id": null, string active) → 200 with the change', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    const created = await createUser(scim, oneLoginTemplate('ada@example.com', 'true'));
    const response = await scim.put(`/Users/${created.id}`, oneLoginTemplate('ada@example.com', 'true', { name: { givenName: 'Augusta Ada', familyName: 'King' } }));
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.id, created.id);
    assert.deepEqual((await scim.get(`/Users/${created.id}`)).body.name, { givenName: 'Augusta Ada', familyName: 'King' });
  });

  it('§7.1 OneLogin Update User as a lower-case PATCH with a string boolean → 200', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    const created = await createUser(scim, oneLoginTemplate('ada@example.com', 'true'));
    const response = await scim.patch(`/Users/${created.id}`, patchOp({ op: 'replace', value: { title: 'Countess', active: 'true' } }));
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.title, 'Countess');
    assert.equal(response.body.active, true);
  });

  it('§7.1 OneLogin deprovisioning "Suspend": the template re-sent with "active":"false" deactivates; the user stays readable', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    const created = await createUser(scim, oneLoginTemplate('ada@example.com', 'true'));
    const response = await scim.put(`/Users/${created.id}`, oneLoginTemplate('ada@example.com', 'false'));
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.active, false);
    const found = await scim.get(usersFilter('userName eq "ada@example.com"'));
    assert.equal(found.body.Resources[0].active, false);
  });

  it('§7.1 OneLogin deprovisioning "Delete": DELETE → 204, then Get User by ID → 404', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    const created = await createUser(scim, oneLoginTemplate('ada@example.com', 'true'));
    assert.equal((await scim.delete(`/Users/${created.id}`)).status, 204);
    assertScimError(await scim.get(`/Users/${created.id}`), 404);
  });

  it('§7.1 OneLogin Get Users (no filter) pages with startIndex/count and an exact totalResults', async () => {
    const { scim } = await job(server(), ONELOGIN_UA);
    for (const n of [1, 2, 3]) await createUser(scim, oneLoginTemplate(`user${n}@example.com`, 'true'));
    const first = await scim.get('/Users?startIndex=1&count=2');
    const second = await scim.get('/Users?startIndex=3&count=2');
    assert.deepEqual(first.body.schemas, [LIST_RESPONSE]);
    assert.equal(first.body.totalResults, 3);
    assert.equal(first.body.Resources.length, 2);
    assert.equal(second.body.Resources.length, 1);
    assert.equal(second.body.startIndex, 3);
  });

  it('§7.1 OneLogin clients that accept only application/json get application/json responses', async () => {
    const { scim } = await job(server(), ONELOGIN_UA, 'application/json');
    const list = await scim.get(usersFilter('userName eq "nobody@example.com"'));
    assert.equal(list.status, 200);
    assert.match(list.headers.get('content-type') ?? '', /^application\/json/);
    const created = await scim.post('/Users', oneLoginTemplate('ada@example.com', 'true'));
    assert.equal(created.status, 201);
    assert.match(created.headers.get('content-type') ?? '', /^application\/json/);
    const missing = await scim.get(`/Users/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(missing.body.status, '404');
  });
});

describeEachDatabase('JumpCloud user flows', (server) => {
  const testEmail = 'scim-test@acme.example';

  it('§7.2 JumpCloud Test Connection: lookup → POST the admin\'s test user → DELETE it → 204; the user is gone', async () => {
    const { scim } = await job(server(), JUMPCLOUD_UA);
    assertEmptyList(await scim.get(usersFilter(`userName eq "${testEmail}"`)));
    const created = await createUser(scim, { userName: testEmail, emails: [{ value: testEmail, type: 'work', primary: true }], name: { givenName: 'Test', familyName: 'User' }, active: true });
    const deleted = await scim.delete(`/Users/${created.id}`);
    assert.equal(deleted.status, 204);
    assertScimError(await scim.get(`/Users/${created.id}`), 404);
    assertEmptyList(await scim.get(usersFilter(`userName eq "${testEmail}"`)));
  });

  it('§7.2 JumpCloud Test Connection run twice with the same test e-mail succeeds both times (userName freed by DELETE)', async () => {
    const { scim } = await job(server(), JUMPCLOUD_UA);
    for (let run = 0; run < 2; run += 1) {
      const created = await createUser(scim, { userName: testEmail, emails: [{ value: testEmail, type: 'work' }], active: true });
      assert.equal((await scim.delete(`/Users/${created.id}`)).status, 204);
    }
  });

  it('§7.2 JumpCloud test user counts against no seat once deleted (seat limit 1, two test connections)', async () => {
    const account = await server().createAccount({ seats: 1 });
    const scim = scimClient(server().url, account.apiKey, { 'user-agent': JUMPCLOUD_UA });
    for (let run = 0; run < 2; run += 1) {
      const created = await createUser(scim, { userName: testEmail, active: true });
      assert.equal((await scim.delete(`/Users/${created.id}`)).status, 204);
    }
  });

  it('§7.2 JumpCloud user_lookup_provision: lookup before update finds the user, then the update applies', async () => {
    const { scim } = await job(server(), JUMPCLOUD_UA);
    const created = await createUser(scim, { userName: 'lin@acme.example', name: { givenName: 'Lin', familyName: 'Ma' }, active: true });
    const lookup = await scim.get(usersFilter('userName eq "lin@acme.example"'));
    assert.equal(lookup.body.Resources[0].id, created.id);
    const updated = await scim.put(`/Users/${created.id}`, { schemas: [USER_SCHEMA], userName: 'lin@acme.example', name: { givenName: 'Lin', familyName: 'Ma-Lee' }, active: true });
    assert.equal(updated.status, 200, updated.text);
    assert.equal((await scim.get(`/Users/${created.id}`)).body.name.familyName, 'Ma-Lee');
  });

  it('§7.2 JumpCloud repeats operations: the same PUT and the same deactivation sent twice answer 200 and change nothing the second time', async () => {
    const { scim } = await job(server(), JUMPCLOUD_UA);
    const created = await createUser(scim, { userName: 'lin@acme.example', active: true });
    const body = { schemas: [USER_SCHEMA], userName: 'lin@acme.example', title: 'Host', active: true };
    const first = await scim.put(`/Users/${created.id}`, body);
    const second = await scim.put(`/Users/${created.id}`, body);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.body.meta.version, first.body.meta.version);
    const off = patchOp({ op: 'replace', path: 'active', value: false });
    const disabled = await scim.patch(`/Users/${created.id}`, off);
    const again = await scim.patch(`/Users/${created.id}`, off);
    assert.equal(disabled.status, 200);
    assert.equal(again.status, 200);
    assert.equal(again.body.active, false);
    assert.equal(again.body.meta.version, disabled.body.meta.version);
  });

  it('§7.2 JumpCloud deactivates a test user it cannot delete: active false is kept and readable', async () => {
    const { scim } = await job(server(), JUMPCLOUD_UA);
    const created = await createUser(scim, { userName: testEmail, active: true });
    const response = await scim.patch(`/Users/${created.id}`, patchOp({ op: 'replace', value: { active: false } }));
    assert.equal(response.status, 200, response.text);
    assert.equal((await scim.get(`/Users/${created.id}`)).body.active, false);
  });
});
