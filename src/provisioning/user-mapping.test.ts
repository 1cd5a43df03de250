import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScimMemberRow } from '../db/repositories/member-reads-repository.js';
import { projectResource } from '../scim/projection.js';
import { ENTERPRISE_USER_SCHEMA, userResourceType } from '../scim/schemas/registry.js';
import { validateResource } from '../scim/validate-resource.js';
import { scimUserView, storedUserResource, toScimUser, type TeamRef } from './user-mapping.js';

const BASE = 'https://roster.example/scim/v2';

const rowWith = (resource: string, status: ScimMemberRow['status'] = 'active'): ScimMemberRow => ({
  id: '2819c223-7f76-453a-919d-413861904646',
  resource,
  status,
  version: 7,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-02-01T00:00:00.000Z',
});

/** How a write stores a User body (users-service.ts). */
const storedText = (body: unknown): string => JSON.stringify(storedUserResource(validateResource(userResourceType, body)));

/** What the default projection of toScimUser serializes to: the text defaultJson must equal. */
const parsedJson = (row: ScimMemberRow, teams: TeamRef[] | undefined): string => JSON.stringify(projectResource(userResourceType, toScimUser(row, teams, BASE), {}));

const bodies: Record<string, unknown> = {
  'core attributes only': { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', active: true },
  'Okta create with enterprise extension': {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA],
    userName: 'grace@example.com',
    name: { givenName: 'Grace', familyName: 'Hopper' },
    emails: [{ value: 'grace@example.com', type: 'work', primary: true }],
    phoneNumbers: [{ value: '+41 441234567', type: 'work' }],
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '42', department: 'Check-in', manager: { value: 'm-1' } },
    password: 'not stored',
  },
  'quotes, backslashes, unicode and key-like text in values': {
    userName: 'quote"back\\slash@example.com',
    displayName: 'Zoë "id": 😀 \u2028 end',
    title: '"meta":{} "password":',
  },
};

describe('scimUserView: the default projection as JSON text', () => {
  for (const [name, body] of Object.entries(bodies)) {
    for (const teams of [undefined, [], [{ id: 't-1', displayName: 'Door "A"' }, { id: 't-2', displayName: 'Bar' }]]) {
      for (const status of ['active', 'deactivated'] as const) {
        it(`${name}, teams ${JSON.stringify(teams)}, ${status}: the same text as serializing the projected User`, () => {
          const row = rowWith(storedText(body), status);
          assert.equal(scimUserView(row, teams, BASE).defaultJson(), parsedJson(row, teams));
        });
      }
    }
  }

  // Text no write produces today (an older writer's, or another tool's): the parsing path answers.
  const unusual: Record<string, string> = {
    'spaces after separators': '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a@example.com"}',
    'schemas not first': '{"userName":"a@example.com","schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}',
    'a stored password, in any case': '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","PassWord":"secret"}',
    'a stored id and meta': '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"other","userName":"a@example.com","meta":{"version":"W/\\"1\\""}}',
    'the enterprise URN listed without its attributes': `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","${ENTERPRISE_USER_SCHEMA}"],"userName":"a@example.com"}`,
    'enterprise attributes not listed in schemas': `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","${ENTERPRISE_USER_SCHEMA}":{"department":"X"}}`,
  };
  for (const [name, text] of Object.entries(unusual)) {
    it(`${name}: the same text as serializing the projected User`, () => {
      const row = rowWith(text);
      const json = scimUserView(row, [], BASE).defaultJson();
      assert.equal(json, parsedJson(row, []));
      assert.doesNotMatch(json, /secret/);
    });
  }
});
