/**
 * Microsoft Entra ID user updates replayed request by request: PATCH in default mode (§3.5),
 * and with the `aadOptscim062020` tenant-URL flag (§3.6) of entra-onelogin-jumpcloud.md.
 * Disable / re-enable and manager: entra-users-lifecycle.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { describeEachDatabase, TEST_PUBLIC_URL } from '../helpers/test-server.js';
import {
  assertEmptyList,
  assertScimError,
  createUser,
  ENTERPRISE,
  enterpriseOf,
  entraJob,
  patchOk,
  patchOp,
  provisionedUser,
  readUser,
  testUserName,
  typed,
  usersFilter,
} from './idp-flow-helpers.js';

const EMP = `${ENTERPRISE}:employeeNumber`;
const DEPARTMENT = `${ENTERPRISE}:department`;
const MANAGER = `${ENTERPRISE}:manager`;

describeEachDatabase('Microsoft Entra ID user PATCH flows', (server) => {
  // §3.5 default mode -------------------------------------------------------------------------

  it('§3.5 Entra default-mode PATCH: Replace emails[type eq "work"].value and name.familyName updates both', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(
      scim,
      user.id,
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    );
    const after = await readUser(scim, user.id);
    assert.deepEqual(after.emails, [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }]);
    assert.deepEqual(after.name, { familyName: 'updatedFamilyName', givenName: 'Joy' });
    const found = await scim.get(usersFilter('emails[type eq "work"].value eq "updatedEmail@microsoft.com"'));
    assert.deepEqual(found.body.Resources?.map((u: { id: string }) => u.id), [user.id]);
  });

  it('§3.5 Entra default-mode PATCH: Replace userName → 200; the new userName matches, the old one no longer does', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    const renamed = testUserName();
    const body = await patchOk(scim, user.id, { op: 'Replace', path: 'userName', value: renamed });
    assert.equal(body.userName, renamed);
    assert.equal((await scim.get(usersFilter(`userName eq "${renamed}"`))).body.totalResults, 1);
    assertEmptyList(await scim.get(usersFilter(`userName eq "${user.userName}"`)));
  });

  it('§3.5 Entra default-mode PATCH: one Replace per attribute (displayName, work email, givenName, familyName, externalId, enterprise employeeNumber)', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(
      scim,
      user.id,
      { op: 'Replace', path: 'displayName', value: 'Bjfe' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'bjfe@contoso.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Kkom' },
      { op: 'Replace', path: 'name.familyName', value: 'Unua' },
      { op: 'Replace', path: 'externalId', value: 'kkom' },
      { op: 'Replace', path: EMP, value: 'Aklq' },
    );
    // Logic-App SCIM_User_Update: GET must match every patched single-valued attribute.
    const after = await readUser(scim, user.id);
    assert.equal(after.displayName, 'Bjfe');
    assert.equal(typed(after, 'emails', 'work')?.['value'], 'bjfe@contoso.com');
    assert.deepEqual(after.name, { familyName: 'Unua', givenName: 'Kkom' });
    assert.equal(after.externalId, 'kkom');
    assert.equal(enterpriseOf(after)?.['employeeNumber'], 'Aklq');
    assert.ok(after.schemas.includes(ENTERPRISE));
    assert.equal((await scim.get(usersFilter('externalId eq "kkom"'))).body.Resources[0]?.id, user.id);
  });

  it('§3.5 Entra default-mode PATCH: Add nickName "Babs" (single-valued string)', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'Add', path: 'nickName', value: 'Babs' });
    assert.equal((await readUser(scim, user.id)).nickName, 'Babs');
  });

  it('§3.5 Entra field mix: Replace addresses[type eq "work"].formatted + Add enterprise department + Replace work email in one request', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(
      scim,
      user.id,
      { op: 'Replace', path: 'addresses[type eq "work"].formatted', value: '1 Main St, Springfield' },
      { op: 'Add', path: DEPARTMENT, value: 'Sales' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@contoso.com' },
    );
    const after = await readUser(scim, user.id);
    assert.equal(typed(after, 'addresses', 'work')?.['formatted'], '1 Main St, Springfield');
    assert.equal(enterpriseOf(after)?.['department'], 'Sales');
    assert.equal(typed(after, 'emails', 'work')?.['value'], 'new@contoso.com');
  });

  it('§3.5 Entra "Patch User - Add Attributes": Add emails[type eq "work"].value on a user without emails creates {type:"work", value}', async () => {
    const { scim } = await entraJob(server());
    const user = await createUser(scim, { userName: testUserName() });
    await patchOk(scim, user.id, { op: 'Add', path: 'emails[type eq "work"].value', value: 'created@contoso.com' });
    const after = await readUser(scim, user.id);
    assert.equal(after.emails.length, 1);
    assert.equal(typed(after, 'emails', 'work')?.['value'], 'created@contoso.com');
  });

  it('§3.5 Logic-App: addresses[type eq "work"].streetAddress|locality|region|postalCode|country patched one by one build one work address', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(
      scim,
      user.id,
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Microsoft Way' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
      { op: 'Add', path: 'addresses[type eq "work"].region', value: 'WA' },
      { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '98052' },
      { op: 'Add', path: 'addresses[type eq "work"].country', value: 'US' },
    );
    const after = await readUser(scim, user.id);
    assert.equal(after.addresses.length, 1);
    assert.deepEqual(after.addresses[0], { streetAddress: '1 Microsoft Way', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US', type: 'work' });
    await patchOk(scim, user.id, { op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: '2 Microsoft Way' });
    const replaced = await readUser(scim, user.id);
    assert.equal(replaced.addresses.length, 1);
    assert.equal(replaced.addresses[0].streetAddress, '2 Microsoft Way');
    assert.equal(replaced.addresses[0].locality, 'Redmond');
  });

  it('§3.5 Entra default-mode PATCH: Add phoneNumbers[type eq "mobile"].value "+41 791234567" creates the mobile number, stored as sent', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(
      scim,
      user.id,
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+41 791234567' },
      { op: 'Replace', path: 'name.familyName', value: 'Mobile' },
    );
    const after = await readUser(scim, user.id);
    assert.deepEqual(after.phoneNumbers, [{ value: '+41 791234567', type: 'mobile' }]);
    assert.equal(after.name.familyName, 'Mobile');
  });

  it('§3.5 Entra sample phone "555-555-5555" in a PATCH → 400 invalidValue quoting the format; no operation of the request is applied', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    const response = await scim.patch(
      `/Users/${user.id}`,
      patchOp(
        { op: 'Replace', path: 'name.familyName', value: 'Changed' },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '555-555-5555' },
      ),
    );
    assertScimError(response, 400, 'invalidValue');
    assert.match(response.body.detail, /\+41 441234567/);
    const after = await readUser(scim, user.id);
    assert.equal(after.name.familyName, 'Young');
    assert.equal(after.phoneNumbers, undefined);
    assert.equal(after.meta.version, user.meta.version);
  });

  it('§3.5 Entra roles (AppRoleAssignmentsComplex): Add roles with the role object as a JSON string inside value is stored as sent', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    const role = '{"id":"06b07648-ecfe-589f-9d2f-6d3e4b5f1ab4","value":"25","displayName":"Role1234"}';
    await patchOk(scim, user.id, { op: 'Add', path: 'roles', value: [{ value: role }] });
    assert.deepEqual((await readUser(scim, user.id)).roles, [{ value: role }]);
  });

  it('§3.5 Entra roles (AssertiveAppRoleAssignmentsComplex): replace roles with the full list replaces the previous roles', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim, { roles: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }] });
    await patchOk(scim, user.id, {
      op: 'replace',
      path: 'roles',
      value: [
        { primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Reader' },
        { primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Writer' },
      ],
    });
    assert.deepEqual((await readUser(scim, user.id)).roles.map((r: { value: string }) => r.value), ['Reader', 'Writer']);
  });

  it('§3.5 Entra SingleAppRoleAssignment: Add roles[primary eq "True"].value (string "True") creates one primary role', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'Add', path: 'roles[primary eq "True"].value', value: 'Admin' });
    const after = await readUser(scim, user.id);
    assert.deepEqual(after.roles, [{ value: 'Admin', primary: true }]);
    await patchOk(scim, user.id, { op: 'Replace', path: 'roles[primary eq "True"].value', value: 'Owner' });
    assert.deepEqual((await readUser(scim, user.id)).roles, [{ value: 'Owner', primary: true }]);
  });

  it('§3.5 value filter emails[primary eq true].value replaces the primary email in place', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'Replace', path: 'emails[primary eq true].value', value: 'primary@contoso.com' });
    assert.deepEqual((await readUser(scim, user.id)).emails, [{ value: 'primary@contoso.com', type: 'work', primary: true }]);
  });

  it('§5 Validator "Patch User - Replace Attributes": lower-case replace/add on emails[type eq "home"|"other"].value|display|primary in one body', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(
      scim,
      user.id,
      { op: 'replace', path: 'emails[type eq "home"].value', value: 'joy@home.example' },
      { op: 'replace', path: 'emails[type eq "home"].display', value: 'Home mail' },
      { op: 'replace', path: 'emails[type eq "home"].primary', value: false },
      { op: 'add', path: 'emails[type eq "other"].value', value: 'joy@other.example' },
      { op: 'add', path: 'emails[type eq "other"].primary', value: false },
    );
    const after = await readUser(scim, user.id);
    assert.deepEqual(typed(after, 'emails', 'home'), { value: 'joy@home.example', display: 'Home mail', type: 'home', primary: false });
    assert.deepEqual(typed(after, 'emails', 'other'), { value: 'joy@other.example', type: 'other', primary: false });
    assert.equal(typed(after, 'emails', 'work')?.['primary'], true, 'the work email stays primary');
  });

  it('§1 Entra: type values are unique — adding a second work email → 400 invalidValue and nothing changes', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    const response = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'Add', path: 'emails', value: [{ type: 'work', value: 'second@contoso.com' }] }));
    assertScimError(response, 400, 'invalidValue');
    assert.deepEqual((await readUser(scim, user.id)).emails, user.emails);
  });

  it('§3.5 Entra empty Operations [] is a no-op: 200, meta.version and lastModified unchanged', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    const body = await patchOk(scim, user.id);
    assert.equal(body.meta.version, user.meta.version);
    assert.equal(body.meta.lastModified, user.meta.lastModified);
  });

  it('§3.5 an Entra diff that repeats current values changes neither version nor lastModified', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    const body = await patchOk(scim, user.id, { op: 'Replace', path: 'displayName', value: 'Joy Young' }, { op: 'Replace', path: 'active', value: 'True' });
    assert.equal(body.meta.version, user.meta.version);
    assert.equal(body.meta.lastModified, user.meta.lastModified);
  });

  it('§3.5 Logic-App SCIM_Null_Update: replace with "" then with null clears each optional attribute', async () => {
    const { scim } = await entraJob(server());
    const manager = await provisionedUser(scim);
    const user = await provisionedUser(scim, {
      title: 'Chef',
      nickName: 'Joy',
      addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Zurich' }],
      [ENTERPRISE]: { department: 'Sales', employeeNumber: '42', manager: { value: manager.id } },
    });
    const paths = ['title', 'nickName', 'name.givenName', 'addresses[type eq "work"].streetAddress', DEPARTMENT, EMP];
    await patchOk(scim, user.id, ...paths.map((path) => ({ op: 'replace', path, value: '' })));
    let after = await readUser(scim, user.id);
    assert.equal(after.title, undefined);
    assert.equal(after.nickName, undefined);
    assert.equal(after.name.givenName, undefined);
    assert.equal(after.addresses[0].streetAddress, undefined);
    assert.equal(after.addresses[0].locality, 'Zurich');
    assert.equal(enterpriseOf(after)?.['department'], undefined);
    assert.equal(enterpriseOf(after)?.['employeeNumber'], undefined);
    await patchOk(scim, user.id, ...['displayName', 'addresses[type eq "work"].locality', MANAGER].map((path) => ({ op: 'replace', path, value: null })));
    after = await readUser(scim, user.id);
    assert.equal(after.displayName, undefined);
    assert.equal(after.addresses, undefined);
    assert.ok(enterpriseOf(after)?.['manager'] === undefined, 'manager cleared');
  });

  // §3.6 aadOptscim062020 ----------------------------------------------------------------------

  it('§3.6 Entra aadOptscim062020 mode: the flag on every request is ignored — test connection, create, match and GET', async () => {
    const { scim } = await entraJob(server(), { flag: true });
    assertEmptyList(await scim.get(usersFilter(`userName eq "${randomUUID()}"`)));
    const user = await provisionedUser(scim);
    const found = await scim.get(usersFilter(`userName eq "${user.userName}"`));
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.Resources.map((u: { id: string }) => u.id), [user.id]);
    const got = await scim.get(`/Users/${user.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.userName, user.userName);
    assert.equal(got.body.meta.location, `${TEST_PUBLIC_URL}/scim/v2/Users/${user.id}`);
  });

  it('§3.6 Entra aadOptscim062020 mode: disable with {"op":"replace","path":"active","value":false} (JSON boolean)', async () => {
    const { scim } = await entraJob(server(), { flag: true });
    const user = await provisionedUser(scim);
    const body = await patchOk(scim, user.id, { op: 'replace', path: 'active', value: false });
    assert.equal(body.active, false);
    assert.equal((await readUser(scim, user.id)).active, false);
    assert.equal((await patchOk(scim, user.id, { op: 'replace', path: 'active', value: true })).active, true);
  });

  it('§3.6 Entra aadOptscim062020 mode: lower-case add nickName', async () => {
    const { scim } = await entraJob(server(), { flag: true });
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'add', path: 'nickName', value: 'Babs' });
    assert.equal((await readUser(scim, user.id)).nickName, 'Babs');
  });

  it('§3.6 Entra aadOptscim062020 mode: work email replace plus one path-less replace with dotted and URN-qualified keys', async () => {
    const { scim } = await entraJob(server(), { flag: true });
    const user = await provisionedUser(scim);
    await patchOk(
      scim,
      user.id,
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'bjfe@contoso.com' },
      { op: 'replace', value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [EMP]: 'Aklq' } },
    );
    const after = await readUser(scim, user.id);
    assert.equal(after.displayName, 'Bjfe');
    assert.deepEqual(after.name, { familyName: 'Unua', givenName: 'Kkom' });
    assert.equal(enterpriseOf(after)?.['employeeNumber'], 'Aklq');
    assert.deepEqual(after.emails, [{ value: 'bjfe@contoso.com', type: 'work', primary: true }]);
  });

  it('§3.6 Entra default mode: the same path-less Replace with dotted and URN keys works without the flag', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'Replace', value: { 'name.givenName': 'Kkom', [DEPARTMENT]: 'R&D', active: 'True' } });
    const after = await readUser(scim, user.id);
    assert.equal(after.name.givenName, 'Kkom');
    assert.equal(after.name.familyName, 'Young');
    assert.equal(enterpriseOf(after)?.['department'], 'R&D');
    assert.equal(after.active, true);
  });

  it('§3.6/§3.10 Entra aadOptscim062020 mode: DELETE with the flag → 204, then GET → 404', async () => {
    const { scim } = await entraJob(server(), { flag: true });
    const user = await provisionedUser(scim);
    assert.equal((await scim.delete(`/Users/${user.id}`)).status, 204);
    assertScimError(await scim.get(`/Users/${user.id}`), 404);
  });
});
