/** Rejected PATCH requests: each asserts status, scimType, a usable detail and an untouched input. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScimType } from '../errors.js';
import type { JsonObject } from '../json.js';
import { groupResourceType, userResourceType } from '../schemas/registry.js';
import { applyPatch } from './apply-patch.js';
import { ENTERPRISE, assertScimError, enterpriseUser, patchBody, storedGroup, storedUser } from './test-fixtures.js';

interface Case {
  readonly name: string;
  readonly ops: unknown[];
  readonly scimType: ScimType;
  readonly group?: boolean;
  readonly resource?: () => JsonObject;
}

const cases: Case[] = [
  // RFC 7643 §2.2 read-only attributes.
  { name: 'replace id', ops: [{ op: 'replace', path: 'id', value: 'other' }], scimType: 'mutability' },
  { name: 'remove id', ops: [{ op: 'remove', path: 'id' }], scimType: 'mutability' },
  { name: 'a path-less value with a different id', ops: [{ op: 'replace', value: { id: 'someone-else', active: false } }], scimType: 'mutability' },
  { name: 'a path-less value with a different group id', ops: [{ op: 'replace', value: { id: 'g2', displayName: 'X' } }], scimType: 'mutability', group: true },
  { name: 'replace meta', ops: [{ op: 'replace', path: 'meta', value: { version: 'W/"9"' } }], scimType: 'mutability' },
  { name: 'replace meta.lastModified', ops: [{ op: 'replace', path: 'meta.lastModified', value: '2030-01-01T00:00:00Z' }], scimType: 'mutability' },
  { name: 'a path-less value with meta', ops: [{ op: 'replace', value: { meta: { resourceType: 'User' } } }], scimType: 'mutability' },
  { name: 'add groups (change teams through /Groups)', ops: [{ op: 'add', path: 'groups', value: [{ value: 'g1' }] }], scimType: 'mutability' },
  { name: 'a path-less value with groups', ops: [{ op: 'replace', value: { groups: [] } }], scimType: 'mutability' },
  { name: 'replace manager.displayName by path', ops: [{ op: 'replace', path: 'manager.displayName', value: 'Boss' }], scimType: 'mutability' },
  { name: 'replace a member display by path', ops: [{ op: 'replace', path: 'members[value eq "a"].display', value: 'x' }], scimType: 'mutability', group: true },
  // RFC 7643 §2.2 immutable: a member's id is set once.
  { name: 'replace a member value in place', ops: [{ op: 'replace', path: 'members[value eq "a"].value', value: 'b' }], scimType: 'mutability', group: true },
  // RFC 7644 §3.5.2.2 required attributes.
  { name: 'remove userName', ops: [{ op: 'remove', path: 'userName' }], scimType: 'mutability' },
  { name: 'remove the group displayName', ops: [{ op: 'Remove', path: 'displayName' }], scimType: 'mutability', group: true },
  { name: 'replace userName with ""', ops: [{ op: 'replace', path: 'userName', value: '' }], scimType: 'invalidValue' },
  { name: 'replace userName with null', ops: [{ op: 'replace', value: { userName: null } }], scimType: 'invalidValue' },
  // Unknown or malformed paths.
  { name: 'an unknown attribute path', ops: [{ op: 'add', path: 'favouriteColour', value: 'blue' }], scimType: 'invalidPath' },
  { name: 'an unknown path-less key', ops: [{ op: 'replace', value: { active: false, favouriteColour: 'blue' } }], scimType: 'invalidPath' },
  { name: 'an unknown sub-attribute path', ops: [{ op: 'replace', path: 'name.nickname', value: 'x' }], scimType: 'invalidPath' },
  { name: 'an unknown extension attribute', ops: [{ op: 'replace', path: `${ENTERPRISE}:shoeSize`, value: '42' }], scimType: 'invalidPath' },
  { name: 'whitespace inside a simple path', ops: [{ op: 'replace', path: 'name. givenName', value: 'x' }], scimType: 'invalidPath' },
  { name: 'a trailing empty path segment', ops: [{ op: 'replace', path: 'name.', value: 'x' }], scimType: 'invalidPath' },
  { name: 'an unbalanced value filter', ops: [{ op: 'replace', path: 'emails[type eq "work".value', value: 'x' }], scimType: 'invalidPath' },
  { name: 'a value filter on a single-valued attribute', ops: [{ op: 'replace', path: 'name[givenName eq "x"].familyName', value: 'x' }], scimType: 'invalidPath' },
  { name: 'a __proto__ path segment', ops: [{ op: 'add', path: '__proto__.polluted', value: 'x' }], scimType: 'invalidPath' },
  { name: 'the core schema URN as a path', ops: [{ op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User', value: { title: 'x' } }], scimType: 'invalidPath' },
  // Wrong value types.
  { name: 'userName as a number', ops: [{ op: 'replace', path: 'userName', value: 42 }], scimType: 'invalidValue' },
  { name: 'displayName as a list of two', ops: [{ op: 'replace', path: 'displayName', value: ['a', 'b'] }], scimType: 'invalidValue' },
  { name: 'name as a string', ops: [{ op: 'replace', path: 'name', value: 'Test User' }], scimType: 'invalidValue' },
  { name: 'name.givenName as a boolean', ops: [{ op: 'replace', path: 'name.givenName', value: true }], scimType: 'invalidValue' },
  { name: 'an email that is a bare string', ops: [{ op: 'add', path: 'emails', value: ['a@example.com'] }], scimType: 'invalidValue' },
  { name: 'an email value that is a number', ops: [{ op: 'add', path: 'emails', value: [{ value: 5 }] }], scimType: 'invalidValue' },
  { name: 'an unknown email sub-attribute', ops: [{ op: 'add', path: 'emails', value: [{ value: 'a@b.c', label: 'x' }] }], scimType: 'invalidValue' },
  { name: 'a sub-attribute value that is an object', ops: [{ op: 'replace', path: 'emails[type eq "work"].value', value: { value: 'a@b.c' } }], scimType: 'invalidValue' },
  { name: 'a path-less value that is not an object', ops: [{ op: 'replace', value: 'active=false' }], scimType: 'invalidValue' },
  { name: 'an extension value that is not an object', ops: [{ op: 'replace', path: ENTERPRISE, value: 'Sales' }], scimType: 'invalidValue' },
  // RFC 7643 §2.4 and Entra's one-value-per-type rule.
  { name: 'two primary emails in one list', ops: [{ op: 'replace', path: 'emails', value: [{ value: 'a@b.c', primary: true }, { value: 'd@e.f', primary: true }] }], scimType: 'invalidValue' },
  { name: 'a second work email by add', ops: [{ op: 'add', path: 'emails', value: [{ value: 'second@example.com', type: 'work' }] }], scimType: 'invalidValue' },
  { name: 'a second work email by path-less add', ops: [{ op: 'add', value: { emails: [{ value: 'second@example.com', type: 'WORK' }] } }], scimType: 'invalidValue' },
  { name: 'two work emails by replace', ops: [{ op: 'replace', path: 'emails', value: [{ value: 'a@b.c', type: 'work' }, { value: 'd@e.f', type: 'work' }] }], scimType: 'invalidValue' },
  { name: 'a filtered add that retypes home to work', ops: [{ op: 'add', path: 'emails', value: [{ value: 'h@example.com', type: 'home' }] }, { op: 'replace', path: 'emails[type eq "home"].type', value: 'work' }], scimType: 'invalidValue' },
  // RFC 7644 §3.5.2.3: nothing matches and the filter cannot describe a new element.
  { name: 'a non-eq filter that matches nothing', ops: [{ op: 'replace', path: 'emails[value co "nobody"].value', value: 'x@y.z' }], scimType: 'noTarget' },
  { name: 'an or filter that matches nothing', ops: [{ op: 'add', path: 'emails[type eq "home" or type eq "other"].value', value: 'x@y.z' }], scimType: 'noTarget' },
];

const booleanRejects: unknown[] = [' true', 'yes', '1', 'TRUE ', '', 1, 0, null, [], [true, false], {}, { value: true }];
for (const value of booleanRejects) {
  cases.push({ name: `active ${JSON.stringify(value)}`, ops: [{ op: 'replace', path: 'active', value }], scimType: 'invalidValue' });
}
for (const value of [' true', 'yes', '1', 1, [], {}]) {
  cases.push({ name: `primary ${JSON.stringify(value)}`, ops: [{ op: 'replace', path: 'emails[type eq "work"].primary', value }], scimType: 'invalidValue' });
}

describe('rejected PATCH requests (400, nothing applied, input untouched)', () => {
  for (const testCase of cases) {
    it(`${testCase.name} → 400 ${testCase.scimType}`, () => {
      const group = testCase.group === true;
      const resource = testCase.resource?.() ?? (group ? storedGroup(['a']) : enterpriseUser({ manager: { value: 'mgr-1' } }));
      const type = group ? groupResourceType : userResourceType;
      assertScimError(() => applyPatch(type, resource, patchBody(...testCase.ops)), 400, testCase.scimType, resource);
    });
  }

  it('atomic: a later failing operation discards an earlier normalised active change', () => {
    const user = storedUser();
    assertScimError(() => applyPatch(userResourceType, user, patchBody({ op: 'Replace', path: 'active', value: 'False' }, { op: 'replace', path: 'id', value: 'x' })), 400, 'mutability', user);
  });

  it('atomic: a read-only key anywhere in a path-less value rejects the whole operation', () => {
    const user = storedUser();
    assertScimError(() => applyPatch(userResourceType, user, patchBody({ op: 'replace', value: { displayName: 'X', meta: {} } })), 400, 'mutability', user);
  });

  it('the detail names the failing operation and attribute', () => {
    const error = assertScimError(
      () => applyPatch(userResourceType, storedUser(), patchBody({ op: 'add', path: 'title', value: 'ok' }, { op: 'Replace', path: 'active', value: 'yes' })),
      400,
      'invalidValue',
    );
    assert.match(error.detail, /^PATCH operation 2 \(replace "active"\): "active" must be true or false/);
  });

  it('an unknown path-less key is named in the detail', () => {
    const error = assertScimError(() => applyPatch(userResourceType, storedUser(), patchBody({ op: 'replace', value: { favouriteColour: 'blue' } })), 400, 'invalidPath');
    assert.match(error.detail, /favouriteColour/);
  });

  it('an own "__proto__" key in a path-less value is an unknown attribute, and pollutes nothing', () => {
    const user = storedUser();
    const body: unknown = JSON.parse('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":true}}}]}');
    assertScimError(() => applyPatch(userResourceType, user, body), 400, 'invalidPath', user);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('an own "__proto__" key inside an element is an unknown sub-attribute, and pollutes nothing', () => {
    const user = storedUser();
    const body: unknown = JSON.parse('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"emails","value":[{"value":"a@b.c","__proto__":{"polluted":true}}]}]}');
    assertScimError(() => applyPatch(userResourceType, user, body), 400, 'invalidValue', user);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
