import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { request, scimClient } from '../helpers/http-client.js';
import { freePort } from '../scale-out/fixtures.js';
import { oktaUser, patchOp } from './fixtures.js';

/**
 * Secrets never appear in logs, errors or the activity log: a real server process logging at
 * debug level sees API keys (valid, wrong, revoked), a console password and session cookie, and
 * phone numbers; none of them may be printed or stored in the activity log.
 */
describe('secrets stay out of logs, errors and the activity log', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('sqlite');
  });
  after(async () => database.drop());

  it('a debug-level server run prints no key, password, cookie or phone number', async () => {
    const env = { ROSTER_DB: database.url };
    const created = JSON.parse(runCli(['account', 'create', '--name', 'Secrets', '--plan', 'enterprise', '--owner-email', 'owner@secrets.test', '--json'], env).stdout);
    const apiKey: string = created.apiKey;
    const password: string = created.owner.password;
    const port = await freePort();
    const server = startCli(['serve'], { ...env, PORT: String(port), LOG_LEVEL: 'debug' }, /listening/);
    await server.ready;
    const base = `http://127.0.0.1:${port}`;
    const scim = scimClient(base, apiKey);
    const user = await scim.post('/Users', oktaUser('secret.user@secrets.test', { phoneNumbers: [{ value: '+41 449876543', type: 'work' }] }));
    assert.equal(user.status, 201);
    await scim.patch(`/Users/${user.body.id}`, patchOp({ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+41 441112233' }));
    const wrongKey = `${apiKey.slice(0, -4)}ZZZZ`;
    const refused = await scimClient(base, wrongKey).get('/Users');
    assert.equal(refused.status, 401);
    assert.ok(!refused.text.includes(wrongKey), 'the 401 body does not echo the key');
    const signIn = await request(base, 'POST', '/api/v1/session', { body: { email: 'owner@secrets.test', password }, headers: { 'content-type': 'application/json' } });
    assert.equal(signIn.status, 200, signIn.text);
    const cookie = signIn.headers.get('set-cookie') ?? '';
    const sessionToken = /=([^;]+)/.exec(cookie)?.[1] ?? '';
    assert.ok(sessionToken.length > 10);
    await request(base, 'POST', '/api/v1/session', { body: { email: 'owner@secrets.test', password: `${password}x` }, headers: { 'content-type': 'application/json' } });
    const [key] = JSON.parse(runCli(['key', 'list', '--account', created.account.id, '--json'], env).stdout);
    runCli(['key', 'revoke', '--account', created.account.id, '--key', key.id], env);
    assert.equal(await server.stop(), 0);

    const logs = server.output() + server.errors();
    assert.ok(logs.length > 500, 'the server did log at debug level');
    for (const [name, secret] of [['API key', apiKey], ['key secret part', apiKey.slice(12)], ['wrong key', wrongKey], ['password', password], ['wrong password', `${password}x`], ['session token', sessionToken], ['phone', '449876543'], ['new phone', '441112233']] as const) {
      assert.ok(!logs.includes(secret), `${name} appears in the server log`);
    }

    const reopened = runCli(['account', 'list', '--json'], env);
    assert.equal(reopened.status, 0);
    const { openDatabase } = await import('../../src/db/database.js');
    const db = openDatabase({ url: database.url });
    try {
      const events = JSON.stringify(await db.db.selectFrom('provisioning_events').selectAll().execute());
      assert.ok(events.includes('phoneNumbers'), 'the phone change is logged');
      for (const secret of [apiKey, apiKey.slice(12), wrongKey, password, sessionToken, '449876543', '441112233']) assert.ok(!events.includes(secret));
    } finally {
      await db.close();
    }
  });
});
