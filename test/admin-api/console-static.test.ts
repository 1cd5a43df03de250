import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { it } from 'node:test';
import { CONSOLE_DIST } from '../../src/http/admin/console-static.js';
import { request } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';

describeEachDatabase('The console web app and its OpenAPI document', (server) => {
  it('the console is built (npm run build) so that the server can serve it', () => {
    assert.ok(existsSync(`${CONSOLE_DIST}/index.html`), 'console/dist/index.html is missing: run npm run build');
  });

  it('serves the app at / and its client-side routes, with a strict CSP and no caching of index.html', async () => {
    for (const path of ['/', '/sign-in', '/members', '/teams/0b7d', '/activity', '/settings/api-access']) {
      const response = await request(server().url, 'GET', path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(response.text, /<div id="root"><\/div>/);
      assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.equal(response.headers.get('cache-control'), 'no-cache');
    }
  });

  it('serves hashed assets with long caching', async () => {
    const index = await request(server().url, 'GET', '/');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    assert.ok(script, 'index.html references a script bundle');
    const response = await request(server().url, 'GET', script);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    assert.match(response.headers.get('cache-control') ?? '', /immutable/);
  });

  it('SCIM, the API and the health checks are never answered by the app', async () => {
    const scim = await request(server().url, 'GET', '/scim/v2/Nothing');
    assert.notEqual(scim.status, 200);
    assert.doesNotMatch(scim.text, /id="root"/);
    const api = await request(server().url, 'GET', '/api/v1/nothing');
    assert.equal(api.status, 404);
    assert.equal(api.body.error.code, 'not_found');
    assert.equal((await request(server().url, 'GET', '/healthz')).body.status, 'ok');
  });

  it('publishes an OpenAPI 3.1 description of every console operation', async () => {
    const response = await request(server().url, 'GET', '/api/v1/openapi.json');
    assert.equal(response.status, 200);
    const doc = response.body;
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.servers[0].url, 'https://roster.test/api/v1');
    const operations = Object.values(doc.paths as Record<string, Record<string, { operationId: string; security: unknown[] }>>).flatMap((methods) => Object.values(methods));
    const ids = operations.map((o) => o.operationId).sort();
    for (const expected of ['signIn', 'getSession', 'signOut', 'getAccount', 'listMembers', 'addMember', 'editMember', 'deactivateMember', 'reactivateMember', 'listTeams', 'getTeam', 'listApiKeys', 'createApiKey', 'rotateApiKey', 'revokeApiKey', 'testConnection', 'listActivity', 'activityPerDay', 'exportActivity']) {
      assert.ok(ids.includes(expected), `${expected} is documented`);
    }
    assert.deepEqual(doc.paths['/members/{id}'].patch.security, [{ session: [], csrf: [] }]);
    assert.equal(doc.paths['/members'].get.parameters.find((p: { name: string }) => p.name === 'pageSize').schema.maximum, 100);
  });
});
