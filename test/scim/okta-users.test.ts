import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { request, scimClient, type ScimClient } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';

/**
 * Okta's user flows, request by request, as shared/reference/okta.md documents them: the SPEC
 * test R1–R12 (§11), the AIW custom app that updates with PUT and the catalog app that
 * deactivates with PATCH (§0, §5, §6), and the import walk (§8).
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const OKTA_HEADERS = { 'user-agent': 'Okta SCIM Client 1.0.0', accept: 'application/scim+json', 'accept-charset': 'utf-8' };

/** Okta's create body (okta.md §3.2), with a unique userName. */
function oktaCreateBody(userName: string, externalId: string) {
  return {
    schemas: [USER],
    userName,
    name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: 'Test User',
    locale: 'en-US',
    externalId,
    groups: [],
    password: '1mz050nq',
    active: true,
  };
}

describeEachDatabase('Okta user flows', (server) => {
  let scim: ScimClient;
  before(async () => {
    const { apiKey } = await server().createAccount({ seats: 50 });
    scim = scimClient(server().url, apiKey, OKTA_HEADERS);
  });

  it('§2 Test API Credentials: GET /Users?startIndex=1&count=2 answers an integer ListResponse on an empty account', async () => {
    const { apiKey } = await server().createAccount();
    const response = await scimClient(server().url, apiKey, OKTA_HEADERS).get('/Users?startIndex=1&count=2');
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('§3 push user: lookup by userName finds nothing, POST creates with 201, and the next lookup links', async () => {
    const userName = 'Test.User@Okta.Local';
    const lookup = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);
    assert.equal(lookup.status, 200);
    assert.equal(lookup.body.totalResults, 0);
    const created = await scim.post('/Users', oktaCreateBody(userName, '00ujl29u0le5T6Aj10h7'), { headers: { 'content-type': 'application/json' } });
    assert.equal(created.status, 201);
    assert.equal(typeof created.body.id, 'string');
    assert.equal(created.body.userName, userName, 'userName case is preserved');
    assert.equal(created.body.active, true);
    assert.equal(created.body.externalId, '00ujl29u0le5T6Aj10h7');
    assert.deepEqual(created.body.name, { givenName: 'Test', familyName: 'User' });
    assert.ok(created.body.schemas.includes(USER));
    assert.equal(created.body.password, undefined, 'password is never returned');
    const relookup = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`);
    assert.equal(relookup.body.totalResults, 1, 'R9: userName eq is case-insensitive');
    assert.equal(relookup.body.Resources[0].id, created.body.id);
    assert.equal(relookup.body.Resources[0].emails[0].value, userName);
  });

  it('§11 R1/R2: a listed user and the same user by id carry the fields Okta reads', async () => {
    await scim.post('/Users', oktaCreateBody('r1@okta.local', 'r1'));
    const page = await scim.get('/Users?count=1&startIndex=1');
    assert.equal(page.status, 200);
    const [first] = page.body.Resources;
    for (const field of ['id', 'userName', 'active']) assert.ok(first[field] !== undefined, field);
    assert.ok(first.name.givenName && first.name.familyName && first.emails[0].value);
    const byId = await scim.get(`/Users/${first.id}`, { headers: { accept: 'application/scim+json' } });
    assert.equal(byId.status, 200);
    assert.equal(byId.body.id, first.id);
  });

  it('§11 R3/R5: an unknown userName is an empty list, never a 404', async () => {
    const response = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "abcdefgh@atko.com"')}`);
    assert.equal(response.status, 200);
    assert.equal(response.body.totalResults, 0);
    assert.deepEqual(response.body.Resources, []);
  });

  it('§4, §11 R4/R12: ids that are not ours (or not UUIDs) answer 404 with a SCIM error', async () => {
    for (const id of ['010101001010101011001010101011', '00919288221112222', 'ffffffff-ffff-ffff-ffff-ffffffffffff']) {
      const response = await scim.get(`/Users/${id}`);
      assert.equal(response.status, 404);
      assert.equal(response.body.status, '404');
      assert.ok(response.body.detail);
      assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
    }
  });

  it('§3.2, §11 R8: creating the same userName again (any case) is 409 uniqueness', async () => {
    await scim.post('/Users', oktaCreateBody('dup@okta.local', 'd1'));
    for (const userName of ['dup@okta.local', 'DUP@OKTA.LOCAL']) {
      const again = await scim.post('/Users', oktaCreateBody(userName, 'd2'));
      assert.equal(again.status, 409);
      assert.equal(again.body.scimType, 'uniqueness');
      assert.equal(again.body.status, '409');
    }
  });

  it('§5 AIW update: GET then PUT of the whole object (id, meta, groups: [], password) changes the name and keeps the rest', async () => {
    const created = await scim.post('/Users', oktaCreateBody('put@okta.local', 'p1'));
    const current = await scim.get(`/Users/${created.body.id}`);
    const body = { ...current.body, name: { givenName: 'Changed', familyName: 'User' }, groups: [], password: 'ignored1' };
    const updated = await scim.put(`/Users/${created.body.id}`, body);
    assert.equal(updated.status, 200);
    assert.equal(updated.body.name.givenName, 'Changed');
    assert.equal(updated.body.active, true, 'active is kept');
    assert.equal(updated.body.externalId, 'p1');
    assert.equal((await scim.get(`/Users/${created.body.id}`)).body.name.givenName, 'Changed');
  });

  it('§5 PUT with unchanged content changes neither version nor lastModified', async () => {
    const created = await scim.post('/Users', oktaCreateBody('same@okta.local', 's1'));
    const again = await scim.put(`/Users/${created.body.id}`, created.body);
    assert.equal(again.status, 200);
    assert.equal(again.body.meta.version, created.body.meta.version);
    assert.equal(again.body.meta.lastModified, created.body.meta.lastModified);
  });

  it('§5 C9337 push empty values: "" and missing optional attributes are accepted', async () => {
    const created = await scim.post('/Users', { ...oktaCreateBody('empty@okta.local', 'e1'), title: '', nickName: '' });
    assert.equal(created.status, 201);
    const put = await scim.put(`/Users/${created.body.id}`, { schemas: [USER], userName: 'empty@okta.local', title: '', active: true });
    assert.equal(put.status, 200);
    assert.equal(put.body.title, undefined);
  });

  it('§6 catalog app: pathless PATCH {active:false} deactivates, is idempotent, and {active:true} reactivates with the same id and profile', async () => {
    const created = await scim.post('/Users', oktaCreateBody('deact@okta.local', 'x1'));
    const id = created.body.id as string;
    const deactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] };
    const first = await scim.patch(`/Users/${id}`, deactivate);
    assert.equal(first.status, 200);
    assert.equal(first.body.active, false);
    assert.equal((await scim.patch(`/Users/${id}`, deactivate)).status, 200, 'a second deactivation succeeds');
    const read = await scim.get(`/Users/${id}`);
    assert.equal(read.status, 200, 'a deactivated user stays readable');
    assert.equal(read.body.active, false);
    const found = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "deact@okta.local"')}`);
    assert.equal(found.body.totalResults, 1, 'a deactivated user is still found, so re-assignment links');
    const reactivated = await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
    assert.equal(reactivated.body.active, true);
    assert.equal(reactivated.body.id, id);
    assert.deepEqual(reactivated.body.name, created.body.name);
  });

  it('§6 AIW app: PUT with active:false deactivates and PUT with active:true reactivates', async () => {
    const created = await scim.post('/Users', oktaCreateBody('aiw@okta.local', 'a1'));
    const off = await scim.put(`/Users/${created.body.id}`, { ...created.body, active: false });
    assert.equal(off.body.active, false);
    const on = await scim.put(`/Users/${created.body.id}`, { ...created.body, active: true });
    assert.equal(on.body.active, true);
  });

  it('§8 import: pages of 100 walk every user once, in a stable order, with integer paging fields', async () => {
    const { apiKey } = await server().createAccount({ seats: 300 });
    const client = scimClient(server().url, apiKey, OKTA_HEADERS);
    for (let i = 0; i < 230; i += 1) await client.post('/Users', { schemas: [USER], userName: `import${i}@okta.local` });
    const seen: string[] = [];
    for (let startIndex = 1; ; startIndex += 100) {
      const page = await client.get(`/Users?startIndex=${startIndex}&count=100`);
      assert.equal(page.body.totalResults, 230);
      assert.equal(page.body.startIndex, startIndex);
      assert.equal(page.body.itemsPerPage, page.body.Resources.length);
      seen.push(...page.body.Resources.map((u: { userName: string }) => u.userName));
      if (startIndex + 100 > 230) break;
    }
    assert.equal(seen.length, 230);
    assert.equal(new Set(seen).size, 230);
    assert.deepEqual(seen.slice(0, 3), ['import0@okta.local', 'import1@okta.local', 'import2@okta.local']);
  });

  it('§8 bare GET /Users and GET /Groups work with no query', async () => {
    assert.equal((await scim.get('/Users')).status, 200);
    const groups = await scim.get('/Groups');
    assert.equal(groups.status, 200);
    assert.ok(Array.isArray(groups.body.Resources));
  });

  it('§13.14 another account\'s user id answers 404, exactly like a missing one', async () => {
    const created = await scim.post('/Users', oktaCreateBody('mine@okta.local', 'm1'));
    const { apiKey } = await server().createAccount();
    const other = scimClient(server().url, apiKey, OKTA_HEADERS);
    const foreign = await other.get(`/Users/${created.body.id}`);
    const missing = await other.get('/Users/00000000-0000-0000-0000-000000000000');
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.detail.replace(created.body.id, 'ID'), missing.body.detail.replace('00000000-0000-0000-0000-000000000000', 'ID'));
    assert.equal((await other.patch(`/Users/${created.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] })).status, 404);
    assert.equal((await other.get(`/Users?filter=${encodeURIComponent('userName eq "mine@okta.local"')}`)).body.totalResults, 0);
    assert.equal((await scim.get(`/Users/${created.body.id}`)).body.active, true);
  });

  it('§1 the spec test\'s application/json POST with Content-Type on GET too is accepted', async () => {
    const response = await request(server().url, 'GET', '/scim/v2/Users?count=1&startIndex=1', {
      headers: { ...OKTA_HEADERS, authorization: (await server().createAccount()).apiKey, 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200);
  });
});
