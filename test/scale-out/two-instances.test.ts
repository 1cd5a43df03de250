import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { API_KEY_CACHE_TTL_MS } from '../../src/accounts/api-key-cache.js';
import { openRoster, type Roster } from '../../src/app.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, PG_ENABLED, type TestDatabase } from '../helpers/databases.js';
import { request, scimClient, type TestResponse } from '../helpers/http-client.js';
import { GROUP_SCHEMA, oktaUser, PATCH_OP, pollUntil, REDIS_URL, startInstances, statusCounts, type Instance } from './fixtures.js';

/**
 * README "Running in production": another instance refuses a revoked key once its key-lookup
 * cache entry expires (API_KEY_CACHE_TTL_MS, 5 s); the slack covers the poll's own round trip.
 */
const KEY_REVOCATION_BOUND_MS = API_KEY_CACHE_TTL_MS + 500;

const skip = !PG_ENABLED && 'ROSTER_TEST_PG=off';

/**
 * Two `roster serve` processes on one PostgreSQL database, driven at once: everything that
 * holds on one instance must hold across both (issue 8). Requests are started together with
 * Promise.all and alternate between the instances, so both are on the wire before any answer.
 */
describe('scale-out: two Roster processes on one PostgreSQL database', { skip }, () => {
  let database: TestDatabase;
  let roster: Roster;
  let instances: Instance[] = [];
  let accountCounter = 0;

  before(async () => {
    database = await createTestDatabase('postgres');
    // Both start on the fresh database at once: their migrations race too.
    instances = await startInstances(2, { ROSTER_DB: database.url, ROSTER_DB_POOL: '5' });
    roster = await openRoster({ databaseUrl: database.url, databasePoolSize: 2 });
  });
  after(async () => {
    const exits = await Promise.all(instances.map((instance) => instance.stop()));
    await roster?.database.close();
    await database?.drop();
    assert.deepEqual(exits, instances.map(() => 0), 'both instances shut down cleanly');
  });

  const [a, b] = [() => instances[0]!, () => instances[1]!];
  async function account(seats: number, ownerEmail?: string) {
    accountCounter += 1;
    const created = await roster.accounts.createAccount({ name: `Scale ${accountCounter}`, plan: 'enterprise', seatLimit: seats, ownerEmail });
    return { accountId: created.account.id, apiKey: created.apiKey, owner: created.owner, via: (instance: Instance) => scimClient(instance.url, created.apiKey) };
  }

  it('the same userName created through both at once: one 201, one 409 uniqueness, twenty times over', async () => {
    const { via } = await account(100);
    // Case variants: userName is unique case-insensitively (RFC 7643 §4.1.1, caseExact false).
    const pairs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => Promise.all([via(a()).post('/Users', oktaUser(`Twin.${i}@Example.com`)), via(b()).post('/Users', oktaUser(`twin.${i}@example.com`))])),
    );
    for (const [first, second] of pairs) {
      assert.deepEqual([first.status, second.status].sort(), [201, 409], `${first.text} / ${second.text}`);
      const refused = first.status === 409 ? first : second;
      assert.equal(refused.body.scimType, 'uniqueness', refused.text);
    }
    const listed = await via(b()).get('/Users?count=100');
    assert.equal(listed.body.totalResults, 20);
  });

  it('the seat limit holds across both: 60 simultaneous creates for 10 seats → 10 × 201, 50 × 403 userLimitReached', async () => {
    const { via } = await account(10);
    const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => via(i % 2 === 0 ? a() : b()).post('/Users', oktaUser(`seat.${i}@example.com`))));
    assert.deepEqual(statusCounts(responses), { 201: 10, 403: 50 });
    for (const refused of responses.filter((r) => r.status === 403)) assert.equal(refused.body.scimType, 'userLimitReached', refused.text);
    const created = responses.filter((r) => r.status === 201);
    const listed = await via(a()).get('/Users?count=100');
    assert.deepEqual(listed.body.Resources.map((u: { id: string }) => u.id).sort(), created.map((r) => r.body.id).sort());
  });

  it('group membership changes through both at once: every member is kept', async () => {
    const { via } = await account(100);
    const users = await Promise.all(Array.from({ length: 24 }, (_, i) => via(i % 2 === 0 ? a() : b()).post('/Users', oktaUser(`member.${i}@example.com`))));
    for (const user of users) assert.equal(user.status, 201, user.text);
    const group = await via(a()).post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Check-in desk' });
    assert.equal(group.status, 201, group.text);
    const addOne = async (id: string, i: number): Promise<TestResponse> => {
      const body = { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }] };
      // An IdP retries a lost race (409 without scimType), okta.md §7.3; bounded here.
      for (let attempt = 1; ; attempt += 1) {
        const response = await via(i % 2 === 0 ? a() : b()).patch(`/Groups/${group.body.id}`, body);
        if (response.status !== 409 || response.body?.scimType !== undefined || attempt >= 10) return response;
      }
    };
    const patched = await Promise.all(users.map((user, i) => addOne(user.body.id, i)));
    for (const response of patched) assert.ok(response.status === 200 || response.status === 204, response.text);
    const stored = await via(b()).get(`/Groups/${group.body.id}`);
    assert.deepEqual(stored.body.members.map((m: { value: string }) => m.value).sort(), users.map((u) => u.body.id).sort());
  });

  it(`a key revoked through one instance is refused by it at once and by the other within ${API_KEY_CACHE_TTL_MS / 1000} s`, async () => {
    const created = await account(10, `owner.${accountCounter + 1}@scale.example`);
    const second = await roster.accounts.createApiKey(created.accountId, { name: 'second' });
    const keys = await roster.accounts.listApiKeys(created.accountId);
    const firstKeyId = keys.find((k) => k.id !== second.summary.id)!.id;
    const status = async (instance: Instance, key: string) => (await scimClient(instance.url, key).get('/Users')).status;
    const refusedBy = (instance: Instance, key: string) => async () => (await status(instance, key)) === 401;
    // Both instances have just served the key, so both hold it in their key-lookup caches.
    for (const instance of [a(), b()]) assert.equal(await status(instance, created.apiKey), 200);

    // Through instance A's console API, as an admin clicking "Revoke".
    const signIn = await request(a().url, 'POST', '/api/v1/session', { body: created.owner, headers: { 'content-type': 'application/json' } });
    assert.equal(signIn.status, 200, signIn.text);
    const cookie = /roster_session=[^;]*/.exec(signIn.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const revoked = await request(a().url, 'DELETE', `/api/v1/api-keys/${firstKeyId}`, { headers: { cookie, 'x-csrf-token': signIn.body.csrfToken } });
    assert.equal(revoked.status, 204, revoked.text);
    const refused = await scimClient(a().url, created.apiKey).get('/Users');
    assert.equal(refused.status, 401, 'the revoking instance refuses the key at once');
    assert.match(refused.body.detail, /revoked/);
    const viaB = await pollUntil(refusedBy(b(), created.apiKey), KEY_REVOCATION_BOUND_MS, 'instance B to refuse the revoked key');

    // Through the operator's CLI (a third process, so neither instance hears of it): both
    // refuse the other key within the bound too.
    for (const instance of [a(), b()]) assert.equal(await status(instance, second.key), 200);
    const cli = runCli(['key', 'revoke', '--account', created.accountId, '--key', second.summary.id], { ROSTER_DB: database.url });
    assert.equal(cli.status, 0, cli.stderr);
    const viaCli = await Promise.all([a(), b()].map((instance) => pollUntil(refusedBy(instance, second.key), KEY_REVOCATION_BOUND_MS, 'the CLI revocation to reach both instances')));
    process.stdout.write(`# revocation through A refused by B after ${viaB} ms; CLI revocation refused by both after ${Math.max(...viaCli)} ms\n`);
  });
});

/** The SCIM rate limits are one budget across instances when ROSTER_REDIS_URL is set. */
describe('scale-out: rate limits shared through Redis by two processes', { skip }, () => {
  let database: TestDatabase;
  let instances: Instance[] = [];
  let roster: Roster;

  before(async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await redis.connect().then(() => redis.ping()).catch((error: unknown) => {
      throw new Error(`These tests need Redis at ${REDIS_URL} (bash .ci/run starts it): ${String(error)}`);
    }).finally(() => redis.disconnect());
    database = await createTestDatabase('postgres');
    const env = { ROSTER_DB: database.url, ROSTER_REDIS_URL: REDIS_URL, ROSTER_RATE_LIMIT_PER_KEY: '8', ROSTER_RATE_LIMIT_PER_ACCOUNT: '0', ROSTER_RATE_LIMIT_WINDOW: '86400' };
    instances = await startInstances(2, env);
    roster = await openRoster({ databaseUrl: database.url, databasePoolSize: 2 });
  });
  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await roster?.database.close();
    await database?.drop();
  });

  it('8 requests per key per window across both: 4 through each are allowed, the 9th is refused by either', async () => {
    const { apiKey } = await roster.accounts.createAccount({ name: 'Shared limits', plan: 'enterprise' });
    const [a, b] = instances.map((instance) => scimClient(instance.url, apiKey)) as [ReturnType<typeof scimClient>, ReturnType<typeof scimClient>];
    const day = () => Math.floor(Date.now() / 86_400_000);
    const firstDay = day();
    const allowed = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).get('/Users')));
    const refused = await Promise.all([a.get('/Users'), b.get('/Users')]);
    // The window is a UTC day; only requests that straddle midnight see a fresh allowance.
    if (day() !== firstDay) return;
    assert.deepEqual(statusCounts(allowed), { 200: 8 });
    // Counted per instance, each would still allow 4 more: only a shared counter refuses these.
    assert.deepEqual(statusCounts(refused), { 429: 2 });
    assert.match(refused[0]!.body.detail, /may send 8 requests per 86400 seconds/);
  });
});
