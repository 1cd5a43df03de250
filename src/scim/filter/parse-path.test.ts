import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScimError } from '../errors.js';
import { ENTERPRISE_USER_SCHEMA, groupResourceType, userResourceType, type ResourceType } from '../schemas/registry.js';
import { isExtensionRoot, parsePatchPath, type PatchPath } from './parse-path.js';
import { formatResolvedPath, type ResolvedFilter } from './resolve-filter.js';

/** A compact, comparable view of a PatchPath. */
function summary(path: PatchPath): { extension: string | undefined; attribute: string; sub: string | undefined; filter: string | undefined } {
  return {
    extension: path.extension,
    attribute: path.attribute.name,
    sub: path.subAttribute?.name,
    filter: path.valueFilter ? describeFilter(path.valueFilter) : undefined,
  };
}

function describeFilter(filter: ResolvedFilter): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatResolvedPath(filter.path)} ${filter.op} ${JSON.stringify(filter.value)}`;
    case 'present':
      return `${formatResolvedPath(filter.path)} pr`;
    case 'not':
      return `not (${describeFilter(filter.filter)})`;
    case 'and':
    case 'or':
      return `(${describeFilter(filter.left)} ${filter.kind} ${describeFilter(filter.right)})`;
    case 'valuePath':
      return `${formatResolvedPath(filter.path)}[${describeFilter(filter.filter)}]`;
  }
}

const E = ENTERPRISE_USER_SCHEMA;

describe('parsePatchPath: valid paths', () => {
  const cases: [string, ReturnType<typeof summary>, ResourceType?][] = [
    ['userName', { extension: undefined, attribute: 'userName', sub: undefined, filter: undefined }],
    ['USERNAME', { extension: undefined, attribute: 'userName', sub: undefined, filter: undefined }],
    ['active', { extension: undefined, attribute: 'active', sub: undefined, filter: undefined }],
    ['name.familyName', { extension: undefined, attribute: 'name', sub: 'familyName', filter: undefined }],
    ['emails', { extension: undefined, attribute: 'emails', sub: undefined, filter: undefined }],
    ['emails.value', { extension: undefined, attribute: 'emails', sub: 'value', filter: undefined }],
    ['password', { extension: undefined, attribute: 'password', sub: undefined, filter: undefined }],
    ['urn:ietf:params:scim:schemas:core:2.0:User:name.givenName', { extension: undefined, attribute: 'name', sub: 'givenName', filter: undefined }],
    // Entra (entra-onelogin-jumpcloud.md §2, §3.5).
    ['emails[type eq "work"].value', { extension: undefined, attribute: 'emails', sub: 'value', filter: 'emails.type eq "work"' }],
    ['phoneNumbers[type eq "mobile"].value', { extension: undefined, attribute: 'phoneNumbers', sub: 'value', filter: 'phoneNumbers.type eq "mobile"' }],
    ['addresses[type eq "work"].streetAddress', { extension: undefined, attribute: 'addresses', sub: 'streetAddress', filter: 'addresses.type eq "work"' }],
    ['roles[primary eq "True"].value', { extension: undefined, attribute: 'roles', sub: 'value', filter: 'roles.primary eq true' }],
    ['emails[primary eq true].value', { extension: undefined, attribute: 'emails', sub: 'value', filter: 'emails.primary eq true' }],
    ['emails[type eq "work"]', { extension: undefined, attribute: 'emails', sub: undefined, filter: 'emails.type eq "work"' }],
    ['emails[type eq "work" and value co "@x"]', { extension: undefined, attribute: 'emails', sub: undefined, filter: '(emails.type eq "work" and emails.value co "@x")' }],
    [`${E}:manager`, { extension: E, attribute: 'manager', sub: undefined, filter: undefined }],
    [`${E}:employeeNumber`, { extension: E, attribute: 'employeeNumber', sub: undefined, filter: undefined }],
    [`${E}:manager.value`, { extension: E, attribute: 'manager', sub: 'value', filter: undefined }],
    [`${E.toLowerCase()}:Department`, { extension: E, attribute: 'department', sub: undefined, filter: undefined }],
    ['manager', { extension: E, attribute: 'manager', sub: undefined, filter: undefined }],
    [' userName ', { extension: undefined, attribute: 'userName', sub: undefined, filter: undefined }],
    // Okta group push (okta.md): remove one member, add to schema-qualified members.
    ['members[value eq "abc"]', { extension: undefined, attribute: 'members', sub: undefined, filter: 'members.value eq "abc"' }, groupResourceType],
    ['urn:ietf:params:scim:schemas:core:2.0:Group:members', { extension: undefined, attribute: 'members', sub: undefined, filter: undefined }, groupResourceType],
    ['displayName', { extension: undefined, attribute: 'displayName', sub: undefined, filter: undefined }, groupResourceType],
  ];
  for (const [text, expected, type] of cases) {
    it(`parses ${text}`, () => assert.deepEqual(summary(parsePatchPath(type ?? userResourceType, text)), expected));
  }

  it('treats a bare extension URN as the whole extension object', () => {
    const path = parsePatchPath(userResourceType, E);
    assert.equal(path.extension, E);
    assert.equal(isExtensionRoot(path), true);
    assert.equal(path.attribute.type, 'complex');
    assert.ok(path.attribute.subAttributes?.some((a) => a.name === 'manager'));
    assert.equal(parsePatchPath(userResourceType, E.toUpperCase()).attribute, path.attribute);
    assert.equal(isExtensionRoot(parsePatchPath(userResourceType, `${E}:manager`)), false);
  });
  it('returns the registry definitions', () => {
    const path = parsePatchPath(userResourceType, 'id');
    assert.equal(path.attribute.mutability, 'readOnly');
  });
});

describe('parsePatchPath: invalid paths are invalidPath', () => {
  const cases: [string, RegExp, ResourceType?][] = [
    ['', /the path is empty/],
    ['   ', /the path is empty/],
    ['foo', /unknown attribute "foo"/],
    ['name.nickname', /"name" has no sub-attribute "nickname"/],
    ['userName.value', /"userName" has no sub-attribute "value"/],
    ['name. givenName', /no space is allowed in a path outside "\[…\]" \(position 5\)/],
    ['name .givenName', /no space is allowed/],
    ['user Name', /no space is allowed/],
    ['emails [type eq "work"]', /no space is allowed/],
    ['emails[type eq "work"] .value', /no space is allowed in a path outside/],
    ['name.', /attribute name is empty/],
    ['name..givenName', /attribute name is empty/],
    ['.name', /attribute name is empty/],
    ['emails[type eq "work"].', /attribute name is empty/],
    ['emails[type eq "work"].value.x', /not a valid attribute name/],
    ['name.givenName.x', /at most one sub-attribute/],
    ['__proto__', /"__proto__" at position 0 is not an attribute name/],
    ['constructor', /not an attribute name/],
    ['name.prototype', /not an attribute name/],
    ['emails[type eq "work"].__proto__', /not an attribute name/],
    ['emails[__proto__ eq "x"]', /not an attribute name/],
    ['urn:ietf:params:scim:schemas:core:2.0:User', /core schema URN alone is not a path/],
    ['urn:example:Other:userName', /unknown schema "urn:example:Other"/],
    [`${E}:userName`, /unknown attribute "userName"/],
    [`${E}:manager`, /unknown schema/, groupResourceType],
    ['emails[type eq "work"', /missing "\]"/],
    ['emails[type eq work]', /must be in double quotes/],
    ['emails[foo eq "x"]', /Unknown attribute "foo" in filter; "emails" has the sub-attributes/],
    ['emails[primary gt true]', /"gt" cannot be used on the boolean/],
    ['emails[value.x eq "y"]', /must be a sub-attribute name of emails/],
    ['emails[type eq "work"][type eq "home"]', /expected the end of the path/],
    ['emails[type eq "work"]value', /expected the end of the path/],
    ['emails[members[value pr]]', /cannot be nested/],
    ['name[givenName eq "x"]', /"name" is not a multi-valued complex attribute/],
    ['userName[value eq "x"]', /not a multi-valued complex attribute/],
    ['name.givenName[value eq "x"]', /is a sub-attribute/],
    ['emails[type eq "work"].foo', /"emails" has no sub-attribute "foo"/],
    ['"userName"', /expected an attribute name/],
    ['userName eq "x"', /no space is allowed/],
    [`emails[${Array(51).fill('type eq "w"').join(' or ')}]`, /more than 50 comparisons/],
    [`x${'a'.repeat(4096)}`, /limit is 4096/],
  ];
  for (const [text, detail, type] of cases) {
    it(`rejects ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`, () => {
      assert.throws(
        () => parsePatchPath(type ?? userResourceType, text),
        (error: unknown) => {
          assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
          assert.equal(error.status, 400);
          assert.equal(error.scimType, 'invalidPath');
          assert.match(error.detail, /^Invalid PATCH path "/);
          assert.match(error.detail, detail);
          return true;
        },
      );
    });
  }
});
