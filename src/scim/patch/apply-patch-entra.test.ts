/** Every PATCH body in entra-onelogin-jumpcloud.md, transcribed, applied by the engine. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../json.js';
import { ENTERPRISE, enterpriseUser, memberIdsOf, minimalUser, patchGroup, patchUser, storedGroup, storedUser } from './test-fixtures.js';

const ext = (resource: JsonObject): JsonObject | undefined => resource[ENTERPRISE] as JsonObject | undefined;

describe('Entra user PATCH, default mode (entra-onelogin-jumpcloud.md §3.5)', () => {
  it('§3.5 multi-valued: Replace emails[type eq "work"].value and name.familyName', () => {
    const { resource } = patchUser(
      storedUser(),
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    );
    assert.deepEqual(resource['emails'], [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }]);
    assert.deepEqual(resource['name'], { familyName: 'updatedFamilyName', givenName: 'Test' });
  });

  it('§3.5 single-valued: Replace userName', () => {
    const { resource } = patchUser(storedUser(), { op: 'Replace', path: 'userName', value: 'Test_User_00aa@testuser.com' });
    assert.equal(resource['userName'], 'Test_User_00aa@testuser.com');
  });

  it('§3.5 replace several attributes, one Replace op per attribute (MS-COMPAT)', () => {
    const { resource } = patchUser(
      storedUser(),
      { op: 'Replace', path: 'displayName', value: 'Bjfe' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'bjfe@example.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Kkom' },
      { op: 'Replace', path: 'name.familyName', value: 'Unua' },
      { op: 'Replace', path: 'externalId', value: 'jyoung' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Aklq' },
    );
    assert.equal(resource['displayName'], 'Bjfe');
    assert.deepEqual(resource['name'], { familyName: 'Unua', givenName: 'Kkom' });
    assert.equal(resource['externalId'], 'jyoung');
    assert.deepEqual(ext(resource), { employeeNumber: 'Aklq' });
    assert.deepEqual(resource['schemas'], ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
  });

  it('§3.5 Add a single-valued string: {"op":"Add","path":"nickName","value":"Babs"}', () => {
    assert.equal(patchUser(storedUser(), { op: 'Add', path: 'nickName', value: 'Babs' }).resource['nickName'], 'Babs');
  });

  it('§3.5 field mix: Replace addresses[type eq "work"].formatted, Add …enterprise:2.0:User:department, Replace work email', () => {
    const { resource } = patchUser(
      storedUser(),
      { op: 'Replace', path: 'addresses[type eq "work"].formatted', value: '1 Main St, Springfield' },
      { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Sales' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' },
    );
    assert.deepEqual(resource['addresses'], [{ formatted: '1 Main St, Springfield', type: 'work' }]);
    assert.deepEqual(ext(resource), { department: 'Sales' });
    assert.equal((resource['emails'] as JsonObject[])[0]?.['value'], 'new@example.com');
  });

  it('§3.5 Add emails[type eq "work"].value on a user without emails creates {type:"work", value}', () => {
    const { resource } = patchUser(minimalUser(), { op: 'Add', path: 'emails[type eq "work"].value', value: 'a@example.com' });
    assert.deepEqual(resource['emails'], [{ value: 'a@example.com', type: 'work' }]);
  });

  it('§3.5 Add phoneNumbers[type eq "mobile"].value on a user without phones creates the mobile number', () => {
    const { resource } = patchUser(minimalUser(), { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+41 791234567' });
    assert.deepEqual(resource['phoneNumbers'], [{ value: '+41 791234567', type: 'mobile' }]);
  });

  it('§3.5 Logic-App validator: address sub-attributes patched one by one build one work address', () => {
    const { resource } = patchUser(
      minimalUser(),
      { op: 'add', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'add', path: 'addresses[type eq "work"].locality', value: 'Springfield' },
      { op: 'add', path: 'addresses[type eq "work"].region', value: 'IL' },
      { op: 'add', path: 'addresses[type eq "work"].postalCode', value: '62701' },
      { op: 'add', path: 'addresses[type eq "work"].country', value: 'US' },
    );
    assert.deepEqual(resource['addresses'], [{ streetAddress: '1 Main St', locality: 'Springfield', region: 'IL', postalCode: '62701', country: 'US', type: 'work' }]);
  });

  it('§3.5 roles (AppRoleAssignmentsComplex): Add roles with the role object as a JSON string value', () => {
    const role = '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}';
    const { resource } = patchUser(storedUser(), { op: 'Add', path: 'roles', value: [{ value: role }] });
    assert.deepEqual(resource['roles'], [{ value: role }]);
  });

  it('§3.5 roles (Assertive variant): replace roles with the full list', () => {
    const user = storedUser({ roles: [{ value: 'Old', type: 'WindowsAzureActiveDirectoryRole' }] });
    const { resource } = patchUser(user, { op: 'replace', path: 'roles', value: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }] });
    assert.deepEqual(resource['roles'], [{ value: 'Admin', type: 'WindowsAzureActiveDirectoryRole', primary: false }]);
  });

  it('§3.5 roles[primary eq "True"].value (SingleAppRoleAssignment) creates one primary role', () => {
    const { resource } = patchUser(storedUser(), { op: 'Add', path: 'roles[primary eq "True"].value', value: 'Admin' });
    assert.deepEqual(resource['roles'], [{ value: 'Admin', primary: true }]);
  });

  it('§3.5 emails[primary eq true].value updates the primary email in place', () => {
    const { resource } = patchUser(storedUser(), { op: 'replace', path: 'emails[primary eq true].value', value: 'p@example.com' });
    assert.deepEqual(resource['emails'], [{ value: 'p@example.com', type: 'work', primary: true }]);
  });

  it('§3.5 an empty Operations list is a no-op', () => {
    const user = storedUser();
    assert.deepEqual(patchUser(user), { resource: user, changed: false });
  });

  it('§3.5 clearing: replace with "" and then with null leaves the attribute absent', () => {
    const user = storedUser({ title: 'Engineer', nickName: 'Babs' });
    const { resource } = patchUser(user, { op: 'replace', path: 'title', value: '' }, { op: 'replace', path: 'nickName', value: null });
    assert.equal('title' in resource, false);
    assert.equal('nickName' in resource, false);
  });

  it('§3.5 clearing a work email value removes the emptied email', () => {
    const { resource } = patchUser(storedUser(), { op: 'replace', path: 'emails[type eq "work"].value', value: '' });
    assert.equal('emails' in resource, false);
  });
});

describe('Entra with and without aadOptscim062020 (entra-onelogin-jumpcloud.md §3.6, §3.7)', () => {
  it('§3.6 disable, default mode: {"op":"Replace","path":"active","value":"False"}', () => {
    assert.equal(patchUser(storedUser(), { op: 'Replace', path: 'active', value: 'False' }).resource['active'], false);
  });

  it('§3.6 disable, flag mode: {"op":"replace","path":"active","value":false}', () => {
    assert.equal(patchUser(storedUser(), { op: 'replace', path: 'active', value: false }).resource['active'], false);
  });

  it('§3.6 field reports: lower-case "false"', () => {
    assert.equal(patchUser(storedUser(), { op: 'Replace', path: 'active', value: 'false' }).resource['active'], false);
  });

  it('§3.7 re-enable with "True"', () => {
    assert.equal(patchUser(storedUser({ active: false }), { op: 'Replace', path: 'active', value: 'True' }).resource['active'], true);
  });

  it('§3.6 flag mode: Add nickName in lower case', () => {
    assert.equal(patchUser(storedUser(), { op: 'add', path: 'nickName', value: 'Babs' }).resource['nickName'], 'Babs');
  });

  it('§3.6 flag mode: work email replace plus one path-less op with dotted and URN-qualified keys', () => {
    const { resource } = patchUser(
      storedUser(),
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'bjfe@example.com' },
      {
        op: 'replace',
        value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${ENTERPRISE}:employeeNumber`]: 'Aklq' },
      },
    );
    assert.equal(resource['displayName'], 'Bjfe');
    assert.deepEqual(resource['name'], { familyName: 'Unua', givenName: 'Kkom' });
    assert.deepEqual(ext(resource), { employeeNumber: 'Aklq' });
    assert.deepEqual(resource['emails'], [{ value: 'bjfe@example.com', type: 'work', primary: true }]);
  });

  it('§3.6 default mode: Remove members with a value list removes only the listed member', () => {
    const { resource } = patchGroup(storedGroup(['u1091', 'u2000']), { op: 'Remove', path: 'members', value: [{ value: 'u1091' }] });
    assert.deepEqual(memberIdsOf(resource), ['u2000']);
  });

  it('§3.6 flag mode: remove members[value eq "…"]', () => {
    const id = '7f4bc1a3-285e-48ae-8202-5accb43efb0e';
    const { resource } = patchGroup(storedGroup([id, 'u2000']), { op: 'remove', path: `members[value eq "${id}"]` });
    assert.deepEqual(memberIdsOf(resource), ['u2000']);
  });
});

describe('Entra manager (entra-onelogin-jumpcloud.md §3.8)', () => {
  const managerOf = (resource: JsonObject): unknown => ext(resource)?.['manager'];

  it('§3.8 tutorial Example 5: Add path "manager" with [{"$ref", "value"}]', () => {
    const { resource } = patchUser(storedUser(), { op: 'Add', path: 'manager', value: [{ $ref: 'http://example.com/scim/Users/26118915-6090-4610-87e4-49d8ca9f808d', value: '26118915-6090-4610-87e4-49d8ca9f808d' }] });
    assert.deepEqual(managerOf(resource), { value: '26118915-6090-4610-87e4-49d8ca9f808d', $ref: 'http://example.com/scim/Users/26118915-6090-4610-87e4-49d8ca9f808d' });
  });

  it('§3.8 URN path with a plain string id is stored as {"value": id}', () => {
    const { resource } = patchUser(storedUser(), { op: 'Add', path: `${ENTERPRISE}:manager`, value: 'mgr-1' });
    assert.deepEqual(managerOf(resource), { value: 'mgr-1' });
  });

  it('§3.8 SCIM_Update_Manager_Test: set, change, then clear with ""', () => {
    const set = patchUser(storedUser(), { op: 'Add', path: `${ENTERPRISE}:manager`, value: 'mgr-1' }).resource;
    const changed = patchUser(set, { op: 'replace', path: `${ENTERPRISE}:manager`, value: 'mgr-2' }).resource;
    assert.deepEqual(managerOf(changed), { value: 'mgr-2' });
    const cleared = patchUser(changed, { op: 'replace', path: `${ENTERPRISE}:manager`, value: '' }).resource;
    assert.equal(managerOf(cleared), undefined);
    assert.equal(ENTERPRISE in cleared, false, 'the emptied extension is removed');
    assert.deepEqual(cleared['schemas'], ['urn:ietf:params:scim:schemas:core:2.0:User']);
  });

  it('a changed manager drops the old $ref and displayName (a reference is replaced whole)', () => {
    const user = enterpriseUser({ manager: { value: 'mgr-1', $ref: 'https://x/Users/mgr-1', displayName: 'Old Boss' } });
    const { resource } = patchUser(user, { op: 'replace', path: 'manager', value: { value: 'mgr-2' } });
    assert.deepEqual(managerOf(resource), { value: 'mgr-2' });
  });

  it('manager sent as {"value": id} with a client displayName: displayName is dropped, never stored', () => {
    const { resource } = patchUser(storedUser(), { op: 'replace', path: 'manager', value: { value: 'mgr-1', displayName: 'Boss' } });
    assert.deepEqual(managerOf(resource), { value: 'mgr-1' });
  });

  it('manager null clears it; the department stays', () => {
    const user = enterpriseUser({ department: 'Sales', manager: { value: 'mgr-1' } });
    const { resource } = patchUser(user, { op: 'replace', path: 'manager', value: null });
    assert.deepEqual(ext(resource), { department: 'Sales' });
  });
});

describe('Entra groups (entra-onelogin-jumpcloud.md §3.9, §5) and OneLogin/JumpCloud (§7)', () => {
  it('§3.9 Add members with "$ref": null', () => {
    const { resource } = patchGroup(storedGroup(), { op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] });
    assert.deepEqual(resource['members'], [{ value: 'f648f8d5ea4e4cd38e9c' }]);
  });

  it('§3.9 Remove members with [{"$ref": null, "value": …}] removes only the listed members', () => {
    const { resource } = patchGroup(storedGroup(['a', 'b', 'c']), { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'a' }, { $ref: null, value: 'c' }] });
    assert.deepEqual(memberIdsOf(resource), ['b']);
  });

  it('§3.9 rename: {"op":"Replace","path":"displayName","value":"…updatedDisplayName"}', () => {
    assert.equal(patchGroup(storedGroup(), { op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }).resource['displayName'], '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
  });

  it('§5 Postman: {"op":"remove","path":"members"} without value empties the group', () => {
    const { resource, changed } = patchGroup(storedGroup(['a', 'b']), { op: 'remove', path: 'members' });
    assert.equal(changed, true);
    assert.deepEqual(memberIdsOf(resource), []);
  });

  it('style.md §7 Groups: Replace with array-wrapped displayName and externalId values', () => {
    const { resource } = patchGroup(
      storedGroup(),
      { op: 'Replace', path: 'displayName', value: [{ value: 'Renamed' }] },
      { op: 'Replace', path: 'externalId', value: ['ext-2'] },
    );
    assert.equal(resource['displayName'], 'Renamed');
    assert.equal(resource['externalId'], 'ext-2');
  });

  it('§5 Validator "replace attributes": lower-case replace/add on home and other email value, display, primary', () => {
    const { resource } = patchUser(
      storedUser(),
      { op: 'replace', path: 'emails[type eq "home"].value', value: 'home@example.com' },
      { op: 'replace', path: 'emails[type eq "home"].display', value: 'Home' },
      { op: 'add', path: 'emails[type eq "other"].value', value: 'other@example.com' },
      { op: 'add', path: 'emails[type eq "other"].primary', value: true },
    );
    assert.deepEqual(resource['emails'], [
      { value: 'test.user@okta.local', type: 'work', primary: false },
      { value: 'home@example.com', display: 'Home', type: 'home' },
      { value: 'other@example.com', type: 'other', primary: true },
    ]);
  });

  it('§7.1 OneLogin: lower-case "add" on members; active as the string "true"', () => {
    assert.deepEqual(memberIdsOf(patchGroup(storedGroup(), { op: 'add', path: 'members', value: [{ value: 'u1' }] }).resource), ['u1']);
    assert.equal(patchUser(storedUser({ active: false }), { op: 'replace', path: 'active', value: 'true' }).resource['active'], true);
  });

  it('§7.2 JumpCloud repeats add-member operations: the second add is a no-op', () => {
    const once = patchGroup(storedGroup(), { op: 'add', path: 'members', value: [{ value: 'u1' }] }).resource;
    assert.equal(patchGroup(once, { op: 'add', path: 'members', value: [{ value: 'u1' }] }).changed, false);
  });
});
