/**
 * Property tests: random PATCH bodies built from valid and invalid pieces either succeed or
 * throw ScimError (never another error), never mutate the input, and the Group membership
 * split always agrees with applying the same request to the full member list.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../errors.js';
import { isJsonObject, isJsonValue, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import { groupResourceType, userResourceType, type ResourceType } from '../schemas/registry.js';
import { applyPatch } from './apply-patch.js';
import { classifyGroupPatch } from './group-membership-ops.js';
import { PATCH_OP_SCHEMA } from './parse-patch-request.js';
import { ENTERPRISE, GROUP_ID, USER_ID, enterpriseUser, memberIdsOf, minimalUser, patchBody, storedGroup, storedUser } from './test-fixtures.js';

const GROUP_MEMBERS = `urn:ietf:params:scim:schemas:core:2.0:Group:members`;

const validPaths = fc.constantFrom(
  'userName', 'active', 'displayName', 'title', 'externalId', 'name', 'name.givenName', 'name.formatted', 'emails', 'emails.value',
  'emails[type eq "work"].value', 'emails[type eq "work"]', 'emails[value co "a"].primary', 'emails[primary eq true].type',
  'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].postalCode', 'addresses', 'roles[primary eq "True"].value',
  'roles', 'x509Certificates', 'manager', 'manager.value', ENTERPRISE, `${ENTERPRISE}:department`, `${ENTERPRISE}:manager`,
  'password', 'members', 'members[value eq "a"]', GROUP_MEMBERS, 'urn:ietf:params:scim:schemas:core:2.0:User:userName',
);
// Read-only, malformed or hostile paths.
const invalidPaths = fc.constantFrom(
  'id', 'meta', 'meta.created', 'groups', 'manager.displayName', 'members.value', 'name.', 'name. givenName', 'foo', 'emails[',
  'emails[type eq "work"].', '__proto__', 'constructor.prototype', 'urn:x:y', ' ', 'a]b',
);
const paths = fc.oneof(
  { weight: 8, arbitrary: validPaths },
  { weight: 1, arbitrary: invalidPaths },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 24 }), fc.constant<JsonValue>(7)) },
);

const pieces = fc.constantFrom<JsonValue>(
  'True', 'False', 'true', 'yes', ' true', '', 'a@b.c', 'a', null, true, false, 0, 1.5, [], {}, ['x'], ['x', 'y'],
  [{ value: 'a' }], [{ value: 'a', type: 'work', primary: true }], [{ value: 'a', primary: true }, { value: 'b', primary: true }],
  [{ value: 'b', type: 'home' }, { value: 'c', type: 'home' }], [{ $ref: null, value: 'b' }], [{ display: 'x' }], [{ value: 'g', type: 'Group' }],
  { value: 'm' }, { value: 'm', displayName: 'Boss' }, { givenName: 'G', familyName: null }, { active: false }, { active: 'False' },
  { id: USER_ID, displayName: 'x' }, { id: GROUP_ID, displayName: 'x' }, { id: 'other' }, { 'name.givenName': 'x' },
  { [ENTERPRISE]: { department: 'd' } }, { [`${ENTERPRISE}:employeeNumber`]: '7' }, { members: [{ value: 'x' }] }, { schemas: ['x'], title: 't' },
  { meta: {} }, { groups: [] }, { password: 'p' }, JSON.parse('{"__proto__":{"polluted":1}}') as JsonObject, { constructor: { prototype: 1 } }, { department: 'd', shoeSize: 42 },
);

const strings = fc.constantFrom<JsonValue>('New Value', 'x@example.com', 'mgr-2', 'Sales');
const values = fc.oneof(
  { weight: 3, arbitrary: strings },
  { weight: 4, arbitrary: pieces },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue> },
);
const opNames = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom<JsonValue>('add', 'Add', 'replace', 'Replace', 'REMOVE', 'remove') },
  { weight: 1, arbitrary: fc.constantFrom<JsonValue>('move', '', 3, null) },
);

/** Operations whose value fits the path, so that many random requests succeed and change something. */
const writeOps = fc.constantFrom('add', 'Replace');
const text = fc.constantFrom('New Value', 'x@example.com', 'mgr-2', '', 'A');
const wellTyped = fc.oneof(
  fc.record({ op: writeOps, path: fc.constantFrom('userName', 'displayName', 'title', 'externalId', 'name.givenName', 'emails[type eq "work"].value', 'emails.value', 'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].postalCode', 'roles[primary eq "True"].value', `${ENTERPRISE}:department`, 'manager', 'manager.value'), value: text }),
  fc.record({ op: writeOps, path: fc.constantFrom('active', 'emails[type eq "work"].primary', 'emails[value eq "b"].primary'), value: fc.constantFrom<JsonValue>(true, false, 'True', 'false') }),
  fc.record({ op: writeOps, path: fc.constantFrom('emails', 'roles', 'members'), value: fc.constantFrom<JsonValue>([], [{ value: 'a' }], [{ value: 'b', type: 'home', primary: true }], [{ value: 'a' }, { value: 'c' }]) }),
  fc.record({ op: writeOps, value: fc.constantFrom<JsonValue>({ active: false }, { displayName: 'Renamed' }, { id: USER_ID, 'name.familyName': 'F' }, { id: GROUP_ID, displayName: 'T' }, { [ENTERPRISE]: { costCenter: '1' } }) }),
  fc.record({ op: fc.constant('remove'), path: fc.constantFrom('title', 'externalId', 'name.givenName', 'emails[type eq "work"]', 'emails[type eq "home"].primary', 'manager', ENTERPRISE, 'members', 'members[value eq "a"]', 'roles') }),
);

const operation = fc.oneof(
  { weight: 8, arbitrary: wellTyped },
  { weight: 8, arbitrary: fc.record(
    { op: opNames, path: paths, value: values },
    { requiredKeys: ['op', 'value'] },
  ) },
  { weight: 1, arbitrary: fc.record({ op: opNames, path: paths }) },
  { weight: 1, arbitrary: values },
);

const bodies = fc.oneof(
  { weight: 8, arbitrary: fc.array(operation, { maxLength: 5 }).map((ops) => patchBody(...ops)) },
  { weight: 1, arbitrary: fc.record({ schemas: fc.constantFrom<JsonValue>([PATCH_OP_SCHEMA.toUpperCase()], [], 'x', null), Operations: fc.array(operation, { maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const targets: readonly { type: ResourceType; resource: JsonObject }[] = [
  { type: userResourceType, resource: storedUser() },
  { type: userResourceType, resource: minimalUser() },
  { type: userResourceType, resource: enterpriseUser({ department: 'Sales', manager: { value: 'mgr-1', displayName: 'Boss' } }) },
  { type: userResourceType, resource: storedUser({ emails: [{ value: 'a', type: 'work' }, { value: 'b', type: 'home', primary: true }], roles: [{ value: 'r' }] }) },
  { type: groupResourceType, resource: storedGroup(['a', 'b']) },
  { type: groupResourceType, resource: storedGroup() },
];

/** True when some object or array inside `value` is frozen (the result shares the input's structure). */
function hasFrozenPart(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.isFrozen(value) || Object.values(value).some(hasFrozenPart);
}

describe('applyPatch properties', () => {
  it('random bodies: a result or a ScimError, the input never mutated, results are fresh JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...targets), bodies, ({ type, resource }, body) => {
        const before = structuredClone(resource);
        let result;
        try {
          result = applyPatch(type, resource, body);
        } catch (error) {
          if (!(error instanceof ScimError)) throw error;
          assert.equal(error.status, 400);
          assert.ok(error.detail.length > 0);
        }
        assert.deepEqual(resource, before);
        if (result === undefined) return;
        assert.ok(isJsonValue(result.resource));
        assert.equal(hasFrozenPart(result.resource), false);
        if (!result.changed) assert.deepEqual(result.resource, resource);
        else assert.equal(jsonEqual(result.resource, resource), false);
      }),
      { numRuns: 3000 },
    );
  });

  it('random bodies: classifyGroupPatch returns a plan or throws ScimError', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        try {
          const plan = classifyGroupPatch(body);
          const { add, remove, replaceWith } = plan.memberChanges;
          if (replaceWith !== undefined) assert.deepEqual([add.length, remove.length], [0, 0]);
          assert.equal(add.some((id) => remove.includes(id)), false);
        } catch (error) {
          if (!(error instanceof ScimError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('classifyGroupPatch agrees with applyPatch on the full member list', () => {
  const ids = fc.subarray(['a', 'b', 'c', 'd']);
  const members = (list: string[]): JsonValue => list.map((value) => ({ value }));
  const membershipOp = fc.oneof(
    ids.map((l) => ({ op: 'add', path: 'members', value: members(l) })),
    ids.map((l) => ({ op: 'Add', path: GROUP_MEMBERS, value: members(l) })),
    ids.map((l) => ({ op: 'Remove', path: 'members', value: members(l) })),
    fc.constantFrom('a', 'b').map((id) => ({ op: 'Remove', path: 'members', value: { value: id } })),
    fc.constantFrom('a', 'b', 'c', 'd').map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
    fc.constant({ op: 'remove', path: 'members' }),
    ids.map((l) => ({ op: 'replace', path: 'members', value: members(l) })),
    ids.map((l) => ({ op: 'replace', value: { members: members(l) } })),
    ids.map((l) => ({ op: 'add', value: { members: members(l), displayName: 'Team' } })),
  );

  it('the folded delta applied to the stored ids gives the same final members', () => {
    fc.assert(
      fc.property(ids, fc.array(membershipOp, { maxLength: 8 }), (initial, ops) => {
        const expected = memberIdsOf(applyPatch(groupResourceType, storedGroup(initial), patchBody(...ops)).resource);
        const { memberChanges } = classifyGroupPatch(patchBody(...ops));
        const actual = memberChanges.replaceWith ?? [...initial.filter((id) => !memberChanges.remove.includes(id)), ...memberChanges.add.filter((id) => !initial.includes(id))];
        assert.deepEqual([...actual].sort(), [...expected].sort());
      }),
      { numRuns: 2000 },
    );
  });

  it('plans never lose attribute operations: displayName in a mixed path-less add is kept', () => {
    const plan = classifyGroupPatch(patchBody({ op: 'add', value: { members: [{ value: 'a' }], displayName: 'Team' } }));
    assert.ok(plan.attributeOps.some((op) => isJsonObject(op.value) && op.value['displayName'] === 'Team'));
  });
});
