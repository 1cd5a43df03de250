import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { enterpriseUserSchema } from '../schemas/enterprise-user-schema.js';
import { groupSchema } from '../schemas/group-schema.js';
import { userSchema } from '../schemas/user-schema.js';
import type { JsonObject, JsonValue } from '../json.js';
import { findResourceTypeDocument, resourceTypeDocuments } from './resource-types.js';
import { findSchemaDocument, schemaDocuments } from './schema-documents.js';
import { serviceProviderConfig } from './service-provider-config.js';

const baseUrl = 'https://roster.example/scim/v2';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const asObject = (value: JsonValue | undefined): JsonObject => {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `expected an object, got ${JSON.stringify(value)}`);
  return value;
};
const asList = (value: JsonValue | undefined): JsonObject[] => {
  assert.ok(Array.isArray(value), `expected a list, got ${JSON.stringify(value)}`);
  return value.map(asObject);
};
const attributeOf = (attributes: JsonValue | undefined, name: string): JsonObject => {
  const found = asList(attributes).find((a) => a['name'] === name);
  assert.ok(found, `attribute ${name} is listed`);
  return found;
};

describe('serviceProviderConfig', () => {
  const config = serviceProviderConfig(baseUrl, { maxResults: 100, maxPayloadSize: 1_048_576, etag: true });

  it('advertises patch, filter with maxResults, sort and etag; no bulk, no changePassword (RFC 7643 §5)', () => {
    assert.deepEqual(config['schemas'], ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
    assert.deepEqual(config['patch'], { supported: true });
    assert.deepEqual(config['bulk'], { supported: false, maxOperations: 0, maxPayloadSize: 0 });
    assert.deepEqual(config['filter'], { supported: true, maxResults: 100 });
    assert.deepEqual(config['changePassword'], { supported: false });
    assert.deepEqual(config['sort'], { supported: true });
    assert.deepEqual(config['etag'], { supported: true });
    const other = serviceProviderConfig(baseUrl, { maxResults: 50, maxPayloadSize: 1, etag: false });
    assert.deepEqual(other['etag'], { supported: false });
    assert.equal(asObject(other['filter'])['maxResults'], 50);
  });

  it('has exactly one authentication scheme: oauthbearertoken, primary', () => {
    const schemes = asList(config['authenticationSchemes']);
    assert.equal(schemes.length, 1);
    assert.equal(schemes[0]?.['type'], 'oauthbearertoken');
    assert.equal(schemes[0]?.['name'], 'OAuth Bearer Token');
    assert.equal(schemes[0]?.['primary'], true);
    assert.equal(typeof schemes[0]?.['description'], 'string');
  });

  it('carries its own meta.location and resourceType', () => {
    assert.deepEqual(config['meta'], { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` });
  });

  it('includes documentationUri only when given', () => {
    assert.equal('documentationUri' in config, false);
    const documented = serviceProviderConfig(baseUrl, { maxResults: 100, maxPayloadSize: 1, etag: true, documentationUri: 'https://roster.example/docs/scim' });
    assert.equal(documented['documentationUri'], 'https://roster.example/docs/scim');
  });
});

describe('resourceTypeDocuments', () => {
  const [userType, groupType] = resourceTypeDocuments(baseUrl);

  it('lists User first (Postman: Resources[0].endpoint == "/Users") with the enterprise extension not required', () => {
    assert.deepEqual(userType, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'Account members',
      schema: USER,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    });
  });

  it('lists Group with its schema and location and no extensions', () => {
    assert.equal(groupType?.['endpoint'], '/Groups');
    assert.equal(groupType?.['schema'], GROUP);
    assert.equal(groupType !== undefined && 'schemaExtensions' in groupType, false);
    assert.deepEqual(groupType?.['meta'], { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` });
  });

  it('finds one by id, case-insensitively; unknown ids are undefined', () => {
    assert.equal(findResourceTypeDocument(baseUrl, 'group')?.['id'], 'Group');
    assert.equal(findResourceTypeDocument(baseUrl, 'Device'), undefined);
  });
});

describe('schemaDocuments', () => {
  const documents = schemaDocuments(baseUrl);
  const user = findSchemaDocument(baseUrl, USER);

  it('lists User, Enterprise User and Group (the Logic-App validator needs the Group schema)', () => {
    assert.deepEqual(documents.map((d) => d['id']), [USER, ENTERPRISE, GROUP]);
  });

  it('Google reads accurate flags: userName required string', () => {
    const userName = attributeOf(user?.['attributes'], 'userName');
    assert.equal(userName['type'], 'string');
    assert.equal(userName['required'], true);
    assert.equal(userName['multiValued'], false);
    assert.equal(userName['uniqueness'], 'server');
    assert.equal(userName['caseExact'], false);
  });

  it('Google reads accurate flags: active boolean readWrite', () => {
    const active = attributeOf(user?.['attributes'], 'active');
    assert.equal(active['type'], 'boolean');
    assert.equal(active['mutability'], 'readWrite');
  });

  it('Google reads accurate flags: emails multi-valued complex with value and primary', () => {
    const emails = attributeOf(user?.['attributes'], 'emails');
    assert.equal(emails['multiValued'], true);
    assert.equal(emails['type'], 'complex');
    assert.equal(attributeOf(emails['subAttributes'], 'value')['type'], 'string');
    assert.equal(attributeOf(emails['subAttributes'], 'primary')['type'], 'boolean');
    assert.deepEqual(attributeOf(emails['subAttributes'], 'type')['canonicalValues'], ['work', 'home', 'other']);
  });

  it('Google reads accurate flags: name complex with givenName and familyName', () => {
    const name = attributeOf(user?.['attributes'], 'name');
    assert.equal(name['type'], 'complex');
    assert.equal(name['multiValued'], false);
    assert.equal(attributeOf(name['subAttributes'], 'givenName')['type'], 'string');
    assert.equal(attributeOf(name['subAttributes'], 'familyName')['type'], 'string');
  });

  it('password is writeOnly and returned never; groups is readOnly', () => {
    const password = attributeOf(user?.['attributes'], 'password');
    assert.equal(password['mutability'], 'writeOnly');
    assert.equal(password['returned'], 'never');
    assert.equal(attributeOf(user?.['attributes'], 'groups')['mutability'], 'readOnly');
  });

  it('manager is a complex reference to a User', () => {
    const enterprise = findSchemaDocument(baseUrl, ENTERPRISE);
    const manager = attributeOf(enterprise?.['attributes'], 'manager');
    assert.equal(manager['type'], 'complex');
    assert.deepEqual(attributeOf(manager['subAttributes'], '$ref')['referenceTypes'], ['User']);
  });

  it('does not list the common attributes id, externalId and meta (RFC 7643 §3.1)', () => {
    for (const document of documents) {
      const names = asList(document['attributes']).map((a) => a['name']);
      for (const common of ['id', 'externalId', 'meta']) assert.equal(names.includes(common), false, `${String(document['id'])} lists ${common}`);
    }
  });

  it('every attribute and sub-attribute states every RFC 7643 §7 characteristic, no nulls', () => {
    const required = ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'];
    const check = (attribute: JsonObject): void => {
      for (const key of required) assert.ok(key in attribute, `${String(attribute['name'])} has ${key}`);
      for (const value of Object.values(attribute)) assert.notEqual(value, null);
      if ('subAttributes' in attribute) asList(attribute['subAttributes']).forEach(check);
      assert.equal('subAttributes' in attribute, attribute['type'] === 'complex');
    };
    for (const document of documents) asList(document['attributes']).forEach(check);
  });

  it('is generated from the registry: every registry attribute appears, in order', () => {
    const pairs = [[USER, userSchema], [ENTERPRISE, enterpriseUserSchema], [GROUP, groupSchema]] as const;
    for (const [id, schema] of pairs) {
      const names = asList(findSchemaDocument(baseUrl, id)?.['attributes']).map((a) => a['name']);
      assert.deepEqual(names, schema.attributes.map((a) => a.name));
    }
  });

  it('carries meta.resourceType Schema and a location under /Schemas', () => {
    assert.deepEqual(user?.['meta'], { resourceType: 'Schema', location: `${baseUrl}/Schemas/${USER}` });
    assert.deepEqual(user?.['schemas'], ['urn:ietf:params:scim:schemas:core:2.0:Schema']);
  });

  it('finds a schema case-insensitively; unknown URNs are undefined', () => {
    assert.equal(findSchemaDocument(baseUrl, GROUP.toUpperCase())?.['id'], GROUP);
    assert.equal(findSchemaDocument(baseUrl, 'urn:example:nothing'), undefined);
  });
});
