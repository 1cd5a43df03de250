import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { buildRosterServer, type ServerConfig } from '../../src/app.js';
import { runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS } from '../helpers/databases.js';
import { scimClient } from '../helpers/http-client.js';
import { describeEachDatabase, TEST_PUBLIC_URL } from '../helpers/test-server.js';
import { assertScimError, freePort, oktaUser } from './fixtures.js';

const REDIS_URL = process.env['ROSTER_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const WINDOW_SECONDS = 60;

/**
 * Rate limits per API key and per account (README "Limits"). The tests pin the limiter's clock
 * 10 s into a window, so no window rolls over mid-test and `Retry-After` is exactly 50.
 */
describeEachDatabase('reliability: SCIM rate limits', (server) => {
  const apps: FastifyInstance[] = [];
  after(async () => {
    for (const app of apps) await app.close();
  });

  let clock = 0;
  async function limitedServer(rateLimit: { perKey: number; perAccount: number }, extra: Partial<ServerConfig> = {}): Promise<string> {
    const app = await buildRosterServer(server().roster, {
      publicUrl: TEST_PUBLIC_URL,
      bodyLimitBytes: 1_048_576,
      logLevel: false,
      rateLimit: { ...rateLimit, windowSeconds: WINDOW_SECONDS, now: () => clock },
      ...extra,
    });
    apps.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no address');
    return `http://127.0.0.1:${address.port}`;
  }

  async function account() {
    return server().createAccount({ seats: 100 });
  }

  it('answers 429 with Retry-After and a SCIM error once an API key has used its window; other keys are unaffected', async () => {
    clock = Date.UTC(2030, 0, 1, 12, 0, 10);
    const url = await limitedServer({ perKey: 5, perAccount: 0 });
    const busy = scimClient(url, (await account()).apiKey);
    const calm = scimClient(url, (await account()).apiKey);
    for (let i = 0; i < 5; i += 1) assert.equal((await busy.get('/Users')).status, 200);
    const refused = await busy.get('/Users');
    assertScimError(refused, 429);
    assert.equal(refused.headers.get('retry-after'), '50');
    assert.match(refused.headers.get('content-type') ?? '', /^application\/scim\+json/);
    assert.match(refused.body.detail, /this API key \(".+"\) may send 5 requests per 60 seconds\. Retry after 50 seconds\./);
    assert.equal((await calm.get('/Users')).status, 200, 'another account keeps its own allowance');
  });

  it('a refused write writes nothing: no user, no activity-log entry', async () => {
    clock = Date.UTC(2030, 0, 1, 12, 0, 10);
    const url = await limitedServer({ perKey: 1, perAccount: 0 });
    const created = await account();
    const scim = scimClient(url, created.apiKey);
    assert.equal((await scim.post('/Users', oktaUser('first@example.com'))).status, 201);
    const events = () => server().roster.database.db.selectFrom('provisioning_events').select('seq').where('account_id', '=', created.accountId).execute();
    const before = (await events()).length;
    assertScimError(await scim.post('/Users', oktaUser('second@example.com')), 429);
    assert.equal((await events()).length, before);
    const members = await server().roster.database.db.selectFrom('members').select('user_name').where('account_id', '=', created.accountId).execute();
    assert.deepEqual(members.map((m) => m.user_name), ['first@example.com']);
  });

  it('counts all keys of an account together (both keys of a rotation)', async () => {
    clock = Date.UTC(2030, 0, 1, 12, 0, 10);
    const url = await limitedServer({ perKey: 0, perAccount: 6 });
    const created = await account();
    const second = await server().roster.accounts.createApiKey(created.accountId, { name: 'rotation' });
    const first = scimClient(url, created.apiKey);
    const other = scimClient(url, second.key);
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await first.get('/Users')).status, 200);
      assert.equal((await other.get('/Users')).status, 200);
    }
    const refused = await other.get('/Users');
    assertScimError(refused, 429);
    assert.match(refused.body.detail, /the account .+ may send 6 SCIM requests per 60 seconds across all its API keys/);
    assertScimError(await first.get('/Users'), 429);
  });

  it('a new window restores the allowance', async () => {
    clock = Date.UTC(2030, 0, 1, 12, 0, 59);
    const url = await limitedServer({ perKey: 2, perAccount: 0 });
    const scim = scimClient(url, (await account()).apiKey);
    await scim.get('/Users');
    await scim.get('/Users');
    const refused = await scim.get('/Users');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    clock += 1000;
    assert.equal((await scim.get('/Users')).status, 200);
  });

  it('unauthenticated requests get 401, not 429, and never use an account allowance', async () => {
    clock = Date.UTC(2030, 0, 1, 12, 0, 10);
    const url = await limitedServer({ perKey: 1, perAccount: 1 });
    const created = await account();
    const wrong = scimClient(url, `${created.apiKey.slice(0, -4)}AAAA`);
    for (let i = 0; i < 5; i += 1) assertScimError(await wrong.get('/Users'), 401);
    assert.equal((await scimClient(url, created.apiKey).get('/Users')).status, 200);
  });

  it('shares the counters of several instances through Redis', async () => {
    clock = Date.UTC(2030, 0, 1, 12, 0, 10) + Math.floor(Math.random() * 1000);
    const a = await limitedServer({ perKey: 4, perAccount: 0 }, { redisUrl: REDIS_URL });
    const b = await limitedServer({ perKey: 4, perAccount: 0 }, { redisUrl: REDIS_URL });
    const { apiKey } = await account();
    for (const url of [a, b, a, b]) assert.equal((await scimClient(url, apiKey).get('/Users')).status, 200, url);
    assertScimError(await scimClient(a, apiKey).get('/Users'), 429);
    assertScimError(await scimClient(b, apiKey).get('/Users'), 429);
  });

  it('keeps answering when Redis goes away mid-flight, counting in process from then on', async () => {
    clock = Date.UTC(2030, 0, 1, 12, 0, 10) + Math.floor(Math.random() * 1000);
    // A TCP relay to Redis that the test can cut, as a network partition would.
    const sockets = new Set<Socket>();
    const relay = createServer((client) => {
      const upstream = connect(Number(new URL(REDIS_URL).port || 6379), new URL(REDIS_URL).hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayPort = (relay.address() as AddressInfo).port;
    try {
      const target = await limitedServer({ perKey: 5, perAccount: 0 }, { redisUrl: `redis://127.0.0.1:${relayPort}` });
      const { apiKey } = await account();
      const scim = scimClient(target, apiKey);
      for (let i = 0; i < 3; i += 1) assert.equal((await scim.get('/Users')).status, 200);
      relay.close();
      for (const socket of sockets) socket.destroy();
      // The in-process counter starts from zero: 5 more are allowed, the 6th is refused.
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await scim.get('/Users')).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    } finally {
      relay.close();
      for (const socket of sockets) socket.destroy();
    }
  });
});

describe('reliability: rate limits when Redis is unreachable', () => {
  // One process counts in its memory; two workers count in their primary's budgets, so that
  // the limit still holds for the server as a whole (not once per worker).
  for (const [dialect, workers] of DIALECTS.map((d) => [d, d === 'sqlite' ? '2' : '1'] as const)) {
    it(`keeps serving, counts in process and logs it [${dialect}, ROSTER_WORKERS=${workers}]`, async () => {
      const database = await createTestDatabase(dialect);
      const port = await freePort();
      const env = {
        ROSTER_DB: database.url,
        PORT: String(port),
        // Nothing listens on port 1: every connection attempt is refused.
        ROSTER_REDIS_URL: 'redis://127.0.0.1:1',
        ROSTER_RATE_LIMIT_PER_KEY: '3',
        ROSTER_RATE_LIMIT_WINDOW: '86400',
        ROSTER_WORKERS: workers,
      };
      const created = runCli(['account', 'create', '--name', 'NoRedis', '--plan', 'enterprise', '--json'], env);
      assert.equal(created.status, 0, created.stderr);
      const { apiKey } = JSON.parse(created.stdout) as { apiKey: string };
      const cli = startCli(['serve'], env, /Roster is listening/);
      try {
        await cli.ready;
        const scim = scimClient(`http://127.0.0.1:${port}`, apiKey);
        const day = () => Math.floor(Date.now() / 86_400_000);
        const firstDay = day();
        const statuses: number[] = [];
        for (let i = 0; i < 4; i += 1) statuses.push((await scim.get('/Users')).status);
        // The window is a UTC day; only if these requests straddled midnight is the 4th allowed.
        assert.deepEqual(statuses, day() === firstDay ? [200, 200, 200, 429] : statuses.map(() => 200));
        assert.match(cli.output(), /Redis is unreachable: SCIM rate limits are counted per instance/);
        assert.doesNotMatch(cli.output(), /"level":50/, 'no error was logged');
      } finally {
        assert.equal(await cli.stop('SIGTERM'), 0);
        await database.drop();
      }
    });
  }
});
