import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAttributeList, projectResource, wantsAttribute, type AttributeSelection } from './projection.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA, groupResourceType, userResourceType } from './schemas/registry.js';
import type { JsonObject } from './json.js';

const meta = { resourceType: 'User', created: '2024-05-01T12:00:00Z', lastModified: '2024-05-02T12:00:00Z', location: 'https://r.example/scim/v2/Users/u1' };

const storedUser: JsonObject = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  id: 'u1',
  externalId: 'okta-1',
  userName: 'ada@example.com',
  name: { familyName: 'Lovelace', givenName: 'Ada' },
  displayName: 'Ada Lovelace',
  active: true,
  // Never stored by validateResource; here to prove projection never leaks it either.
  password: 'secret',
  emails: [
    { value: 'ada@example.com', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  groups: [{ value: 't1', display: 'Sales' }],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Sales', manager: { value: 'm1' } },
  meta,
};

const storedGroup: JsonObject = {
  schemas: [GROUP_SCHEMA],
  id: 't1',
  displayName: 'Sales',
  members: [{ value: 'u1', display: 'Ada Lovelace' }],
  meta: { ...meta, resourceType: 'Group' },
};

const { password: _password, ...userWithoutPassword } = storedUser;

describe('projectResource', () => {
  const cases: { name: string; selection: AttributeSelection; expected: JsonObject }[] = [
    {
      name: 'no selection returns everything except returned:never (password)',
      selection: {},
      expected: userWithoutPassword,
    },
    {
      name: 'attributes=userName returns schemas, id and userName only',
      selection: { attributes: ['userName'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', userName: 'ada@example.com' },
    },
    {
      name: 'attribute names are case-insensitive (Postman: attributes=userName,emails)',
      selection: { attributes: ['USERNAME', 'Emails'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', userName: 'ada@example.com', emails: storedUser['emails'] ?? [] },
    },
    {
      name: 'a core-URN-qualified name is accepted',
      selection: { attributes: [`${USER_SCHEMA}:userName`] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', userName: 'ada@example.com' },
    },
    {
      name: 'selecting a parent returns the whole complex value',
      selection: { attributes: ['name'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', name: { familyName: 'Lovelace', givenName: 'Ada' } },
    },
    {
      name: 'a dotted sub-attribute returns just that sub-attribute',
      selection: { attributes: ['name.givenName'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', name: { givenName: 'Ada' } },
    },
    {
      name: 'a dotted sub-attribute of a multi-valued attribute applies to every value',
      selection: { attributes: ['emails.value'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', emails: [{ value: 'ada@example.com' }, { value: 'ada@home.example' }] },
    },
    {
      name: 'parent and sub-attribute together return the whole parent',
      selection: { attributes: ['name.givenName', 'name'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', name: { familyName: 'Lovelace', givenName: 'Ada' } },
    },
    {
      name: 'a bare enterprise name (manager) resolves into the extension',
      selection: { attributes: ['manager'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm1' } } },
    },
    {
      name: 'an enterprise URN-qualified sub-attribute',
      selection: { attributes: [`${ENTERPRISE_USER_SCHEMA}:manager.value`] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm1' } } },
    },
    {
      name: 'the bare extension URN selects the whole extension',
      selection: { attributes: [ENTERPRISE_USER_SCHEMA] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', [ENTERPRISE_USER_SCHEMA]: { department: 'Sales', manager: { value: 'm1' } } },
    },
    {
      name: 'meta sub-attributes can be selected',
      selection: { attributes: ['meta.lastModified'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', meta: { lastModified: '2024-05-02T12:00:00Z' } },
    },
    {
      name: 'unknown names are ignored',
      selection: { attributes: ['nonsense', 'name.nonsense', 'userName', 'name.givenName.deeper'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1', userName: 'ada@example.com' },
    },
    {
      name: 'password is never returned, even when asked for',
      selection: { attributes: ['password'] },
      expected: { schemas: storedUser['schemas'] ?? [], id: 'u1' },
    },
    {
      name: 'excludedAttributes never removes schemas or id',
      selection: { excludedAttributes: ['schemas', 'id', 'ID'] },
      expected: userWithoutPassword,
    },
    {
      name: 'excludedAttributes removes whole attributes, case-insensitively',
      selection: { excludedAttributes: ['Groups', 'meta', 'EMAILS'] },
      expected: (() => {
        const { groups: _g, meta: _m, emails: _e, ...rest } = userWithoutPassword;
        return rest;
      })(),
    },
    {
      name: 'excludedAttributes with a dotted name removes just that sub-attribute',
      selection: { excludedAttributes: ['name.givenName', 'emails.type'] },
      expected: {
        ...userWithoutPassword,
        name: { familyName: 'Lovelace' },
        emails: [{ value: 'ada@example.com', primary: true }, { value: 'ada@home.example' }],
      },
    },
    {
      name: 'excluding every extension attribute removes the extension object',
      selection: { excludedAttributes: ['department', `${ENTERPRISE_USER_SCHEMA}:manager`] },
      expected: (() => {
        const { [ENTERPRISE_USER_SCHEMA]: _x, ...rest } = userWithoutPassword;
        return rest;
      })(),
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(projectResource(userResourceType, storedUser, c.selection), c.expected));
  }

  it('a Group read with excludedAttributes=members has no members (Entra §3.9)', () => {
    assert.deepEqual(projectResource(groupResourceType, storedGroup, { excludedAttributes: ['members'] }), {
      schemas: [GROUP_SCHEMA],
      id: 't1',
      displayName: 'Sales',
      meta: storedGroup['meta'] ?? {},
    });
  });

  it('drops keys the registry does not describe (the registry is the allowlist)', () => {
    const projected = projectResource(userResourceType, { ...storedUser, internalNote: 'x', name: { givenName: 'Ada', secret: 'y' } }, {});
    assert.equal('internalNote' in projected, false);
    assert.deepEqual(projected['name'], { givenName: 'Ada' });
  });

  it('does not modify the resource it is given', () => {
    const before = structuredClone(storedUser);
    projectResource(userResourceType, storedUser, { attributes: ['name.givenName'] });
    assert.deepEqual(storedUser, before);
  });
});

describe('wantsAttribute', () => {
  const cases: { name: string; selection: AttributeSelection; attribute: string; type?: typeof groupResourceType; expected: boolean }[] = [
    { name: 'members by default', selection: {}, attribute: 'members', type: groupResourceType, expected: true },
    { name: 'members when excluded', selection: { excludedAttributes: ['members'] }, attribute: 'members', type: groupResourceType, expected: false },
    { name: 'members when excluded in other case', selection: { excludedAttributes: ['MEMBERS'] }, attribute: 'members', type: groupResourceType, expected: false },
    { name: 'members when only members.display is excluded', selection: { excludedAttributes: ['members.display'] }, attribute: 'members', type: groupResourceType, expected: true },
    { name: 'members when attributes=displayName', selection: { attributes: ['displayName'] }, attribute: 'members', type: groupResourceType, expected: false },
    { name: 'members when attributes=members.value', selection: { attributes: ['members.value'] }, attribute: 'members', type: groupResourceType, expected: true },
    { name: 'user groups when attributes=userName', selection: { attributes: ['userName'] }, attribute: 'groups', expected: false },
    { name: 'user groups when other attributes are excluded', selection: { excludedAttributes: ['emails'] }, attribute: 'groups', expected: true },
    { name: 'id always', selection: { attributes: ['userName'] }, attribute: 'id', expected: true },
    { name: 'password never', selection: { attributes: ['password'] }, attribute: 'password', expected: false },
    { name: 'manager through the extension URN', selection: { attributes: [ENTERPRISE_USER_SCHEMA] }, attribute: 'manager', expected: true },
    { name: 'an unknown attribute', selection: {}, attribute: 'nonsense', expected: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.expected}`, () => assert.equal(wantsAttribute(c.type ?? userResourceType, c.selection, c.attribute), c.expected));
  }
});

describe('parseAttributeList', () => {
  const cases: [string | undefined, string[] | undefined][] = [
    [undefined, undefined],
    ['', undefined],
    [' , ', undefined],
    ['userName', ['userName']],
    ['userName, emails ,name.givenName', ['userName', 'emails', 'name.givenName']],
    [`${ENTERPRISE_USER_SCHEMA}:manager,,id`, [`${ENTERPRISE_USER_SCHEMA}:manager`, 'id']],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseAttributeList(text), expected));
  }
});
