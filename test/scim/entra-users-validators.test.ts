/**
 * What Microsoft's validators check on users (entra-onelogin-jumpcloud.md §3.11, §4, §5):
 * schema discovery, the Logic-App and Postman paging, projection and filter tests, and the
 * transport rules of §1 they exercise.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDatabase } from '../helpers/test-server.js';
import {
  assertEmptyList,
  assertScimJson,
  createUser,
  ENTERPRISE,
  entraCreateBody,
  entraJob,
  formEncode,
  LIST_RESPONSE,
  USER_SCHEMA,
  usersFilter,
} from './idp-flow-helpers.js';

describeEachDatabase('Microsoft Entra ID validators on users', (server) => {
  // §3.11 Schema discovery --------------------------------------------------------------------

  it('§3.11 Entra GET /Schemas → ListResponse with User, Group and EnterpriseUser, camelCase flags, no nulls', async () => {
    const { scim } = await entraJob(server());
    const response = await scim.get('/Schemas');
    assert.equal(response.status, 200);
    assertScimJson(response);
    assert.deepEqual(response.body.schemas, [LIST_RESPONSE]);
    const ids = response.body.Resources.map((s: { id: string }) => s.id);
    for (const urn of [USER_SCHEMA, 'urn:ietf:params:scim:schemas:core:2.0:Group', ENTERPRISE]) assert.ok(ids.includes(urn), urn);
    assert.ok(!response.text.includes('null'), 'no null values anywhere');
    const flags = new Set<string>();
    const walk = (attributes: { mutability: string; returned: string; uniqueness: string; type: string; subAttributes?: unknown[] }[]) => {
      for (const a of attributes) {
        flags.add(a.mutability).add(a.returned).add(a.uniqueness).add(a.type);
        if (a.subAttributes) walk(a.subAttributes as typeof attributes);
      }
    };
    for (const schema of response.body.Resources) walk(schema.attributes);
    const allowed = ['readOnly', 'readWrite', 'immutable', 'writeOnly', 'always', 'never', 'default', 'request', 'none', 'server', 'global', 'string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary'];
    for (const flag of flags) assert.ok(allowed.includes(flag), `unexpected flag value ${flag}`);
  });

  it('§3.11 Logic-App Schema_Discoverability: every attribute of the default Entra mapping is discoverable', async () => {
    const { scim } = await entraJob(server());
    const response = await scim.get('/Schemas');
    type Attr = { name: string; subAttributes?: Attr[]; canonicalValues?: string[] };
    const byUrn = new Map<string, Attr[]>(response.body.Resources.map((s: { id: string; attributes: Attr[] }) => [s.id, s.attributes]));
    const find = (urn: string, path: string): Attr | undefined => {
      const [name, sub] = path.split('.');
      const attribute = byUrn.get(urn)?.find((a) => a.name.toLowerCase() === name?.toLowerCase());
      return sub === undefined ? attribute : attribute?.subAttributes?.find((s) => s.name.toLowerCase() === sub.toLowerCase());
    };
    const core = ['userName', 'active', 'displayName', 'title', 'name.givenName', 'name.familyName', 'emails.value', 'emails.type', 'phoneNumbers.value', 'phoneNumbers.type', 'addresses.streetAddress', 'addresses.locality', 'addresses.region', 'addresses.postalCode', 'addresses.country', 'addresses.formatted', 'addresses.type', 'roles.value', 'nickName'];
    for (const path of core) assert.ok(find(USER_SCHEMA, path), `User ${path}`);
    for (const path of ['department', 'employeeNumber', 'manager', 'manager.value']) assert.ok(find(ENTERPRISE, path), `EnterpriseUser ${path}`);
    assert.ok(find(USER_SCHEMA, 'emails.type')?.canonicalValues?.includes('work'));
    for (const t of ['work', 'mobile', 'fax']) assert.ok(find(USER_SCHEMA, 'phoneNumbers.type')?.canonicalValues?.includes(t), `phone type ${t}`);
    const single = await scim.get(`/Schemas/${encodeURIComponent(ENTERPRISE)}`);
    assert.equal(single.status, 200);
    assert.equal(single.body.id, ENTERPRISE);
  });

  it('§3.11 Postman discovery checks: ResourceTypes Resources[0].endpoint is "/Users"; patch.supported is true', async () => {
    const { scim } = await entraJob(server());
    const types = await scim.get('/ResourceTypes');
    assert.equal(types.status, 200);
    assert.equal(types.body.Resources[0].endpoint, '/Users');
    const config = await scim.get('/ServiceProviderConfig');
    assert.equal(config.body.patch.supported, true);
  });

  // §4/§5 Microsoft validators ----------------------------------------------------------------

  it('§5 Logic-App SCIM_User_Pagination: 11 users, pages of 5, startIndex echoed, exact totalResults', async () => {
    const { scim } = await entraJob(server());
    for (let n = 0; n < 11; n += 1) await createUser(scim, entraCreateBody(`page${n}@testuser.com`));
    const seen = new Set<string>();
    for (const [startIndex, expected] of [[1, 5], [6, 5], [11, 1]] as const) {
      const page = await scim.get(`/Users?startIndex=${startIndex}&count=5`);
      assert.equal(page.status, 200);
      assert.equal(page.body.startIndex, startIndex);
      assert.equal(page.body.itemsPerPage, expected);
      assert.equal(page.body.totalResults, 11);
      assert.equal(page.body.Resources.length, expected);
      for (const user of page.body.Resources) seen.add(user.id);
    }
    assert.equal(seen.size, 11, 'pages neither overlap nor skip');
  });

  it('§4 Postman paging: startIndex=1&count=2 → itemsPerPage 2', async () => {
    const { scim } = await entraJob(server());
    for (const n of [1, 2, 3]) await createUser(scim, entraCreateBody(`emp${n}@testuser.com`));
    const page = await scim.get('/Users?startIndex=1&count=2');
    assert.equal(page.body.itemsPerPage, 2);
    assert.equal(page.body.totalResults, 3);
  });

  it('§5 Postman: attributes=userName,emails still returns id; filter=DisplayName eq "BobIsAmazing" (capitalised name) matches', async () => {
    const { scim } = await entraJob(server());
    const bob = await createUser(scim, { ...entraCreateBody('bob@testuser.com'), displayName: 'BobIsAmazing' });
    await createUser(scim, { ...entraCreateBody('alice@testuser.com'), displayName: 'Alice' });
    const projected = await scim.get(`/Users/${bob.id}?attributes=userName,emails`);
    assert.equal(projected.status, 200);
    assert.equal(projected.body.id, bob.id);
    assert.equal(projected.body.userName, 'bob@testuser.com');
    assert.ok(projected.body.emails);
    assert.equal(projected.body.name, undefined);
    const filtered = await scim.get(usersFilter('DisplayName eq "BobIsAmazing"'));
    assert.equal(filtered.status, 200, filtered.text);
    assert.deepEqual(filtered.body.Resources.map((u: { id: string }) => u.id), [bob.id]);
  });

  it('§4 Postman filters beyond eq: sw, co, or, and gt on meta.lastModified', async () => {
    const { scim } = await entraJob(server());
    const before = new Date(Date.now() - 60_000).toISOString();
    const bob = await createUser(scim, { ...entraCreateBody('bob.emp@testuser.com'), displayName: 'BobIsAmazing' });
    const ann = await createUser(scim, { ...entraCreateBody('ann.emp@testuser.com'), displayName: 'Ann' });
    const ids = async (filter: string) => {
      const response = await scim.get(usersFilter(filter));
      assert.equal(response.status, 200, `${filter}: ${response.text}`);
      return response.body.Resources.map((u: { id: string }) => u.id).sort();
    };
    assert.deepEqual(await ids('userName sw "bob"'), [bob.id]);
    assert.deepEqual(await ids('displayName co "amazing"'), [bob.id]);
    assert.deepEqual(await ids('userName eq "bob.emp@testuser.com" or userName eq "ann.emp@testuser.com"'), [ann.id, bob.id].sort());
    assert.deepEqual(await ids(`meta.lastModified gt "${before}"`), [ann.id, bob.id].sort());
    assert.deepEqual(await ids('meta.lastModified gt "2999-01-01T00:00:00Z"'), []);
  });

  it('§3.3 Postman PUT with a misspelt attribute ("adreses") → 200, the unknown attribute is ignored', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, entraCreateBody('emp1@testuser.com'));
    const response = await scim.put(`/Users/${created.id}`, { ...entraCreateBody('emp1@testuser.com'), displayName: 'Emp One', adreses: [{ streetAddress: 'x' }] });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.adreses, undefined);
    assert.equal(response.body.displayName, 'Emp One');
  });

  it('§1 Entra query strings: spaces as +, quotes as %22 and an @ as %40 are decoded', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, entraCreateBody('a@b.com'));
    const response = await scim.get('/Users?filter=userName+eq+%22a%40b.com%22');
    assert.deepEqual(response.body.Resources.map((u: { id: string }) => u.id), [created.id]);
    assert.equal(formEncode('userName eq "a@b.com"'), 'userName+eq+%22a%40b.com%22');
  });

  it('§1 Entra filters use only eq and and: userName eq "…" and externalId eq "…" needs both to match', async () => {
    const { scim } = await entraJob(server());
    const created = await createUser(scim, { ...entraCreateBody('joy@testuser.com'), externalId: 'joy' });
    assert.equal((await scim.get(usersFilter('userName eq "joy@testuser.com" and externalId eq "joy"'))).body.Resources[0]?.id, created.id);
    assertEmptyList(await scim.get(usersFilter('userName eq "joy@testuser.com" and externalId eq "not-joy"')));
  });
});
