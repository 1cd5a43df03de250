import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError } from '../errors.js';
import { ENTERPRISE_USER_SCHEMA, groupResourceType, userResourceType, type ResourceType } from '../schemas/registry.js';
import type { FilterValue } from './ast.js';
import { parseFilter } from './parse-filter.js';
import { formatResolvedPath, resolveFilter, type ResolvedFilter } from './resolve-filter.js';

const resolve = (text: string, type: ResourceType = userResourceType): ResolvedFilter => resolveFilter(type, parseFilter(text));

/** The resolved leaf of a single comparison, as `[canonical path, value]`. */
function leaf(text: string, type: ResourceType = userResourceType): [string, FilterValue | 'pr'] {
  const filter = resolve(text, type);
  if (filter.kind === 'compare') return [formatResolvedPath(filter.path), filter.value];
  if (filter.kind === 'present') return [formatResolvedPath(filter.path), 'pr'];
  throw new Error(`expected a single comparison, got ${filter.kind}`);
}

function assertInvalidFilter(text: string, detail: RegExp, type: ResourceType = userResourceType): void {
  assert.throws(
    () => resolve(text, type),
    (error: unknown) => {
      assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
      assert.equal(error.status, 400);
      assert.equal(error.scimType, 'invalidFilter');
      assert.match(error.detail, detail);
      return true;
    },
  );
}

describe('resolveFilter: attribute names', () => {
  const cases: [string, string, FilterValue | 'pr'][] = [
    ['userName eq "x"', 'userName', 'x'],
    ['USERNAME eq "x"', 'userName', 'x'],
    ['username eq "x"', 'userName', 'x'],
    ['NAME.GIVENNAME eq "x"', 'name.givenName', 'x'],
    ['externalId eq "x"', 'externalId', 'x'],
    ['id eq "x"', 'id', 'x'],
    ['meta.resourceType eq "User"', 'meta.resourceType', 'User'],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', 'userName', 'x'],
    ['urn:ietf:params:scim:schemas:core:2.0:user:id eq "x"', 'id', 'x'],
    ['employeeNumber eq "42"', `${ENTERPRISE_USER_SCHEMA}:employeeNumber`, '42'],
    [`${ENTERPRISE_USER_SCHEMA}:employeeNumber eq "42"`, `${ENTERPRISE_USER_SCHEMA}:employeeNumber`, '42'],
    [`${ENTERPRISE_USER_SCHEMA.toUpperCase()}:Manager.Value eq "m"`, `${ENTERPRISE_USER_SCHEMA}:manager.value`, 'm'],
    // RFC 7644 §3.4.2.2: a multi-valued complex attribute without sub-attribute means its value.
    ['emails eq "a@x"', 'emails.value', 'a@x'],
    ['emails co "@x"', 'emails.value', '@x'],
    ['emails pr', 'emails.value', 'pr'],
    // Entra's manager check (entra-onelogin-jumpcloud.md §3.8): `manager eq "<id>"`.
    ['manager eq "m1"', `${ENTERPRISE_USER_SCHEMA}:manager.value`, 'm1'],
    ['name pr', 'name', 'pr'],
    ['addresses pr', 'addresses', 'pr'],
  ];
  for (const [text, canonical, value] of cases) {
    it(`resolves ${text} to ${canonical}`, () => assert.deepEqual(leaf(text), [canonical, value]));
  }
  it('resolves Group attributes and the members id shortcut', () => {
    assert.deepEqual(leaf('DisplayName eq "BobIsAmazing"', groupResourceType), ['displayName', 'BobIsAmazing']);
    assert.deepEqual(leaf('members eq "u1"', groupResourceType), ['members.value', 'u1']);
    assert.deepEqual(leaf('urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"', groupResourceType), ['displayName', 'x']);
  });
  it('returns the canonical definitions, so consumers see type and caseExact', () => {
    const filter = resolve('EXTERNALID eq "x"');
    assert.equal(filter.kind, 'compare');
    if (filter.kind !== 'compare') return;
    assert.equal(filter.path.attribute.name, 'externalId');
    assert.equal(filter.path.attribute.caseExact, true);
    assert.equal(filter.path.extension, undefined);
  });
});

describe('resolveFilter: value paths', () => {
  it('resolves inner paths as sub-attributes of the outer attribute', () => {
    const filter = resolve('EMAILS[TYPE eq "work" and value co "@x"]');
    assert.equal(filter.kind, 'valuePath');
    if (filter.kind !== 'valuePath') return;
    assert.equal(formatResolvedPath(filter.path), 'emails');
    assert.equal(filter.filter.kind, 'and');
    if (filter.filter.kind !== 'and') return;
    assert.equal(filter.filter.left.kind === 'compare' && formatResolvedPath(filter.filter.left.path), 'emails.type');
    assert.equal(filter.filter.right.kind === 'compare' && formatResolvedPath(filter.filter.right.path), 'emails.value');
  });
  it('resolves members[value eq "…"] on Groups and roles[primary eq "True"] to a boolean', () => {
    assert.equal(resolve('members[value eq "abc"]', groupResourceType).kind, 'valuePath');
    const roles = resolve('roles[primary eq "True"]');
    assert.ok(roles.kind === 'valuePath' && roles.filter.kind === 'compare');
    assert.equal(roles.filter.value, true);
  });
});

describe('resolveFilter: value types', () => {
  const cases: [string, FilterValue][] = [
    ['active eq true', true],
    ['active eq false', false],
    // Entra sends booleans as strings (entra-onelogin-jumpcloud.md §3.6).
    ['active eq "True"', true],
    ['active eq "FALSE"', false],
    ['active ne "false"', false],
    ['active eq null', null],
    ['title eq null', null],
    ['meta.lastModified gt "2024-01-31T08:00:00Z"', '2024-01-31T08:00:00.000Z'],
    ['meta.lastModified ge "2024-01-31T10:00:00+02:00"', '2024-01-31T08:00:00.000Z'],
    ['meta.created lt "2024-01-31"', '2024-01-31T00:00:00.000Z'],
    ['meta.created le "2024-01-31T08:00"', '2024-01-31T08:00:00.000Z'],
    ['meta.created eq "2024-01-31T08:00:00.123456Z"', '2024-01-31T08:00:00.123Z'],
    ['meta.created eq "2024-02-29t08:00:00z"', '2024-02-29T08:00:00.000Z'],
    ['userName gt "m"', 'm'],
  ];
  for (const [text, value] of cases) it(`normalises ${text}`, () => assert.deepEqual(leaf(text)[1], value));
});

describe('resolveFilter: errors are invalidFilter', () => {
  const cases: [string, RegExp, ResourceType?][] = [
    ['foo eq "x"', /^Unknown attribute "foo" in filter; User resources have no such attribute/],
    ['name.nickname eq "x"', /^Unknown attribute "name.nickname" in filter/],
    ['userName.value eq "x"', /^Unknown attribute "userName.value"/],
    ['urn:ietf:params:scim:schemas:core:2.0:User:employeeNumber eq "1"', /^Unknown attribute/],
    ['urn:example:Other:userName eq "x"', /^Unknown schema "urn:example:Other"/],
    ['urn:ietf:params:scim:schemas:core:2.0:Group:userName eq "x"', /^Unknown schema/],
    ['members eq "x"', /^Unknown attribute "members"/],
    ['userName eq "x"', /^Unknown attribute "userName" in filter; Group resources/, groupResourceType],
    ['password eq "secret"', /"password" is never returned/],
    ['password pr', /never returned/],
    ['emails[foo eq "x"]', /^Unknown attribute "foo" in filter; "emails" has the sub-attributes value, display, type, primary/],
    ['emails[emails.value eq "x"]', /must be a sub-attribute name of emails/],
    ['emails[urn:ietf:params:scim:schemas:core:2.0:User:type eq "x"]', /must be a sub-attribute name/],
    ['userName[value eq "x"]', /not a multi-valued complex attribute/],
    ['name[givenName eq "x"]', /not a multi-valued complex attribute/],
    ['name eq "x"', /"name" is a complex attribute; compare one of its sub-attributes/],
    ['meta gt "x"', /complex attribute/],
    ['active eq "yes"', /"active" is a boolean; compare it with true or false/],
    ['active eq 1', /is a boolean/],
    ['active gt true', /"gt" cannot be used on the boolean attribute "active"/],
    ['active le false', /cannot be used on the boolean/],
    ['active co "t"', /cannot be used on the boolean/],
    ['emails[primary ge true]', /cannot be used on the boolean attribute "emails.primary"/],
    ['meta.created gt "yesterday"', /"meta.created" is a date-time/],
    ['meta.created gt "2024-13-45T99:00:00Z"', /is a date-time/],
    ['meta.created gt "2024-02-30T00:00:00Z"', /is a date-time/],
    ['meta.created gt "2023-02-29"', /is a date-time/],
    ['meta.created gt "2024-01-01T24:00:00Z"', /is a date-time/],
    ['meta.created gt 20240101', /is a date-time/],
    ['meta.created sw "2024"', /"sw" cannot be used on the date-time/],
    ['userName eq 5', /"userName" is a string; put the value in double quotes/],
    ['userName eq true', /is a string/],
    ['userName co null', /only eq and ne accept null/],
    ['x509Certificates.value gt "AAAA"', /"gt" cannot be used on the binary attribute/],
  ];
  for (const [text, detail, type] of cases) it(`rejects ${text}`, () => assertInvalidFilter(text, detail, type));
});
