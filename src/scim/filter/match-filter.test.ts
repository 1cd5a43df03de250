import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../errors.js';
import { ENTERPRISE_USER_SCHEMA, groupResourceType, userResourceType, type ResourceType } from '../schemas/registry.js';
import { matchesElementFilter, matchesFilter } from './match-filter.js';
import { parseFilter } from './parse-filter.js';
import { parsePatchPath } from './parse-path.js';
import { resolveFilter } from './resolve-filter.js';

type Resource = Record<string, unknown>;

/** A user as the server stores it: canonical names, extension under its URN. */
function user(overrides: Resource = {}): Resource {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA],
    id: 'u-1',
    externalId: 'Ext-1',
    userName: 'Jane.Doe@Example.com',
    name: { givenName: 'Jane', familyName: 'Doe' },
    displayName: 'Jane Doe',
    title: '',
    active: true,
    emails: [
      { value: 'jane@work.example', type: 'work', primary: true },
      { value: 'JANE@home.example', type: 'home', primary: false },
    ],
    addresses: [{ type: 'work', streetAddress: '1 Main St', country: 'CH' }],
    roles: [],
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '42', department: 'R&D', manager: { value: 'm-1' } },
    meta: { resourceType: 'User', created: '2024-01-31T08:00:00Z', lastModified: '2024-06-01T12:30:00.000Z' },
    ...overrides,
  };
}

const matches = (resource: Resource, text: string, type: ResourceType = userResourceType): boolean =>
  matchesFilter(resource, resolveFilter(type, parseFilter(text)));

describe('matchesFilter on a user', () => {
  const cases: [string, boolean][] = [
    // Okta R9 (okta.md): userName eq is case-insensitive.
    ['userName eq "jane.doe@example.com"', true],
    ['userName eq "JANE.DOE@EXAMPLE.COM"', true],
    ['userName eq "jane"', false],
    ['userName ne "jane"', true],
    ['userName ne "JANE.DOE@example.com"', false],
    ['userName co "DOE@"', true],
    ['userName sw "jane."', true],
    ['userName ew ".COM"', true],
    ['userName ew "example"', false],
    ['userName gt "j"', true],
    ['userName lt "j"', false],
    ['userName ge "jane.doe@example.com"', true],
    ['userName le "jane.doe@example.com"', true],
    // externalId and id are caseExact (common-attributes.ts).
    ['externalId eq "Ext-1"', true],
    ['externalId eq "ext-1"', false],
    ['id eq "U-1"', false],
    ['name.givenName eq "jane"', true],
    ['name.middleName pr', false],
    ['name pr', true],
    ['active eq true', true],
    ['active eq "False"', false],
    ['active ne false', true],
    // pr: absent, null, empty string and empty array are not present.
    ['displayName pr', true],
    ['title pr', false],
    ['nickName pr', false],
    ['roles pr', false],
    ['emails pr', true],
    ['addresses pr', true],
    ['title eq null', true],
    ['displayName eq null', false],
    ['displayName ne null', true],
    // ne is "not eq": an absent attribute is ne anything.
    ['nickName ne "x"', true],
    // Multi-valued: any value matches.
    ['emails.value eq "jane@home.example"', true],
    ['emails eq "JANE@WORK.EXAMPLE"', true],
    ['emails.value ew "@home.example"', true],
    ['emails.type eq "other"', false],
    ['emails.type ne "work"', false],
    ['emails[type eq "work" and value co "@work"]', true],
    ['emails[type eq "work" and value co "@home"]', false],
    ['emails[type eq "home" and primary eq false]', true],
    ['emails[not (type eq "work")]', true],
    ['emails[type eq "work"].value eq "jane@work.example"', true],
    ['emails[type eq "work"].value eq "jane@home.example"', false],
    ['addresses[type eq "work"].streetAddress sw "1 main"', true],
    ['roles[primary eq "True"]', false],
    // Extension attributes live under the URN key.
    ['employeeNumber eq "42"', true],
    [`${ENTERPRISE_USER_SCHEMA}:department eq "r&d"`, true],
    ['manager eq "m-1"', true],
    ['manager.value eq "M-1"', true],
    ['id eq "u-1" and manager eq "m-2"', false],
    // Dates compare as instants, whatever the offset.
    ['meta.created eq "2024-01-31T09:00:00+01:00"', true],
    ['meta.created gt "2024-01-31T07:59:59Z"', true],
    ['meta.created gt "2024-01-31T08:00:00Z"', false],
    ['meta.created ge "2024-01-31T08:00:00Z"', true],
    ['meta.lastModified lt "2024-06-01"', false],
    ['meta.lastModified le "2024-06-02"', true],
    ['meta.lastModified gt "2024-01-01" and meta.lastModified lt "2025-01-01"', true],
    // Logic.
    ['userName eq "x" or displayName eq "jane doe"', true],
    ['userName eq "x" or displayName eq "x" and active eq true', false],
    ['(userName eq "x" or displayName eq "jane doe") and active eq true', true],
    ['not (active eq true)', false],
    ['not (nickName pr) and not (title pr)', true],
  ];
  const jane = user();
  for (const [text, expected] of cases) it(`${expected ? 'matches' : 'rejects'} ${text}`, () => assert.equal(matches(jane, text), expected));

  it('reads a single value where a multi-valued attribute is stored as one object', () => {
    assert.equal(matches(user({ emails: { value: 'solo@x', type: 'work' } }), 'emails[type eq "work"]'), true);
  });
  it('does not match a date it cannot parse', () => {
    assert.equal(matches(user({ meta: { created: 'not a date' } }), 'meta.created lt "2100-01-01"'), false);
  });
  it('finds attributes whose stored keys differ in case', () => {
    assert.equal(matches({ USERNAME: 'a@b' }, 'userName eq "A@B"'), true);
  });
  it('ignores inherited properties', () => {
    assert.equal(matches(Object.create({ userName: 'a@b' }) as Resource, 'userName pr'), false);
  });
});

describe('matchesFilter on a group', () => {
  const team = { id: 'g-1', displayName: 'Sales and Marketing - EMEA', members: [{ value: 'u-1', display: 'Jane' }, { value: 'u-2' }] };
  const cases: [string, boolean][] = [
    ['displayName eq "sales and marketing - emea"', true],
    ['members[value eq "u-2"]', true],
    ['members eq "u-1"', true],
    ['members[value eq "u-3"]', false],
    ['members.display pr', true],
  ];
  for (const [text, expected] of cases) it(`${expected ? 'matches' : 'rejects'} ${text}`, () => assert.equal(matches(team, text, groupResourceType), expected));
});

describe('matchesElementFilter', () => {
  const work = { value: 'a@x', type: 'Work', primary: true };
  const home = { value: 'b@y', type: 'home' };
  it('applies the value filter of a PATCH path to one element', () => {
    const path = parsePatchPath(userResourceType, 'emails[type eq "work"].value');
    assert.ok(path.valueFilter);
    assert.equal(matchesElementFilter(work, path.valueFilter, path.attribute), true);
    assert.equal(matchesElementFilter(home, path.valueFilter, path.attribute), false);
  });
  it('honours Entra string booleans in a value filter', () => {
    const path = parsePatchPath(userResourceType, 'emails[primary eq "True"]');
    assert.ok(path.valueFilter);
    assert.equal(matchesElementFilter(work, path.valueFilter, path.attribute), true);
    assert.equal(matchesElementFilter(home, path.valueFilter, path.attribute), false);
  });
  it('matches the member to remove with members[value eq "…"]', () => {
    const path = parsePatchPath(groupResourceType, 'members[value eq "abc"]');
    assert.ok(path.valueFilter);
    assert.equal(matchesElementFilter({ value: 'abc' }, path.valueFilter, path.attribute), true);
    assert.equal(matchesElementFilter({ value: 'abd' }, path.valueFilter, path.attribute), false);
    assert.equal(matchesElementFilter({ display: 'abc' }, path.valueFilter, path.attribute), false);
  });
  it('also accepts paths relative to the element', () => {
    const path = parsePatchPath(userResourceType, 'emails[type eq "home"]');
    const type = path.attribute.subAttributes?.find((a) => a.name === 'type');
    assert.ok(type);
    const relative = { kind: 'compare', path: { extension: undefined, attribute: type, subAttribute: undefined }, op: 'eq', value: 'home' } as const;
    assert.equal(matchesElementFilter(home, relative, path.attribute), true);
    assert.equal(matchesElementFilter(work, relative, path.attribute), false);
  });
});

describe('matchesFilter: properties', () => {
  const piece = fc.constantFrom(
    'userName', 'emails', 'emails.value', 'emails.type', 'active', 'meta.created', 'name', 'manager', 'title', 'password', 'foo',
    'eq', 'ne', 'co', 'sw', 'gt', 'le', 'pr', 'and', 'or', 'not', '(', ')', '[', ']', '"x"', '"True"', '"2024-01-31"', 'true', 'null', '3',
  );
  it('parses and resolves random token soups to invalidFilter or a filter that evaluates to a boolean', () => {
    const jane = user();
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (tokens) => {
        try {
          assert.equal(typeof matches(jane, tokens.join(' ')), 'boolean');
        } catch (error) {
          assert.ok(error instanceof ScimError && error.scimType === 'invalidFilter', String(error));
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('agrees with De Morgan: not (a and b) equals not (a) or not (b)', () => {
    const terms = fc.constantFrom('userName sw "jane"', 'active eq true', 'title pr', 'emails[type eq "home"]', 'meta.created gt "2024-02-01"', 'manager eq "m-1"');
    const jane = user();
    fc.assert(
      fc.property(terms, terms, (a, b) => {
        assert.equal(matches(jane, `not (${a} and ${b})`), matches(jane, `not (${a}) or not (${b})`));
      }),
    );
  });
});
