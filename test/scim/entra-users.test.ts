/**
 * Microsoft Entra ID user flows replayed request by request against Roster's SCIM server:
 * test connection, matching, create, get and delete (entra-onelogin-jumpcloud.md §1–§3.4,
 * §3.10). PATCH flows: entra-users-patch.test.ts and entra-users-lifecycle.test.ts;
 * validators: entra-users-validators.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { request } from '../helpers/http-client.js';
import { describeEachDatabase, TEST_PUBLIC_URL } from '../helpers/test-server.js';
import {
  assertEmptyList,
  assertScimError,
  assertScimJson,
  createUser,
  ENTERPRISE,
  enterpriseOf,
  ENTRA_UA,
  entraCreateBody,
  entraJob,
  LIST_RESPONSE,
  patchOp,
  testUserName,
  typed,
  USER_SCHEMA,
  usersFilter,
} from './idp-flow-helpers.js';

describeEachDatabase('Microsoft Entra ID user flows', (server) => {
  // §3.1 Test connection ---------------------------------------------------------------------

  it('§3.1 Entra Test Connection: userName eq "<random GUID>" answers 200 with an empty ListResponse (never 404)', async () => {
    const { scim } = await entraJob(server());
    const response = await scim.get(`/Users?filter=userName+eq+%22${randomUUID()}%22`);
    assertEmptyList(response);
  });

  it('§3.1 Entra Test Connection with externalId as matching attribute answers 200 empty', async () => {
    const { scim } = await entraJob(server());
    await createUser(scim, entraCreateBody(testUserName()));
    assertEmptyList(await scim.get(usersFilter(`externalId eq "${randomUUID()}"`)));
  });

  it('§3.1 Entra Test Connection with invalid credentials answers 401 (Entra quarantines the job)', async () => {
    const response = await request(server().url, 'GET', `/scim/v2/Users?filter=userName+eq+%22${randomUUID()}%22`, {
      headers: { authorization: 'Bearer not-a-roster-key', 'user-agent': ENTRA_UA },
    });
    assertScimError(response, 401);
  });

  it('§3.1 Entra provision on demand: GUID lookup → 200 empty, UPN lookup → 200 with the user, then PATCH → 200', async () => {
    const { scim } = await entraJob(server());
    const upn = testUserName();
    const created = await createUser(scim, entraCreateBody(upn));
    assertEmptyList(await scim.get(`/Users?filter=userName+eq+%22${randomUUID()}%22`));
    const found = await scim.get(`/Users?filter=userName+eq+%22${encodeURIComponent(upn)}%22`);
    assert.equal(found.status, 200);
    assert.equal(found.body.totalResults, 1);
    assert.equal(found.body.Resources[0].id, created.id);
    const patched = await scim.patch(`/Users/${created.id}`, patchOp({ op: 'Replace', path: 'displayName', value: 'On Demand' }));
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.displayName, 'On Demand');
  });

  // §3.2 Match an existing user ---------------------------------------------------------------

  it('§3.2 Entra match by userName: filter userName eq "Test_User_…" returns totalResults 1 and the full resource', async () => {
    const { scim } = await entraJob(server());
    const userName = testUserName();
    const created = await createUser(scim, entraCreateBody(userName));
    const response = await scim.get(usersFilter(`userName eq "${userName}"`));
    assert.equal(response.status, 200);
    assertScimJson(response);
    assert.deepEqual(response.body.schemas, [LIST_RESPONSE]);
    assert.equal(response.body.totalResults, 1);
    const [user] = response.body.Resources;
    assert.equal(user.id, created.id);
    assert.equal(user.userName, userName);
    assert.equal(user.active, true);
    assert.equal(user.externalId, created.externalId);
    assert.equal(typed(user, 'emails', 'work')?.['value'], created.emails[0].value);
    assert.equal(user.meta.resourceType, 'User');
  });

  it('§3.2 Entra match by externalId (mailNickname): externalId eq "jyoung" finds the user', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, { ...entraCreateBody('jyoung@testuser.com'), externalId: 'jyoung' });
    await createUser(scim, { ...entraCreateBody('other@testuser.com'), externalId: 'jyoung2' });
    const response = await scim.get(usersFilter('externalId eq "jyoung"'));
    assert.equal(response.status, 200);
    assert.deepEqual(response.body.Resources.map((u: { id: string }) => u.id), [created.id]);
  });

  it('§3.2 Entra doc example with an unquoted value (externalId eq jyoung) is answered correctly or refused with invalidFilter, never with all rows', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, { ...entraCreateBody('jyoung@testuser.com'), externalId: 'jyoung' });
    await createUser(scim, { ...entraCreateBody('other@testuser.com'), externalId: 'someone-else' });
    const response = await scim.get('/Users?filter=externalId+eq+jyoung');
    if (response.status === 200) assert.deepEqual(response.body.Resources.map((u: { id: string }) => u.id), [created.id]);
    else assertScimError(response, 400, 'invalidFilter');
  });

  it('§3.2/§5 Entra matching is case-insensitive on userName (Validator) and returns the stored casing', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, entraCreateBody('Dale.Mohr@Romaguera.uk'));
    // The Validator's own shape: `filter=userName+eq+"dale.mohr%40romaguera.uk"` (quotes unencoded).
    const response = await scim.get('/Users?filter=userName+eq+"dale.mohr%40romaguera.uk"');
    assert.equal(response.status, 200);
    assert.equal(response.body.totalResults, 1);
    assert.equal(response.body.Resources[0].id, created.id);
    assert.equal(response.body.Resources[0].userName, 'Dale.Mohr@Romaguera.uk');
  });

  it('§2 Entra uniqueness attribute usable in a filter: emails[type eq "work"].value eq "…"', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, entraCreateBody(testUserName(), 'joy.young@contoso.com'));
    await createUser(scim, entraCreateBody(testUserName(), 'someone@contoso.com'));
    const response = await scim.get(usersFilter('emails[type eq "work"].value eq "joy.young@contoso.com"'));
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.Resources.map((u: { id: string }) => u.id), [created.id]);
  });

  it('§3.2 Entra match with zero results answers 200 with totalResults 0 and Resources []', async () => {
    const { scim } = await entraJob(server());
    await createUser(scim, entraCreateBody(testUserName()));
    assertEmptyList(await scim.get(usersFilter('userName eq "nobody@testuser.com"')));
  });

  // §3.3 Create user --------------------------------------------------------------------------

  it('§3.3 Entra create (tutorial body with meta and roles:[]) → 201 with id, meta and Location; GET reads it back', async () => {
    const { scim } = await entraJob(server());
    const userName = testUserName();
    const body = entraCreateBody(userName);
    const response = await scim.post('/Users', body);
    assert.equal(response.status, 201, response.text);
    assertScimJson(response);
    const user = response.body;
    assert.ok(user.id && typeof user.id === 'string');
    assert.equal(user.userName, userName);
    assert.equal(user.externalId, body.externalId);
    assert.equal(user.active, true);
    assert.deepEqual(user.emails, body.emails.map((e) => ({ value: e.value, type: e.type, primary: e.primary })));
    assert.deepEqual(user.name, body.name);
    assert.equal(user.meta.resourceType, 'User');
    assert.ok(!Number.isNaN(Date.parse(user.meta.created)));
    assert.ok(!Number.isNaN(Date.parse(user.meta.lastModified)));
    assert.equal(response.headers.get('location'), `${TEST_PUBLIC_URL}/scim/v2/Users/${user.id}`);
    assert.ok(user.schemas.includes(USER_SCHEMA));
    const read = await scim.get(`/Users/${user.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.userName, userName);
    assert.deepEqual(read.body.name, body.name);
  });

  it('§3.3 Entra create, old Example 2: null attributes, top-level department/manager and the "…2.0User" typo → 201, nulls and unknowns ignored', async () => {
    const { scim } = await entraJob(server());
    const response = await scim.post('/Users', {
      schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      externalId: 'jyoung',
      userName: 'jyoung@testuser.com',
      active: true,
      addresses: null,
      displayName: 'Joy Young',
      emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
      meta: { resourceType: 'User' },
      name: { familyName: 'Young', givenName: 'Joy' },
      phoneNumbers: null,
      preferredLanguage: null,
      title: null,
      department: null,
      manager: null,
    });
    assert.equal(response.status, 201, response.text);
    const user = response.body;
    assert.equal(user.userName, 'jyoung@testuser.com');
    assert.equal(user.displayName, 'Joy Young');
    assert.equal(user.active, true);
    for (const absent of ['addresses', 'phoneNumbers', 'preferredLanguage', 'title', 'department', 'manager']) {
      assert.ok(user[absent] === undefined || user[absent] === null, `${absent} is not invented`);
    }
    assert.equal(enterpriseOf(user), undefined);
    assert.ok(!user.schemas.includes('urn:ietf:params:scim:schemas:extension:enterprise:2.0User'), 'the misspelt URN is not echoed');
    // Stored in the format it was sent (§1): the email keeps its capital C.
    assert.equal((await scim.get(`/Users/${user.id}`)).body.emails[0].value, 'jyoung@Contoso.com');
  });

  it('§3.3 Entra create with "active":"True" as a string (Postman "Post emp1 with string True") → 201 and active: true', async () => {
    const { scim } = await entraJob(server());
    const response = await scim.post('/Users', { ...entraCreateBody(testUserName()), active: 'True' });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.active, true);
    assert.equal((await scim.get(`/Users/${response.body.id}`)).body.active, true);
  });

  it('§3.3 Entra create with "active":"False" creates a disabled user that GET still returns', async () => {
    const { scim } = await entraJob(server());
    const response = await scim.post('/Users', { ...entraCreateBody(testUserName()), active: 'False' });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.active, false);
    assert.equal((await scim.get(`/Users/${response.body.id}`)).body.active, false);
  });

  it('§3.3 Entra create with the enterprise manager as a plain string → read back as {"value": id}', async () => {
    const { scim } = await entraJob(server());
    const manager = await createUser(scim, entraCreateBody(testUserName()));
    const response = await scim.post('/Users', { ...entraCreateBody(testUserName()), [ENTERPRISE]: { manager: manager.id, department: 'Sales' } });
    assert.equal(response.status, 201, response.text);
    assert.deepEqual(enterpriseOf(response.body)?.['manager'], { value: manager.id });
    assert.ok(response.body.schemas.includes(ENTERPRISE));
    const read = await scim.get(`/Users/${response.body.id}`);
    assert.equal((enterpriseOf(read.body)?.['manager'] as { value: string }).value, manager.id);
    assert.equal(enterpriseOf(read.body)?.['department'], 'Sales');
  });

  it('§3.3/§5 Entra duplicate create ("POST of duplicate User should fail") → 409 uniqueness with a detail, also for another letter case', async () => {
    const { scim } = await entraJob(server());
    const userName = testUserName();
    await createUser(scim, entraCreateBody(userName));
    assertScimError(await scim.post('/Users', entraCreateBody(userName)), 409, 'uniqueness');
    assertScimError(await scim.post('/Users', entraCreateBody(userName.toUpperCase())), 409, 'uniqueness');
    assert.equal((await scim.get(usersFilter(`userName eq "${userName}"`))).body.totalResults, 1);
  });

  it('§3.3 Entra/Postman: externalId is not unique (emp1/emp2/emp3 share one externalId, all 201)', async () => {
    const { scim } = await entraJob(server());
    const externalId = randomUUID();
    for (const n of [1, 2, 3]) {
      const response = await scim.post('/Users', { ...entraCreateBody(`emp${n}@testuser.com`), externalId });
      assert.equal(response.status, 201, response.text);
    }
    assert.equal((await scim.get(usersFilter(`externalId eq "${externalId}"`))).body.totalResults, 3);
  });

  it('§3.3 Postman: a create without userName → 400, junk JSON → 400 invalidSyntax, nothing created', async () => {
    const { scim } = await entraJob(server());
    const { userName: _userName, ...withoutUserName } = entraCreateBody('x@testuser.com');
    assertScimError(await scim.post('/Users', withoutUserName), 400);
    assertScimError(await scim.send('POST', '/Users', { rawBody: '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": ', headers: { 'content-type': 'application/scim+json' } }), 400, 'invalidSyntax');
    assert.equal((await scim.get('/Users')).body.totalResults, 0);
  });

  it('§1/§3.3 Postman emp1: two work emails in one create → 400 invalidValue (type values must be unique), nothing created', async () => {
    const { scim } = await entraJob(server());
    const response = await scim.post('/Users', {
      ...entraCreateBody('emp1@testuser.com'),
      emails: [
        { type: 'work', value: 'emp1@contoso.com', primary: true },
        { type: 'Work', value: 'emp1.alias@contoso.com' },
      ],
    });
    // Accepting it would leave a user whose work email Entra's PATCH can never update again.
    assertScimError(response, 400, 'invalidValue');
    assert.match(response.body.detail, /emails/);
    assertEmptyList(await scim.get(usersFilter('userName eq "emp1@testuser.com"')));
  });

  it('§1 a PUT repeating a type value → 400 invalidValue and the stored user is unchanged', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, entraCreateBody('emp1@testuser.com'));
    const response = await scim.put(`/Users/${created.id}`, {
      ...entraCreateBody('emp1@testuser.com'),
      displayName: 'Changed',
      emails: [
        { type: 'work', value: 'a@contoso.com' },
        { type: 'work', value: 'b@contoso.com' },
      ],
    });
    assertScimError(response, 400, 'invalidValue');
    const read = await scim.get(`/Users/${created.id}`);
    assert.deepEqual(read.body.emails, created.emails);
    assert.equal(read.body.displayName, undefined);
    assert.equal(read.body.meta.version, created.meta.version);
  });

  it('§3.3 Entra create with the roles array of the AppRoleAssignmentsComplex mapping → 201 with the role', async () => {
    const { scim } = await entraJob(server());
    const roles = [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }];
    const response = await scim.post('/Users', { ...entraCreateBody(testUserName()), roles });
    assert.equal(response.status, 201, response.text);
    assert.deepEqual((await scim.get(`/Users/${response.body.id}`)).body.roles, [{ value: 'Admin', type: 'WindowsAzureActiveDirectoryRole', primary: false }]);
  });

  // Phone numbers: Entra writes whatever the directory holds; Roster's rule is strict (domain.md §4).

  it('§1 Entra "store values in the format sent": a +41 441234567 phone number reads back exactly as sent', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, { ...entraCreateBody(testUserName()), phoneNumbers: [{ value: '+41 441234567', type: 'work' }] });
    assert.deepEqual((await scim.get(`/Users/${created.id}`)).body.phoneNumbers, [{ value: '+41 441234567', type: 'work' }]);
  });

  it('§1 Entra sample phone "555-555-5555" is refused with 400 invalidValue quoting the format; no user is created', async () => {
    const { scim } = await entraJob(server());
    const userName = testUserName();
    const response = await scim.post('/Users', { ...entraCreateBody(userName), phoneNumbers: [{ value: '555-555-5555', type: 'work', primary: true }] });
    assertScimError(response, 400, 'invalidValue');
    assert.match(response.body.detail, /<country_prefix> <telephone_number>/);
    assert.match(response.body.detail, /\+41 441234567/);
    assertEmptyList(await scim.get(usersFilter(`userName eq "${userName}"`)));
  });

  // §3.4 Get user -----------------------------------------------------------------------------

  it('§3.4 Entra GET /Users/{id} → 200 with id, userName and boolean active', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, entraCreateBody(testUserName()));
    const response = await scim.get(`/Users/${created.id}`);
    assert.equal(response.status, 200);
    assertScimJson(response);
    assert.equal(response.body.id, created.id);
    assert.equal(response.body.userName, created.userName);
    assert.equal(response.body.active, true);
    assert.equal(response.headers.get('etag'), response.body.meta.version);
  });

  it('§3.4 Entra GET of an unknown id → 404 with the Error schema and status "404"', async () => {
    const { scim } = await entraJob(server());
    assertScimError(await scim.get(`/Users/${randomUUID()}`), 404);
  });

  it("§3.4 another account's user id is indistinguishable from a missing one (404)", async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, entraCreateBody(testUserName()));
    const other = await entraJob(server());
    assertScimError(await other.scim.get(`/Users/${created.id}`), 404);
  });

  // §3.10 Delete user -------------------------------------------------------------------------

  it('§3.10 Entra DELETE /Users/{id} without body or content type → 204, then GET → 404 and the filter finds nothing', async () => {
    const { scim } = await entraJob(server());
    const userName = testUserName();
    const created = await createUser(scim, entraCreateBody(userName));
    const deleted = await scim.delete(`/Users/${created.id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    assertScimError(await scim.get(`/Users/${created.id}`), 404);
    assertEmptyList(await scim.get(usersFilter(`userName eq "${userName}"`)));
    // Decision 7: the userName is free again (Entra re-creates a hard-deleted user that returns).
    assert.notEqual((await createUser(scim, entraCreateBody(userName))).id, created.id);
  });

  it('§3.10 Entra DELETE of an unknown id → 404; a second DELETE of the same user → 404', async () => {
    const { scim } = await entraJob(server());
    assertScimError(await scim.delete(`/Users/${randomUUID()}`), 404);
    const created = await createUser(scim, entraCreateBody(testUserName()));
    assert.equal((await scim.delete(`/Users/${created.id}`)).status, 204);
    assertScimError(await scim.delete(`/Users/${created.id}`), 404);
  });

  it('§3.10 a DELETE frees the seat for the next create', async () => {
    const { scim } = await entraJob(server(), { seats: 1 });
    const first = await createUser(scim, entraCreateBody(testUserName()));
    assertScimError(await scim.post('/Users', entraCreateBody(testUserName())), 403);
    assert.equal((await scim.delete(`/Users/${first.id}`)).status, 204);
    await createUser(scim, entraCreateBody(testUserName()));
  });
});
