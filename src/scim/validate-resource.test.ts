import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ScimError } from './errors.js';
import { attribute } from './schemas/attribute.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA, groupResourceType, userResourceType, type ResourceType } from './schemas/registry.js';
import type { JsonObject } from './json.js';
import { checkUniqueTypes, GROUP_LEGACY_SCHEMAS, validateResource } from './validate-resource.js';

const user = (body: JsonObject): JsonObject => validateResource(userResourceType, { schemas: [USER_SCHEMA], userName: 'ada@example.com', ...body });

function assertInvalid(run: () => unknown, scimType: string, mentions: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, scimType);
    assert.ok(error.detail.includes(mentions), `detail "${error.detail}" should mention "${mentions}"`);
    return true;
  });
}

describe('validateResource: IdP create bodies', () => {
  it('turns Okta\'s create body (okta.md §3.2) into the stored user: password and groups gone', () => {
    const okta = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    };
    const stored = validateResource(userResourceType, okta);
    assert.deepEqual(stored, {
      schemas: [USER_SCHEMA],
      externalId: '00ujl29u0le5T6Aj10h7',
      userName: 'test.user@okta.local',
      name: { familyName: 'User', givenName: 'Test' },
      displayName: 'Test User',
      locale: 'en-US',
      active: true,
      emails: [{ value: 'test.user@okta.local', type: 'work', primary: true }],
    });
    assert.deepEqual(Object.keys(stored), ['schemas', 'externalId', 'userName', 'name', 'displayName', 'locale', 'active', 'emails']);
  });

  it('turns Entra\'s create body (entra-onelogin-jumpcloud.md §3.3) into the stored user: meta and roles:[] gone', () => {
    const entra = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    };
    assert.deepEqual(validateResource(userResourceType, entra), {
      // The enterprise URN was declared but carries no data, so it is not listed.
      schemas: [USER_SCHEMA],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      active: true,
      emails: [{ value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com', type: 'work', primary: true }],
    });
  });

  it('drops the null attributes of Entra\'s older create example', () => {
    const stored = user({ addresses: null, phoneNumbers: null, preferredLanguage: null, title: null, department: null, manager: null });
    assert.deepEqual(stored, { schemas: [USER_SCHEMA], userName: 'ada@example.com' });
  });

  it('accepts Entra\'s legacy Group marker and drops it; members keep value and type, lose display and $ref: null', () => {
    const stored = validateResource(groupResourceType, {
      schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Sales',
      meta: { resourceType: 'Group' },
      members: [{ $ref: null, value: 'u1', display: 'Ada', type: 'User' }, { value: 'u2' }],
    });
    assert.deepEqual(stored, {
      schemas: [GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Sales',
      members: [{ value: 'u1', type: 'User' }, { value: 'u2' }],
    });
    for (const legacy of GROUP_LEGACY_SCHEMAS) {
      assert.deepEqual(validateResource(groupResourceType, { schemas: [legacy, GROUP_SCHEMA], displayName: 'x' })['schemas'], [GROUP_SCHEMA]);
    }
  });
});

describe('validateResource: canonical form', () => {
  const cases: { name: string; body: JsonObject; expected: JsonObject }[] = [
    {
      name: 'attribute and sub-attribute names are re-spelled canonically',
      body: { NAME: { GIVENNAME: 'Ada', familyname: 'Lovelace' }, Emails: [{ VALUE: 'ada@example.com', Primary: true }], ACTIVE: false },
      expected: { name: { familyName: 'Lovelace', givenName: 'Ada' }, active: false, emails: [{ value: 'ada@example.com', primary: true }] },
    },
    {
      name: 'Entra string booleans "True"/"False"/"false" become booleans',
      body: { active: 'False', emails: [{ value: 'a@example.com', primary: 'True' }, { value: 'b@example.com', primary: 'false' }] },
      expected: { active: false, emails: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com', primary: false }] },
    },
    {
      name: 'a single object for a multi-valued attribute is wrapped in a list',
      body: { emails: { value: 'ada@example.com', type: 'work' } },
      expected: { emails: [{ value: 'ada@example.com', type: 'work' }] },
    },
    {
      name: 'a one-element list for a single-valued attribute is unwrapped',
      body: { displayName: ['Ada'], title: [{ value: 'CEO' }] },
      expected: { displayName: 'Ada', title: 'CEO' },
    },
    {
      name: 'empty strings, empty lists and empty complex values are unassigned',
      body: { title: '', nickName: '', name: { givenName: '' }, phoneNumbers: [], addresses: [{}] },
      expected: {},
    },
    {
      name: 'entries of a multi-valued attribute without a value are dropped (Okta pushes empty values)',
      body: { phoneNumbers: [{ value: '', type: 'work' }, { value: '+41 441234567', type: 'mobile' }] },
      expected: { phoneNumbers: [{ value: '+41 441234567', type: 'mobile' }] },
    },
    {
      name: 'addresses carrying only labels are dropped; a real address is kept',
      body: { addresses: [{ type: 'work', primary: true }, { type: 'home', locality: 'Zurich' }] },
      expected: { addresses: [{ locality: 'Zurich', type: 'home' }] },
    },
    {
      name: 'unknown top-level attributes and unknown sub-attributes are ignored',
      body: { adreses: [{ locality: 'Zurich' }], name: { givenName: 'Ada', nickname: 'A' }, emails: [{ value: 'a@example.com', label: 'x' }] },
      expected: { name: { givenName: 'Ada' }, emails: [{ value: 'a@example.com' }] },
    },
    {
      name: 'read-only attributes (id, meta, groups) and write-only password are not kept',
      body: { id: 'abc', meta: { created: '2024-01-01T00:00:00Z' }, groups: [{ value: 'g1' }], password: 'secret' },
      expected: {},
    },
    {
      name: 'duplicate type values are kept (RFC 7643 allows them)',
      body: { emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'Work' }] },
      expected: { emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'Work' }] },
    },
    {
      name: 'values are stored as sent (no trimming or reformatting)',
      body: { phoneNumbers: [{ value: '55555555555', type: 'work' }], title: ' Chief ' },
      expected: { title: ' Chief ', phoneNumbers: [{ value: '55555555555', type: 'work' }] },
    },
    {
      name: 'a 1024-character string is accepted',
      body: { title: 'x'.repeat(1024) },
      expected: { title: 'x'.repeat(1024) },
    },
    {
      name: 'a long base64 certificate is accepted',
      body: { x509Certificates: [{ value: 'A'.repeat(16384) }] },
      expected: { x509Certificates: [{ value: 'A'.repeat(16384) }] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(user(c.body), { schemas: [USER_SCHEMA], userName: 'ada@example.com', ...c.expected });
    });
  }

  it('keeps more than 20 members in a Group (members are not capped here)', () => {
    const members = Array.from({ length: 25 }, (_, i) => ({ value: `u${i}` }));
    const stored = validateResource(groupResourceType, { schemas: [GROUP_SCHEMA], displayName: 'Big', members });
    assert.equal((stored['members'] as JsonObject[]).length, 25);
  });

  it('omits members:[] on a Group (RFC 7643 §2.5: an empty list is unassigned)', () => {
    assert.deepEqual(validateResource(groupResourceType, { schemas: [GROUP_SCHEMA], displayName: 'Empty', members: [] }), {
      schemas: [GROUP_SCHEMA],
      displayName: 'Empty',
    });
  });
});

describe('validateResource: enterprise extension', () => {
  const cases: { name: string; body: JsonObject; expected: JsonObject }[] = [
    {
      name: 'attributes under the URN key, declared in schemas',
      body: { schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA], [ENTERPRISE_USER_SCHEMA]: { department: 'Sales', employeeNumber: '42' } },
      expected: { employeeNumber: '42', department: 'Sales' },
    },
    {
      name: 'data without its URN in schemas is accepted and the URN is added',
      body: { [ENTERPRISE_USER_SCHEMA]: { department: 'Sales' } },
      expected: { department: 'Sales' },
    },
    {
      name: 'URN-qualified top-level keys, any case',
      body: { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'Sales', 'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:COSTCENTER': 'CC1' },
      expected: { costCenter: 'CC1', department: 'Sales' },
    },
    {
      name: 'manager as a bare id (Entra) is stored as {value}',
      body: { [ENTERPRISE_USER_SCHEMA]: { manager: 'm1' } },
      expected: { manager: { value: 'm1' } },
    },
    {
      name: 'manager as [{value, $ref, displayName}] keeps value and $ref, drops displayName',
      body: { [ENTERPRISE_USER_SCHEMA]: { manager: [{ value: 'm1', $ref: 'https://x/Users/m1', displayName: 'Boss' }] } },
      expected: { manager: { value: 'm1', $ref: 'https://x/Users/m1' } },
    },
    {
      name: 'manager as {value} via the URN-qualified key',
      body: { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager': { value: 'm1' } },
      expected: { manager: { value: 'm1' } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const stored = user(c.body);
      assert.deepEqual(stored['schemas'], [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
      assert.deepEqual(stored[ENTERPRISE_USER_SCHEMA], c.expected);
    });
  }

  it('an empty manager ("" or {displayName}) leaves no extension behind', () => {
    for (const manager of ['', { displayName: 'Boss' }, null]) {
      assert.deepEqual(user({ [ENTERPRISE_USER_SCHEMA]: { manager } }), { schemas: [USER_SCHEMA], userName: 'ada@example.com' });
    }
  });

  it('bare extension names at the top level are not core attributes and are ignored', () => {
    assert.deepEqual(user({ department: 'Sales' }), { schemas: [USER_SCHEMA], userName: 'ada@example.com' });
  });
});

describe('validateResource: what real IdPs put in schemas', () => {
  const cases: { name: string; schemas: unknown }[] = [
    { name: 'no schemas at all', schemas: undefined },
    { name: "Entra's misspelled enterprise URN (entra-onelogin-jumpcloud.md §3.3)", schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'] },
    { name: "OneLogin's core 1.0 URN (entra-onelogin-jumpcloud.md §7.1)", schemas: ['urn:scim:schemas:core:1.0'] },
    { name: 'an unknown custom URN', schemas: [USER_SCHEMA, 'urn:example:custom'] },
  ];
  for (const c of cases) {
    it(`accepts ${c.name} and answers with the schemas the data has`, () => {
      const body = c.schemas === undefined ? { userName: 'a' } : { schemas: c.schemas, userName: 'a' };
      assert.deepEqual(validateResource(userResourceType, body), { schemas: [USER_SCHEMA], userName: 'a' });
    });
  }
});

describe('validateResource: rejected bodies → 400', () => {
  const longName = 'x'.repeat(1025);
  const cases: { name: string; type?: typeof groupResourceType; body: unknown; scimType: string; mentions: string }[] = [
    { name: 'a body that is not an object', body: ['userName'], scimType: 'invalidSyntax', mentions: 'JSON object' },
    { name: 'schemas as a string', body: { schemas: USER_SCHEMA, userName: 'a' }, scimType: 'invalidValue', mentions: 'schemas' },
    { name: 'missing userName', body: { schemas: [USER_SCHEMA] }, scimType: 'invalidValue', mentions: 'userName' },
    { name: 'empty userName', body: { schemas: [USER_SCHEMA], userName: '' }, scimType: 'invalidValue', mentions: 'userName' },
    { name: 'blank userName', body: { schemas: [USER_SCHEMA], userName: '   ' }, scimType: 'invalidValue', mentions: 'userName' },
    { name: 'null userName', body: { schemas: [USER_SCHEMA], userName: null }, scimType: 'invalidValue', mentions: 'userName' },
    { name: 'missing Group displayName', type: groupResourceType, body: { schemas: [GROUP_SCHEMA], members: [] }, scimType: 'invalidValue', mentions: 'displayName' },
    { name: 'userName as a number', body: { schemas: [USER_SCHEMA], userName: 42 }, scimType: 'invalidValue', mentions: 'userName' },
    { name: 'userName over 1024 characters', body: { schemas: [USER_SCHEMA], userName: longName }, scimType: 'invalidValue', mentions: '1024' },
    { name: 'a certificate over 16384 characters', body: { schemas: [USER_SCHEMA], userName: 'a', x509Certificates: [{ value: 'A'.repeat(16385) }] }, scimType: 'invalidValue', mentions: 'x509Certificates.value' },
    { name: 'active "yes"', body: { schemas: [USER_SCHEMA], userName: 'a', active: 'yes' }, scimType: 'invalidValue', mentions: 'active' },
    { name: 'active " true" (padded)', body: { schemas: [USER_SCHEMA], userName: 'a', active: ' true' }, scimType: 'invalidValue', mentions: 'active' },
    { name: 'active 1', body: { schemas: [USER_SCHEMA], userName: 'a', active: 1 }, scimType: 'invalidValue', mentions: 'active' },
    { name: 'active as an object', body: { schemas: [USER_SCHEMA], userName: 'a', active: { value: true } }, scimType: 'invalidValue', mentions: 'active' },
    { name: 'emails.primary "1"', body: { schemas: [USER_SCHEMA], userName: 'a', emails: [{ value: 'a@x', primary: '1' }] }, scimType: 'invalidValue', mentions: 'emails.primary' },
    { name: 'two primary emails', body: { schemas: [USER_SCHEMA], userName: 'a', emails: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: 'True' }] }, scimType: 'invalidValue', mentions: 'primary' },
    { name: '21 emails', body: { schemas: [USER_SCHEMA], userName: 'a', emails: Array.from({ length: 21 }, (_, i) => ({ value: `${i}@x` })) }, scimType: 'invalidValue', mentions: '20' },
    { name: 'name as a string', body: { schemas: [USER_SCHEMA], userName: 'a', name: 'Ada Lovelace' }, scimType: 'invalidValue', mentions: 'name' },
    { name: 'emails as a list of strings', body: { schemas: [USER_SCHEMA], userName: 'a', emails: ['a@x'] }, scimType: 'invalidValue', mentions: 'emails' },
    { name: 'a list of two for a single-valued attribute', body: { schemas: [USER_SCHEMA], userName: 'a', title: ['a', 'b'] }, scimType: 'invalidValue', mentions: 'title' },
    { name: 'the enterprise extension as a string', body: { schemas: [USER_SCHEMA], userName: 'a', [ENTERPRISE_USER_SCHEMA]: 'Sales' }, scimType: 'invalidValue', mentions: ENTERPRISE_USER_SCHEMA },
    { name: 'the same attribute twice in different case', body: { schemas: [USER_SCHEMA], userName: 'a', UserName: 'b' }, scimType: 'invalidValue', mentions: 'userName' },
    { name: 'department both under the URN and URN-qualified', body: { schemas: [USER_SCHEMA], userName: 'a', [ENTERPRISE_USER_SCHEMA]: { department: 'A' }, [`${ENTERPRISE_USER_SCHEMA}:department`]: 'B' }, scimType: 'invalidValue', mentions: 'department' },
  ];
  for (const c of cases) {
    it(c.name, () => assertInvalid(() => validateResource(c.type ?? userResourceType, c.body), c.scimType, c.mentions));
  }
});

describe('validateResource: integer, decimal and dateTime attributes (types the registry supports)', () => {
  // No Roster attribute has these types yet; a synthetic extension keeps the checks honest.
  const EXTENSION = 'urn:example:params:scim:schemas:extension:test:2.0:User';
  const type: ResourceType = {
    ...userResourceType,
    extensions: [
      {
        required: false,
        schema: {
          id: EXTENSION,
          name: 'Test',
          description: '',
          attributes: [attribute('seats', 'integer'), attribute('ratio', 'decimal'), attribute('hiredAt', 'dateTime')],
        },
      },
    ],
  };
  const validate = (values: JsonObject): JsonObject => validateResource(type, { schemas: [USER_SCHEMA], userName: 'a', [EXTENSION]: values });

  it('accepts an integer, a decimal and an xsd:dateTime as sent', () => {
    const values = { seats: 3, ratio: 0.5, hiredAt: '2024-05-01T12:00:00.5+02:00' };
    assert.deepEqual(validate(values)[EXTENSION], values);
    assert.deepEqual(validate({ hiredAt: '' }), { schemas: [USER_SCHEMA], userName: 'a' });
  });

  const rejected: [string, JsonObject, string][] = [
    ['a fractional integer', { seats: 1.5 }, 'seats'],
    ['an integer as a string', { seats: '3' }, 'seats'],
    ['a decimal as a string', { ratio: '0.5' }, 'ratio'],
    ['a date without time', { hiredAt: '2024-05-01' }, 'hiredAt'],
    ['an impossible date', { hiredAt: '2024-13-45T99:00:00Z' }, 'hiredAt'],
    ['a dateTime as a number', { hiredAt: 1714564800 }, 'hiredAt'],
  ];
  for (const [name, values, mentions] of rejected) {
    it(`rejects ${name}`, () => assertInvalid(() => validate(values), 'invalidValue', mentions));
  }
});

describe('validateResource: properties', () => {
  const word = fc.stringMatching(/^[a-zA-Z0-9@. ]{0,12}$/);
  const body = fc.record(
    {
      userName: fc.stringMatching(/^[a-z]{1,10}@example\.com$/),
      displayName: word,
      active: fc.constantFrom(true, false, 'True', 'false'),
      name: fc.record({ givenName: word, familyName: word }, { requiredKeys: [] }),
      emails: fc.array(fc.record({ value: word, type: fc.constantFrom('work', 'home'), primary: fc.constant(false) }), { maxLength: 5 }),
      [ENTERPRISE_USER_SCHEMA]: fc.record({ department: word, manager: fc.oneof(word, fc.record({ value: word })) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['userName'] },
  );

  it('the stored form is a fixed point: validating it again changes nothing (PATCH results are re-validated)', () => {
    fc.assert(
      fc.property(body, (b) => {
        const once = validateResource(userResourceType, { schemas: [USER_SCHEMA], ...b });
        assert.deepEqual(validateResource(userResourceType, once), once);
      }),
    );
  });

  it('key casing never changes the result', () => {
    fc.assert(
      fc.property(body, fc.boolean(), (b, upper) => {
        const recase = (o: JsonObject): JsonObject =>
          Object.fromEntries(Object.entries(o).map(([k, v]) => [upper ? k.toUpperCase() : k.toLowerCase(), v]));
        const original = validateResource(userResourceType, { schemas: [USER_SCHEMA], ...b });
        assert.deepEqual(validateResource(userResourceType, recase({ schemas: [USER_SCHEMA], ...b } as JsonObject)), original);
      }),
    );
  });
});

describe('checkUniqueTypes (POST/PUT: one value per type, entra-onelogin-jumpcloud.md §1)', () => {
  it('refuses a type repeated in another letter case, naming the attribute and the type', () => {
    const resource = user({ emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'Work' }] });
    assertInvalid(() => checkUniqueTypes(userResourceType, resource), 'invalidValue', '"emails" has more than one value of type "Work"');
  });

  it('refuses repeated phone and address types too', () => {
    assertInvalid(() => checkUniqueTypes(userResourceType, user({ phoneNumbers: [{ value: '+41 441234567', type: 'mobile' }, { value: '+41 441234568', type: 'mobile' }] })), 'invalidValue', 'phoneNumbers');
    assertInvalid(() => checkUniqueTypes(userResourceType, user({ addresses: [{ locality: 'Zurich', type: 'work' }, { locality: 'Bern', type: 'work' }] })), 'invalidValue', 'addresses');
  });

  it('accepts distinct types, untyped values, and attributes whose type has no canonical values (roles)', () => {
    const resource = user({
      emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'home' }, { value: 'c@example.com' }, { value: 'd@example.com' }],
      roles: [{ value: 'Admin', type: 'WindowsAzureActiveDirectoryRole' }, { value: 'Reader', type: 'WindowsAzureActiveDirectoryRole' }],
    });
    assert.doesNotThrow(() => checkUniqueTypes(userResourceType, resource));
    assert.doesNotThrow(() => checkUniqueTypes(groupResourceType, validateResource(groupResourceType, { displayName: 'Team', members: [{ value: 'a', type: 'User' }, { value: 'b', type: 'User' }] })));
  });
});
