import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { scimClient } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';

/**
 * Random filters and PATCH bodies over real HTTP: never a 5xx, and a refused PATCH leaves the
 * user exactly as it was (no partial write).
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const paths = fc.constantFrom(
  'title', 'displayName', 'active', 'userName', 'name.givenName', 'name', 'emails', 'emails[type eq "work"].value', 'emails[type eq "home"]',
  'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].locality', `${ENTERPRISE}:department`, `${ENTERPRISE}:manager`,
  'id', 'meta.created', 'groups', 'nosuch', 'emails[', 'name..givenName', '__proto__', 'members', 'roles[primary eq "True"].value',
);
const values = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constantFrom('True', 'False', '+41 441234567', '555-1234', '', 'x@example.com'),
  fc.integer(),
  fc.constant(null),
  fc.constant({ value: 'v', type: 'work' }),
  fc.constant([{ value: 'a@example.com', type: 'work', primary: true }]),
  fc.constant({ givenName: 'G', familyName: 'F' }),
  fc.constant({ active: false }),
);
const operation = fc.record(
  { op: fc.constantFrom('add', 'replace', 'remove', 'Replace', 'Add', 'bogus'), path: paths, value: values },
  { requiredKeys: ['op'] },
);
const patchBody = fc.oneof(
  fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.array(operation, { maxLength: 4 }) }),
  fc.record({ schemas: fc.constantFrom([PATCH_OP], [], ['urn:x']), Operations: fc.anything({ maxDepth: 2 }) }),
);
const filterText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc
    .tuple(
      fc.constantFrom('userName', 'emails.value', 'title', 'active', 'meta.created', 'name.givenName', `${ENTERPRISE}:department`, 'emails[type eq "work"]', 'nosuch', 'groups.value'),
      fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'pr', 'xx'),
      fc.constantFrom('"a"', 'true', '1', '"2020-01-01T00:00:00Z"', '', 'null', '"a" and title pr', '"x" or not (userName eq "y")'),
    )
    .map(([attribute, op, value]) => `${attribute} ${op} ${value}`.trim()),
);

describeEachDatabase('SCIM users: random requests', (server) => {
  it('random PATCH bodies never answer 5xx, and a refused PATCH changes nothing', async () => {
    const { apiKey } = await server().createAccount({ seats: 10 });
    const scim = scimClient(server().url, apiKey);
    const created = await scim.post('/Users', { schemas: [USER], userName: 'prop@example.com', title: 'Host', emails: [{ value: 'prop@example.com', type: 'work', primary: true }] });
    const id = created.body.id as string;
    await fc.assert(
      fc.asyncProperty(patchBody, async (body) => {
        const before = await scim.get(`/Users/${id}`);
        const response = await scim.patch(`/Users/${id}`, body);
        assert.ok(response.status < 500, `${response.status} ${response.text}`);
        if (response.status >= 400) {
          const after = await scim.get(`/Users/${id}`);
          assert.deepEqual(after.body, before.body);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('random filters answer 200 or 400 invalidFilter, never 5xx and never everything by mistake', async () => {
    const { apiKey } = await server().createAccount({ seats: 10 });
    const scim = scimClient(server().url, apiKey);
    await scim.post('/Users', { schemas: [USER], userName: 'a@example.com' });
    await fc.assert(
      fc.asyncProperty(filterText, async (filter) => {
        const response = await scim.get(`/Users?filter=${encodeURIComponent(filter)}`);
        assert.ok(response.status === 200 || response.status === 400, `${filter}: ${response.status} ${response.text}`);
        if (response.status === 400) assert.ok(['invalidFilter', 'invalidValue'].includes(response.body.scimType), `${filter}: ${response.body.scimType}`);
      }),
      { numRuns: 80 },
    );
  });
});
