/**
 * RFC 7644 §3.5.2.1–3 semantics and the better-auth checklist (style.md §7 "Users and PATCH
 * semantics", "Groups" and the Entra items) as they apply to a pure engine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../json.js';
import { ENTERPRISE, GROUP_ID, USER_ID, enterpriseUser, memberIdsOf, minimalUser, patchGroup, patchUser, storedGroup, storedUser } from './test-fixtures.js';

const twoEmails = (): JsonObject =>
  storedUser({
    emails: [
      { value: 'work@example.com', type: 'work', primary: true },
      { value: 'home@example.com', type: 'home' },
    ],
  });

describe('add (RFC 7644 §3.5.2.1)', () => {
  it('appends to a multi-valued attribute', () => {
    const { resource } = patchUser(storedUser(), { op: 'add', path: 'emails', value: [{ value: 'home@example.com', type: 'home' }] });
    assert.deepEqual(resource['emails'], [
      { value: 'test.user@okta.local', type: 'work', primary: true },
      { value: 'home@example.com', type: 'home' },
    ]);
  });

  it('appending an identical email tuple is a no-op, whatever the letter case', () => {
    const user = storedUser();
    const { resource, changed } = patchUser(user, { op: 'add', path: 'emails', value: [{ value: 'TEST.user@okta.local', type: 'Work' }] });
    assert.equal(changed, false);
    assert.deepEqual(resource, user);
  });

  it('a newly appended explicit primary email becomes the only primary', () => {
    const { resource } = patchUser(storedUser(), { op: 'add', path: 'emails', value: [{ value: 'home@example.com', type: 'home', primary: true }] });
    assert.deepEqual(resource['emails'], [
      { value: 'test.user@okta.local', type: 'work', primary: false },
      { value: 'home@example.com', type: 'home', primary: true },
    ]);
  });

  it('merges the sub-attributes of a complex attribute and keeps the others', () => {
    const { resource } = patchUser(storedUser(), { op: 'add', path: 'name', value: { middleName: 'Q' } });
    assert.deepEqual(resource['name'], { familyName: 'User', givenName: 'Test', middleName: 'Q' });
  });

  it('a path-less add of a multi-valued attribute appends', () => {
    const { resource } = patchUser(storedUser(), { op: 'add', value: { phoneNumbers: [{ value: '555-555-5555', type: 'work' }] } });
    assert.deepEqual(resource['phoneNumbers'], [{ value: '555-555-5555', type: 'work' }]);
  });

  it('a single element for a multi-valued attribute is read as a list of one', () => {
    const { resource } = patchUser(minimalUser(), { op: 'add', path: 'emails', value: { value: 'a@example.com', type: 'work' } });
    assert.deepEqual(resource['emails'], [{ value: 'a@example.com', type: 'work' }]);
  });
});

describe('replace (RFC 7644 §3.5.2.3)', () => {
  it('replaces a whole multi-valued attribute without filter', () => {
    const { resource } = patchUser(twoEmails(), { op: 'replace', path: 'emails', value: [{ value: 'only@example.com', type: 'work' }] });
    assert.deepEqual(resource['emails'], [{ value: 'only@example.com', type: 'work' }]);
  });

  it('emails.value replace changes the value on every email (style.md §7)', () => {
    const { resource } = patchUser(
      storedUser({ emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'home' }] }),
      { op: 'replace', path: 'emails.value', value: 'same@example.com' },
    );
    assert.deepEqual(resource['emails'], [
      { value: 'same@example.com', type: 'work' },
      { value: 'same@example.com', type: 'home' },
    ]);
  });

  it('a missing work email is created by replace as well as by add', () => {
    const { resource } = patchUser(minimalUser(), { op: 'Replace', path: 'emails[type eq "work"].value', value: 'w@example.com' });
    assert.deepEqual(resource['emails'], [{ value: 'w@example.com', type: 'work' }]);
  });

  it('a filtered path that matches an element updates it in place, with no duplicate', () => {
    const { resource } = patchUser(twoEmails(), { op: 'replace', path: 'emails[type eq "home"].value', value: 'new-home@example.com' });
    assert.deepEqual(resource['emails'], [
      { value: 'work@example.com', type: 'work', primary: true },
      { value: 'new-home@example.com', type: 'home' },
    ]);
  });

  it('a filter without sub-attribute merges the value into the matching element', () => {
    const { resource } = patchUser(twoEmails(), { op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h@example.com', primary: true } });
    assert.deepEqual(resource['emails'], [
      { value: 'work@example.com', type: 'work', primary: false },
      { value: 'h@example.com', type: 'home', primary: true },
    ]);
  });

  it('patching one name part keeps the explicitly supplied formatted name and displayName', () => {
    const user = storedUser({ name: { formatted: 'Dr. Test User', familyName: 'User', givenName: 'Test' } });
    const { resource } = patchUser(user, { op: 'replace', path: 'name.givenName', value: 'Tess' });
    assert.deepEqual(resource['name'], { formatted: 'Dr. Test User', familyName: 'User', givenName: 'Tess' });
    assert.equal(resource['displayName'], 'Test User');
  });

  it('replace of a complex attribute sets the given sub-attributes; null clears one', () => {
    const { resource } = patchUser(storedUser(), { op: 'replace', path: 'name', value: { givenName: 'Tess', familyName: null } });
    assert.deepEqual(resource['name'], { givenName: 'Tess' });
  });

  it('ordered replacements of the same attribute: the last one wins', () => {
    const { resource } = patchUser(storedUser(), { op: 'Replace', path: 'displayName', value: 'First' }, { op: 'Replace', path: 'displayName', value: 'Second' });
    assert.equal(resource['displayName'], 'Second');
  });

  it('an extension URN path with an object value sets its attributes', () => {
    const { resource } = patchUser(storedUser(), { op: 'replace', path: ENTERPRISE, value: { department: 'R&D', costCenter: '4130' } });
    assert.deepEqual(resource[ENTERPRISE], { costCenter: '4130', department: 'R&D' });
  });

  it('a path-less value may hold the extension URN with an object value', () => {
    const { resource } = patchUser(storedUser(), { op: 'replace', value: { [ENTERPRISE]: { department: 'R&D' }, title: 'CTO' } });
    assert.deepEqual(resource[ENTERPRISE], { department: 'R&D' });
    assert.equal(resource['title'], 'CTO');
  });

  it('path-less keys are case-insensitive and stored under canonical names', () => {
    const { resource } = patchUser(storedUser(), { op: 'replace', value: { DISPLAYNAME: 'X', 'NAME.GIVENNAME': 'Y' } });
    assert.equal(resource['displayName'], 'X');
    assert.equal((resource['name'] as JsonObject)['givenName'], 'Y');
  });
});

describe('remove (RFC 7644 §3.5.2.2)', () => {
  it('a filtered remove drops the matching elements', () => {
    const { resource } = patchUser(twoEmails(), { op: 'remove', path: 'emails[type eq "home"]' });
    assert.deepEqual(resource['emails'], [{ value: 'work@example.com', type: 'work', primary: true }]);
  });

  it('a filtered remove that matches nothing is a no-op', () => {
    const { changed } = patchUser(storedUser(), { op: 'remove', path: 'emails[type eq "home"]' });
    assert.equal(changed, false);
  });

  it('operations leave elements they do not target as stored, even label-only ones', () => {
    const user = storedUser({ addresses: [{ type: 'work' }] });
    assert.equal(patchUser(user, { op: 'remove', path: 'addresses[type eq "home"]' }).changed, false);
    assert.deepEqual(patchUser(user, { op: 'add', path: 'addresses[type eq "home"].locality', value: 'Bern' }).resource['addresses'], [
      { type: 'work' },
      { locality: 'Bern', type: 'home' },
    ]);
  });

  it('removing a sub-attribute clears it', () => {
    const { resource } = patchUser(storedUser(), { op: 'remove', path: 'name.givenName' });
    assert.deepEqual(resource['name'], { familyName: 'User' });
  });

  it('removing a filtered sub-attribute clears it on the matching elements only', () => {
    const { resource } = patchUser(twoEmails(), { op: 'remove', path: 'emails[type eq "work"].primary' });
    assert.deepEqual(resource['emails'], [
      { value: 'work@example.com', type: 'work' },
      { value: 'home@example.com', type: 'home' },
    ]);
  });

  it('remove externalId clears it (Users and Groups)', () => {
    assert.equal('externalId' in patchUser(storedUser(), { op: 'remove', path: 'externalId' }).resource, false);
    assert.equal('externalId' in patchGroup(storedGroup(), { op: 'Remove', path: 'externalId' }).resource, false);
  });

  it('removing the last enterprise attribute removes the emptied extension and its schema URN', () => {
    const { resource } = patchUser(enterpriseUser({ manager: { value: 'mgr-1' } }), { op: 'remove', path: 'manager.value' });
    assert.equal(ENTERPRISE in resource, false);
    assert.deepEqual(resource['schemas'], ['urn:ietf:params:scim:schemas:core:2.0:User']);
  });

  it('removing the extension URN removes the whole extension', () => {
    const { resource } = patchUser(enterpriseUser({ department: 'Sales' }), { op: 'remove', path: ENTERPRISE });
    assert.equal(ENTERPRISE in resource, false);
  });

  it('removing a password is accepted and changes nothing (write-only, never stored)', () => {
    assert.equal(patchUser(storedUser(), { op: 'remove', path: 'password' }).changed, false);
  });
});

describe('primary (RFC 7643 §2.4)', () => {
  for (const attribute of ['emails', 'phoneNumbers', 'ims', 'photos', 'entitlements', 'roles', 'x509Certificates']) {
    it(`setting primary on one ${attribute} value demotes the others`, () => {
      const user = storedUser({ [attribute]: [{ value: 'a', type: 'work', primary: true }, { value: 'b', type: 'home' }] });
      const { resource } = patchUser(user, { op: 'replace', path: `${attribute}[value eq "b"].primary`, value: true });
      assert.deepEqual(resource[attribute], [
        { value: 'a', type: 'work', primary: false },
        { value: 'b', type: 'home', primary: true },
      ]);
    });
  }

  it('setting primary on an address demotes the other address', () => {
    const user = storedUser({ addresses: [{ locality: 'Bern', type: 'work', primary: true }, { locality: 'Zug', type: 'home' }] });
    const { resource } = patchUser(user, { op: 'replace', path: 'addresses[type eq "home"].primary', value: 'True' });
    assert.deepEqual(resource['addresses'], [
      { locality: 'Bern', type: 'work', primary: false },
      { locality: 'Zug', type: 'home', primary: true },
    ]);
  });

  it('emails[type eq "other"].value adds an email and leaves the existing primary email primary', () => {
    const { resource } = patchUser(storedUser(), { op: 'Add', path: 'emails[type eq "other"].value', value: 'o@example.com' });
    assert.deepEqual(resource['emails'], [
      { value: 'test.user@okta.local', type: 'work', primary: true },
      { value: 'o@example.com', type: 'other' },
    ]);
  });

  it('roles[primary eq "true"].value with no primary role creates one; exactly one is primary afterwards', () => {
    const user = storedUser({ roles: [{ value: 'Reader' }] });
    const { resource } = patchUser(user, { op: 'Add', path: 'roles[primary eq "true"].value', value: 'Admin' });
    const roles = resource['roles'] as JsonObject[];
    assert.deepEqual(roles, [{ value: 'Reader' }, { value: 'Admin', primary: true }]);
    assert.equal(roles.filter((r) => r['primary'] === true).length, 1);
  });

  it('roles[type eq "work"].value and entitlements[type eq "work"].value create the missing typed entries', () => {
    const { resource } = patchUser(
      minimalUser(),
      { op: 'Add', path: 'roles[type eq "work"].value', value: 'r' },
      { op: 'Add', path: 'entitlements[type eq "work"].value', value: 'e' },
    );
    assert.deepEqual(resource['roles'], [{ value: 'r', type: 'work' }]);
    assert.deepEqual(resource['entitlements'], [{ value: 'e', type: 'work' }]);
  });

  it('phoneNumbers[type eq "work"].value is created and the other operation is still applied', () => {
    const { resource } = patchUser(
      storedUser(),
      { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0100' },
      { op: 'Replace', path: 'name.familyName', value: 'Other' },
    );
    assert.deepEqual(resource['phoneNumbers'], [{ value: '+1 555 0100', type: 'work' }]);
    assert.equal((resource['name'] as JsonObject)['familyName'], 'Other');
  });

  it('addresses[type eq "work"].postalCode with no address creates {type: "work", postalCode}', () => {
    const { resource } = patchUser(minimalUser(), { op: 'Replace', path: 'addresses[type eq "work"].postalCode', value: '8001' });
    assert.deepEqual(resource['addresses'], [{ postalCode: '8001', type: 'work' }]);
  });
});

describe('change detection and purity (style.md §6 rule 9)', () => {
  it('a PATCH that changes nothing reports changed false and returns the resource identical, meta included', () => {
    const user = storedUser();
    const result = patchUser(
      user,
      { op: 'replace', path: 'userName', value: 'test.user@okta.local' },
      { op: 'replace', value: { id: USER_ID, active: true, password: 'x' } },
      { op: 'remove', path: 'title' },
    );
    assert.equal(result.changed, false);
    assert.deepEqual(result.resource, user);
  });

  it('replacing an empty list with nothing is not a change', () => {
    const group = storedGroup([], { members: [] });
    assert.equal(patchGroup(group, { op: 'replace', path: 'members', value: [] }).changed, false);
  });

  it('the result is a copy: changing it does not touch the input', () => {
    const user = storedUser();
    const { resource } = patchUser(user);
    (resource['name'] as JsonObject)['givenName'] = 'Changed';
    assert.equal((user['name'] as JsonObject)['givenName'], 'Test');
  });

  it('empty Operations is a no-op for Groups too', () => {
    const group = storedGroup(['a']);
    assert.deepEqual(patchGroup(group), { resource: group, changed: false });
  });

  it('a path-less replace containing the group id and displayName works', () => {
    const { resource } = patchGroup(storedGroup(), { op: 'replace', value: { id: GROUP_ID, displayName: 'Renamed' } });
    assert.equal(resource['displayName'], 'Renamed');
  });

  it('a path-less {members: […]} replace on a Group replaces the members', () => {
    const { resource } = patchGroup(storedGroup(['a', 'b']), { op: 'replace', value: { members: [{ value: 'c' }] } });
    assert.deepEqual(memberIdsOf(resource), ['c']);
  });

  it('a no-op PATCH leaves the stored schemas list alone, even when it lists an extension without data', () => {
    const user = storedUser({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE] });
    assert.equal(patchUser(user, { op: 'replace', value: { active: true } }).changed, false);
  });

  it('stored data with two work emails does not block a PATCH of something else', () => {
    const user = storedUser({ emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'work' }] });
    assert.equal(patchUser(user, { op: 'replace', path: 'title', value: 'CTO' }).resource['title'], 'CTO');
  });
});

describe('members (teams)', () => {
  it('a remove with a lone member object removes only that member, never the whole team', () => {
    const { resource } = patchGroup(storedGroup(['a', 'b']), { op: 'Remove', path: 'members', value: { value: 'a' } });
    assert.deepEqual(memberIdsOf(resource), ['b']);
  });

  it('a 50,000-member team: add, filtered remove and listed remove stay linear', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `user-${i}`);
    const group = storedGroup(ids);
    const started = performance.now();
    const { resource } = patchGroup(
      group,
      { op: 'add', path: 'members', value: [{ value: 'new-user' }, { value: 'user-7' }] },
      { op: 'remove', path: 'members[value eq "user-1"]' },
      { op: 'Remove', path: 'members', value: ids.slice(100, 20_100).map((value) => ({ value })) },
      { op: 'replace', path: 'members', value: ids.map((value) => ({ value })) },
      { op: 'add', path: 'members', value: ids.map((value) => ({ value })) },
    );
    const elapsed = performance.now() - started;
    assert.equal(memberIdsOf(resource).length, 50_000);
    assert.ok(elapsed < 5_000, `took ${Math.round(elapsed)} ms`);
  });
});
