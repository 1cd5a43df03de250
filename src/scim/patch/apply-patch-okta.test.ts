/** Every PATCH body in okta.md, transcribed, applied by the engine. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUP_ID, memberIdsOf, patchGroup, patchUser, storedGroup, storedUser } from './test-fixtures.js';

const OLD_MEMBER = '89bb1940-b905-4575-9e7f-6f887cfb368e';
const NEW_MEMBER = '23a35c27-23d3-4c03-b4c5-6443c09e7173';

describe('Okta user PATCH (okta.md §6, §11)', () => {
  it('§6 deactivation: path-less {"op":"replace","value":{"active":false}} sets active false', () => {
    const { resource, changed } = patchUser(storedUser(), { op: 'replace', value: { active: false } });
    assert.equal(changed, true);
    assert.equal(resource['active'], false);
    assert.equal(resource['userName'], 'test.user@okta.local');
  });

  it('§6 reactivation: the same body with active true keeps id and profile', () => {
    const inactive = storedUser({ active: false });
    const { resource, changed } = patchUser(inactive, { op: 'replace', value: { active: true } });
    assert.equal(changed, true);
    assert.deepEqual(resource, { ...inactive, active: true });
  });

  it('§6 deactivating an already inactive user is an unchanged no-op (no lastModified bump)', () => {
    const inactive = storedUser({ active: false });
    const { resource, changed } = patchUser(inactive, { op: 'replace', value: { active: false } });
    assert.equal(changed, false);
    assert.deepEqual(resource, inactive);
  });

  it('§6 password sync {"op":"replace","value":{"password":"…"}} is accepted and never stored', () => {
    const { resource, changed } = patchUser(storedUser(), { op: 'replace', value: { password: '1mz050nq' } });
    assert.equal(changed, false);
    assert.equal('password' in resource, false);
  });

  it('§11 SPEC2023: PATCH {"op":"replace","value":{"active":false}} answers with active false', () => {
    const { resource } = patchUser(storedUser(), { op: 'replace', value: { active: false } });
    assert.equal(resource['active'], false);
  });
});

describe('Okta group PATCH (okta.md §7)', () => {
  it('§7.3 rename: path-less replace {id, displayName} renames and ignores the echoed id', () => {
    const group = storedGroup([OLD_MEMBER]);
    const { resource, changed } = patchGroup(group, { op: 'replace', value: { id: GROUP_ID, displayName: 'New Name' } });
    assert.equal(changed, true);
    assert.equal(resource['displayName'], 'New Name');
    assert.equal(resource['id'], GROUP_ID);
  });

  it('§7.3 a path-less replace without members does not touch membership', () => {
    const group = storedGroup([OLD_MEMBER, NEW_MEMBER]);
    const { resource } = patchGroup(group, { op: 'replace', value: { id: GROUP_ID, displayName: 'New Name' } });
    assert.deepEqual(resource['members'], group['members']);
  });

  it('§7.3 the rename sent alongside every membership change, with the same name, changes nothing', () => {
    const group = storedGroup([OLD_MEMBER]);
    const { changed } = patchGroup(group, { op: 'replace', value: { id: GROUP_ID, displayName: 'Test SCIMv2' } });
    assert.equal(changed, false);
  });

  it('§7.4 membership: remove members[value eq "…"] then add [{value, display}] in one request', () => {
    const group = storedGroup([OLD_MEMBER, 'other-member']);
    const { resource } = patchGroup(
      group,
      { op: 'remove', path: `members[value eq "${OLD_MEMBER}"]` },
      { op: 'add', path: 'members', value: [{ value: NEW_MEMBER, display: 'test.user@okta.local' }] },
    );
    assert.deepEqual(memberIdsOf(resource), ['other-member', NEW_MEMBER]);
  });

  it('§7.4 add appends (it must not replace existing members) and members carry no type', () => {
    const { resource } = patchGroup(storedGroup(['a', 'b']), { op: 'add', path: 'members', value: [{ value: 'c' }] });
    assert.deepEqual(memberIdsOf(resource), ['a', 'b', 'c']);
  });

  it('§7.4 adding an existing member is idempotent', () => {
    const group = storedGroup(['a']);
    const { changed } = patchGroup(group, { op: 'add', path: 'members', value: [{ value: 'a', display: 'a@example.com' }] });
    assert.equal(changed, false);
  });

  it('§7.4 remove members[value eq "id"] removes only that member', () => {
    const { resource } = patchGroup(storedGroup(['a', 'b', 'c']), { op: 'remove', path: 'members[value eq "b"]' });
    assert.deepEqual(memberIdsOf(resource), ['a', 'c']);
  });

  it('§7.4 operations apply in order: remove then re-add the same member keeps it', () => {
    const { resource } = patchGroup(storedGroup(['a']), { op: 'remove', path: 'members[value eq "a"]' }, { op: 'add', path: 'members', value: [{ value: 'a' }] });
    assert.deepEqual(memberIdsOf(resource), ['a']);
  });

  it('§7.4 Push Now: replace members with the full list', () => {
    const { resource } = patchGroup(storedGroup(['a', 'b']), { op: 'replace', path: 'members', value: [{ value: 'b' }, { value: 'c' }] });
    assert.deepEqual(memberIdsOf(resource), ['b', 'c']);
  });

  it('§7.4 Push Now for an empty Okta group: replace members with [] empties the team', () => {
    const { resource, changed } = patchGroup(storedGroup(['a', 'b']), { op: 'replace', path: 'members', value: [] });
    assert.equal(changed, true);
    assert.deepEqual(memberIdsOf(resource), []);
  });

  it('§11 SPEC2023: remove the only member leaves members empty, then adding it back restores it', () => {
    const emptied = patchGroup(storedGroup([NEW_MEMBER]), { op: 'remove', path: `members[value eq "${NEW_MEMBER}"]` }).resource;
    assert.deepEqual(memberIdsOf(emptied), []);
    const refilled = patchGroup(emptied, { op: 'add', path: 'members', value: [{ value: NEW_MEMBER, display: 'x' }] }).resource;
    assert.deepEqual(memberIdsOf(refilled), [NEW_MEMBER]);
  });

  it('schema-qualified urn:…:core:2.0:Group:members add (style.md §7 Groups, Okta shapes)', () => {
    const { resource } = patchGroup(storedGroup(['a']), { op: 'add', path: 'urn:ietf:params:scim:schemas:core:2.0:Group:members', value: [{ value: 'b' }] });
    assert.deepEqual(memberIdsOf(resource), ['a', 'b']);
  });
});
