import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { scimClient } from '../helpers/http-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('bearer authentication when the key lookup fails', () => {
  let server: TestServer & { close(): Promise<void> };
  before(async () => {
    server = await startTestServer('sqlite');
  });
  after(async () => server.close());

  it('answers a SCIM 500 instead of hanging, and authenticates again once the database is back', async () => {
    const { apiKey } = await server.createAccount();
    const scim = scimClient(server.url, apiKey);
    const db = server.roster.database.db;
    await sql`alter table api_keys rename to api_keys_away`.execute(db);
    try {
      const failed = await scim.get('/Users');
      assert.equal(failed.status, 500);
      assert.deepEqual(failed.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
      assert.equal(failed.body.status, '500');
    } finally {
      await sql`alter table api_keys_away rename to api_keys`.execute(db);
    }
    assert.equal((await scim.get('/Users')).status, 200);
  });
});
