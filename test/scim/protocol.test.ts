import assert from 'node:assert/strict';
import { it } from 'node:test';
import { request, scimClient } from '../helpers/http-client.js';
import { describeEachDatabase, TEST_PUBLIC_URL } from '../helpers/test-server.js';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

function assertScimError(response: { status: number; headers: Headers; body: { schemas: string[]; status: string; detail: string; scimType?: string } }, status: number, scimType?: string): void {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /^application\/scim\+json/);
  assert.deepEqual(response.body.schemas, [ERROR_SCHEMA]);
  assert.equal(response.body.status, String(status));
  assert.ok(response.body.detail.length > 10, 'detail explains the error');
  assert.equal(response.body.scimType, scimType);
}

describeEachDatabase('SCIM protocol edge', (server) => {
  it('refuses a missing, unknown or Basic credential with 401 and WWW-Authenticate', async () => {
    const { apiKey } = await server().createAccount();
    for (const authorization of [undefined, 'Bearer rk_00000000_nope', 'non-token', `Basic ${Buffer.from('a:b').toString('base64')}`]) {
      const response = await request(server().url, 'GET', '/scim/v2/Users', { headers: authorization ? { authorization } : {} });
      assertScimError(response, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="SCIM"');
      assert.ok(!response.text.includes(apiKey));
    }
  });

  it('accepts the key with "Bearer", with a doubled "Bearer Bearer" and bare (okta.md §1.1)', async () => {
    const { apiKey } = await server().createAccount();
    for (const authorization of [`Bearer ${apiKey}`, `bearer ${apiKey}`, `Bearer Bearer ${apiKey}`, apiKey]) {
      const response = await request(server().url, 'GET', '/scim/v2/Users?startIndex=1&count=2', { headers: { authorization } });
      assert.equal(response.status, 200, authorization.slice(0, 14));
    }
  });

  it('a revoked key is refused immediately with a detail that says so', async () => {
    const { accountId, apiKey } = await server().createAccount();
    const [key] = await server().roster.accounts.listApiKeys(accountId);
    assert.ok(key);
    await server().roster.accounts.revokeApiKey(accountId, key.id);
    const response = await scimClient(server().url, apiKey).get('/Users');
    assertScimError(response, 401);
    assert.match(response.body.detail, /revoked/);
  });

  it('refuses accounts not on the Enterprise plan with 403 naming the plan', async () => {
    for (const plan of ['essentials', 'professional']) {
      const { apiKey } = await server().createAccount({ plan, name: `Acme ${plan}` });
      const response = await scimClient(server().url, apiKey).get('/Users');
      assertScimError(response, 403);
      assert.match(response.body.detail, /Enterprise plan/);
    }
  });

  it('answers in application/scim+json and accepts application/json bodies with or without charset', async () => {
    const { apiKey } = await server().createAccount();
    const scim = scimClient(server().url, apiKey);
    let n = 0;
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/scim+json', 'application/scim+json; charset=UTF-8']) {
      n += 1;
      const response = await scim.post('/Users', { schemas: [USER_SCHEMA], userName: `media${n}@example.com` }, { headers: { 'content-type': contentType } });
      assert.equal(response.status, 201, contentType);
      assert.equal(response.headers.get('content-type'), 'application/scim+json; charset=utf-8');
    }
  });

  it('answers 415 for an unsupported media type and 400 invalidSyntax for malformed JSON', async () => {
    const { apiKey } = await server().createAccount();
    const scim = scimClient(server().url, apiKey);
    assertScimError(await scim.send('POST', '/Users', { rawBody: 'userName=a', headers: { 'content-type': 'text/plain' } }), 415);
    assertScimError(await scim.send('POST', '/Users', { rawBody: '{"userName": ', headers: { 'content-type': 'application/scim+json' } }), 400, 'invalidSyntax');
    assertScimError(await scim.send('POST', '/Users', { rawBody: '{"__proto__": {"admin": true}, "userName": "x"}', headers: { 'content-type': 'application/json' } }), 400, 'invalidSyntax');
  });

  it('answers unknown endpoints with a SCIM 404, wrong methods with 405 and Bulk with 501', async () => {
    const { apiKey } = await server().createAccount();
    const scim = scimClient(server().url, apiKey);
    assertScimError(await scim.get('/Widgets'), 404);
    const wrongMethod = await scim.send('DELETE', '/Users');
    assertScimError(wrongMethod, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET, POST');
    assertScimError(await scim.post('/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }), 501);
  });

  it('serves discovery documents generated from the schema registry', async () => {
    const { apiKey } = await server().createAccount();
    const scim = scimClient(server().url, apiKey);
    const config = await scim.get('/ServiceProviderConfig');
    assert.equal(config.status, 200);
    assert.equal(config.body.patch.supported, true);
    assert.equal(config.body.bulk.supported, false);
    assert.equal(config.body.filter.supported, true);
    assert.ok(config.body.filter.maxResults >= 100);
    assert.equal(config.body.etag.supported, true);
    assert.equal(config.body.authenticationSchemes[0].type, 'oauthbearertoken');
    assert.equal(config.body.meta.location, `${TEST_PUBLIC_URL}/scim/v2/ServiceProviderConfig`);

    const types = await scim.get('/ResourceTypes');
    assert.deepEqual(types.body.Resources.map((r: { id: string }) => r.id).sort(), ['Group', 'User']);
    const userType = await scim.get('/ResourceTypes/User');
    assert.deepEqual(userType.body.schemaExtensions, [{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false }]);

    const schemas = await scim.get('/Schemas');
    assert.equal(schemas.body.totalResults, 3);
    const userSchema = await scim.get(`/Schemas/${encodeURIComponent(USER_SCHEMA)}`);
    const userName = userSchema.body.attributes.find((a: { name: string }) => a.name === 'userName');
    assert.equal(userName.required, true);
    assert.equal(userName.uniqueness, 'server');
    assert.equal(userName.caseExact, false);
    assertScimError(await scim.get('/Schemas/urn:example:nope'), 404);
  });

  it('decodes + as a space in query strings (Okta and Entra form-encode filters)', async () => {
    const { apiKey } = await server().createAccount();
    const scim = scimClient(server().url, apiKey);
    await scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'jane.doe@example.com' });
    const response = await scim.get('/Users?filter=userName+eq+%22jane.doe%40example.com%22&startIndex=1&count=100');
    assert.equal(response.status, 200);
    assert.equal(response.body.totalResults, 1);
  });

  it('ETags: If-None-Match answers 304, a stale If-Match answers 412 and changes nothing', async () => {
    const { apiKey } = await server().createAccount();
    const scim = scimClient(server().url, apiKey);
    const created = await scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'etag@example.com' });
    const etag = created.headers.get('etag');
    assert.match(etag ?? '', /^W\/"\d+"$/);
    assert.equal(created.body.meta.version, etag);
    const id = created.body.id as string;
    const notModified = await scim.get(`/Users/${id}`, { headers: { 'if-none-match': etag ?? '' } });
    assert.equal(notModified.status, 304);
    const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Chef' }] };
    const updated = await scim.patch(`/Users/${id}`, patch, { headers: { 'if-match': etag ?? '' } });
    assert.equal(updated.status, 200);
    assert.notEqual(updated.headers.get('etag'), etag);
    const stale = await scim.patch(`/Users/${id}`, { ...patch, Operations: [{ op: 'replace', path: 'title', value: 'Host' }] }, { headers: { 'if-match': etag ?? '' } });
    assertScimError(stale, 412);
    assert.equal((await scim.get(`/Users/${id}`)).body.title, 'Chef');
  });

  it('meta carries resourceType, created, lastModified, an absolute location and version', async () => {
    const { apiKey } = await server().createAccount();
    const created = await scimClient(server().url, apiKey).post('/Users', { schemas: [USER_SCHEMA], userName: 'meta@example.com' });
    const { meta } = created.body;
    assert.equal(meta.resourceType, 'User');
    assert.equal(meta.location, `${TEST_PUBLIC_URL}/scim/v2/Users/${created.body.id}`);
    assert.equal(created.headers.get('location'), meta.location);
    assert.ok(!Number.isNaN(Date.parse(meta.created)) && meta.created === meta.lastModified);
  });
});
