/** classifyGroupPatch: every membership shape from okta.md and entra-onelogin-jumpcloud.md, folded in order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScimType } from '../errors.js';
import { groupResourceType } from '../schemas/registry.js';
import { applyPatchOperations } from './apply-patch.js';
import { classifyGroupPatch, type MemberChanges } from './group-membership-ops.js';
import { GROUP_ID, assertScimError, patchBody, storedGroup } from './test-fixtures.js';

const delta = (add: string[], remove: string[]): MemberChanges => ({ add, remove, replaceWith: undefined, removeAll: false });
const replacement = (replaceWith: string[], removeAll = false): MemberChanges => ({ add: [], remove: [], replaceWith, removeAll });
const changesOf = (...operations: unknown[]): MemberChanges => classifyGroupPatch(patchBody(...operations)).memberChanges;

describe('classifyGroupPatch: membership shapes', () => {
  const cases: { name: string; ops: unknown[]; expected: MemberChanges }[] = [
    {
      name: 'okta.md §7.4: remove members[value eq "…"] plus add [{value, display}]',
      ops: [
        { op: 'remove', path: 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]' },
        { op: 'add', path: 'members', value: [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }] },
      ],
      expected: delta(['23a35c27-23d3-4c03-b4c5-6443c09e7173'], ['89bb1940-b905-4575-9e7f-6f887cfb368e']),
    },
    { name: 'okta.md §7.4 Push Now: replace members with the full list', ops: [{ op: 'replace', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }], expected: replacement(['a', 'b']) },
    { name: 'okta.md §7.4 Push Now for an empty group: replace members []', ops: [{ op: 'replace', path: 'members', value: [] }], expected: replacement([]) },
    { name: 'schema-qualified urn:…:Group:members add (style.md §7 Groups)', ops: [{ op: 'add', path: 'urn:ietf:params:scim:schemas:core:2.0:Group:members', value: [{ value: 'a' }] }], expected: delta(['a'], []) },
    { name: 'entra §3.9 Add members with "$ref": null', ops: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }], expected: delta(['f648f8d5ea4e4cd38e9c'], []) },
    { name: 'entra §3.6/§3.9 Remove members with a value list removes only those', ops: [{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }, { $ref: null, value: 'u2' }] }], expected: delta([], ['u1091', 'u2']) },
    { name: 'entra §3.6 flag mode: remove members[value eq "…"]', ops: [{ op: 'remove', path: 'members[value eq "7f4bc1a3"]' }], expected: delta([], ['7f4bc1a3']) },
    { name: 'entra §5 Postman: remove members without value empties the team', ops: [{ op: 'remove', path: 'members' }], expected: replacement([], true) },
    { name: 'entra §7.1 OneLogin lower-case add', ops: [{ op: 'add', path: 'members', value: [{ value: 'a' }] }], expected: delta(['a'], []) },
    { name: 'ops in any letter case', ops: [{ op: 'ADD', path: 'MEMBERS', value: [{ value: 'a' }] }, { op: 'rEmOvE', path: 'Members[Value EQ "b"]' }], expected: delta(['a'], ['b']) },
    { name: 'several ids joined by or', ops: [{ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }], expected: delta([], ['a', 'b']) },
    { name: 'a path-less add {members: […]}', ops: [{ op: 'add', value: { members: [{ value: 'a' }] } }], expected: delta(['a'], []) },
    { name: 'a path-less replace {members: […]}', ops: [{ op: 'replace', value: { members: [{ value: 'a' }] } }], expected: replacement(['a']) },
    { name: 'a path-less replace {members: null} empties the team', ops: [{ op: 'replace', value: { members: null } }], expected: replacement([]) },
    { name: 'a single member object instead of a list', ops: [{ op: 'add', path: 'members', value: { value: 'a' } }], expected: delta(['a'], []) },
    { name: 'type "User" is accepted in any case', ops: [{ op: 'add', path: 'members', value: [{ value: 'a', type: 'user' }] }], expected: delta(['a'], []) },
    // Folding in request order.
    { name: 'replace [a] then add [b] → replaceWith [a, b]', ops: [{ op: 'replace', path: 'members', value: [{ value: 'a' }] }, { op: 'add', path: 'members', value: [{ value: 'b' }] }], expected: replacement(['a', 'b']) },
    { name: 'replace [a, b] then remove b → replaceWith [a]', ops: [{ op: 'replace', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }, { op: 'remove', path: 'members[value eq "b"]' }], expected: replacement(['a']) },
    { name: 'add a then remove a → remove a', ops: [{ op: 'add', path: 'members', value: [{ value: 'a' }] }, { op: 'remove', path: 'members[value eq "a"]' }], expected: delta([], ['a']) },
    { name: 'remove a then add a → add a', ops: [{ op: 'remove', path: 'members[value eq "a"]' }, { op: 'add', path: 'members', value: [{ value: 'a' }] }], expected: delta(['a'], []) },
    { name: 'remove all then add b → replaceWith [b]', ops: [{ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [{ value: 'b' }] }], expected: replacement(['b'], true) },
    { name: 'add a then replace [b] → replaceWith [b]', ops: [{ op: 'add', path: 'members', value: [{ value: 'a' }] }, { op: 'replace', path: 'members', value: [{ value: 'b' }] }], expected: replacement(['b']) },
    { name: 'a repeated id is added once', ops: [{ op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'a' }] }, { op: 'add', path: 'members', value: [{ value: 'a' }] }], expected: delta(['a'], []) },
    { name: 'no membership operation', ops: [{ op: 'replace', path: 'displayName', value: 'X' }], expected: delta([], []) },
  ];
  for (const { name, ops, expected } of cases) {
    it(name, () => {
      assert.deepEqual(changesOf(...ops), expected);
    });
  }
});

describe('classifyGroupPatch: attribute operations', () => {
  it('okta.md §7.3 rename {id, displayName} stays an attribute operation and applies to the team without members', () => {
    const plan = classifyGroupPatch(patchBody({ op: 'replace', value: { id: GROUP_ID, displayName: 'New Name' } }));
    assert.deepEqual(plan.memberChanges, delta([], []));
    assert.deepEqual(plan.attributeOps, [{ op: 'replace', path: undefined, value: { id: GROUP_ID, displayName: 'New Name' }, index: 1 }]);
    const { resource } = applyPatchOperations(groupResourceType, storedGroup(), plan.attributeOps);
    assert.equal(resource['displayName'], 'New Name');
  });

  it('a path-less value mixing members and displayName is split', () => {
    const plan = classifyGroupPatch(patchBody({ op: 'Replace', value: { displayName: 'X', members: [{ value: 'a' }] } }));
    assert.deepEqual(plan.attributeOps, [{ op: 'replace', path: undefined, value: { displayName: 'X' }, index: 1 }]);
    assert.deepEqual(plan.memberChanges, replacement(['a']));
  });

  it('keeps non-member operations in order with their original index', () => {
    const plan = classifyGroupPatch(
      patchBody(
        { op: 'Replace', path: 'displayName', value: [{ value: 'Renamed' }] },
        { op: 'add', path: 'members', value: [{ value: 'a' }] },
        { op: 'Remove', path: 'externalId' },
      ),
    );
    assert.deepEqual(
      plan.attributeOps.map((o) => [o.op, o.path, o.index]),
      [
        ['replace', 'displayName', 1],
        ['remove', 'externalId', 3],
      ],
    );
    const { resource } = applyPatchOperations(groupResourceType, storedGroup(), plan.attributeOps);
    assert.equal(resource['displayName'], 'Renamed');
    assert.equal('externalId' in resource, false);
  });

  it('an invalid key in a path-less value is reported when the attribute operations are applied', () => {
    const plan = classifyGroupPatch(patchBody({ op: 'replace', value: { members: [], colour: 'red' } }));
    assertScimError(() => applyPatchOperations(groupResourceType, storedGroup(), plan.attributeOps), 400, 'invalidPath');
  });
});

describe('classifyGroupPatch: rejected membership operations', () => {
  const rejected: { name: string; body: unknown; scimType: ScimType }[] = [
    { name: 'a body that is not an object', body: 'members', scimType: 'invalidSyntax' },
    { name: 'a body without the PatchOp schema', body: { schemas: [], Operations: [] }, scimType: 'invalidValue' },
    { name: 'a remove without path', body: patchBody({ op: 'remove', value: { members: [] } }), scimType: 'noTarget' },
    { name: 'a member without value', body: patchBody({ op: 'add', path: 'members', value: [{ display: 'someone' }] }), scimType: 'invalidValue' },
    { name: 'a member given as a bare string', body: patchBody({ op: 'add', path: 'members', value: ['a'] }), scimType: 'invalidValue' },
    { name: 'a member id that is a number', body: patchBody({ op: 'add', path: 'members', value: [{ value: 42 }] }), scimType: 'invalidValue' },
    { name: 'a nested group member', body: patchBody({ op: 'add', path: 'members', value: [{ value: 'g', type: 'Group' }] }), scimType: 'invalidValue' },
    { name: 'an unknown member sub-attribute', body: patchBody({ op: 'add', path: 'members', value: [{ value: 'a', role: 'owner' }] }), scimType: 'invalidValue' },
    { name: 'a remove filter not on value', body: patchBody({ op: 'remove', path: 'members[display co "x"]' }), scimType: 'invalidPath' },
    { name: 'a remove filter with "and"', body: patchBody({ op: 'remove', path: 'members[value eq "a" and type eq "User"]' }), scimType: 'invalidPath' },
    { name: 'an add with a value filter', body: patchBody({ op: 'add', path: 'members[value eq "a"]', value: { value: 'a' } }), scimType: 'invalidPath' },
    { name: 'a change of members.value', body: patchBody({ op: 'replace', path: 'members[value eq "a"].value', value: 'b' }), scimType: 'mutability' },
    { name: 'a change of members.display', body: patchBody({ op: 'replace', path: 'members.display', value: 'x' }), scimType: 'mutability' },
    { name: 'an unknown attribute path', body: patchBody({ op: 'add', path: 'owners', value: [{ value: 'a' }] }), scimType: 'invalidPath' },
  ];
  for (const { name, body, scimType } of rejected) {
    it(`${name} → 400 ${scimType}`, () => {
      assertScimError(() => classifyGroupPatch(body), 400, scimType);
    });
  }
});
