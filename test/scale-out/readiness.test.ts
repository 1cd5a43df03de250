import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openRoster } from '../../src/app.js';
import { createTestDatabase, PG_ENABLED, type TestDatabase } from '../helpers/databases.js';
import { request, scimClient } from '../helpers/http-client.js';
import { pollUntil, REDIS_URL, USER_SCHEMA, startInstances, tcpRelay, type Instance, type Relay } from './fixtures.js';

/** How long an outage may take to show in /readyz, and the recovery to show after it ends. */
const DETECT_MS = 5_000;
const RECOVER_MS = 10_000;

const readyStatus = async (instance: Instance) => (await request(instance.url, 'GET', '/readyz')).status;

/**
 * `/readyz` fails while PostgreSQL or (when configured) Redis is unreachable and recovers by
 * itself once it answers again (issue 8); the dependency is cut with a TCP relay on loopback,
 * as a network partition or a restart would. `/healthz` keeps answering: the process is alive.
 */
describe('scale-out: /readyz follows PostgreSQL and Redis', { skip: !PG_ENABLED && 'ROSTER_TEST_PG=off' }, () => {
  let database: TestDatabase;
  let apiKey: string;
  const relays: Relay[] = [];
  const instances: Instance[] = [];

  before(async () => {
    database = await createTestDatabase('postgres');
    const roster = await openRoster({ databaseUrl: database.url, databasePoolSize: 1 });
    try {
      apiKey = (await roster.accounts.createAccount({ name: 'Readiness', plan: 'enterprise' })).apiKey;
    } finally {
      await roster.database.close();
    }
  });
  after(async () => {
    for (const instance of instances) assert.equal(await instance.stop(), 0, 'the instance shuts down cleanly after the outage');
    for (const relay of relays) await relay.close();
    await database.drop();
  });

  async function relayTo(url: string, defaultPort: number): Promise<Relay> {
    const target = new URL(url);
    const relay = await tcpRelay({ host: target.hostname, port: Number(target.port || defaultPort) });
    relays.push(relay);
    return relay;
  }

  it('PostgreSQL unreachable: the request in flight fails, the process lives, /readyz 503 naming the database, then ready again by itself', async () => {
    const relay = await relayTo(database.url, 5432);
    const viaRelay = new URL(database.url);
    viaRelay.port = String(relay.port);
    const [instance] = await startInstances(1, { ROSTER_DB: viaRelay.toString(), ROSTER_DB_POOL: '4' });
    instances.push(instance!);
    const scim = scimClient(instance!.url, apiKey);
    assert.equal(await readyStatus(instance!), 200);
    assert.equal((await scim.get('/Users')).status, 200);

    // A create waits for the account's row lock, held here, so its connection is checked out
    // and mid-query when the network drops.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query('select id from accounts for update');
    const inFlight = scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'in.flight@example.com' });
    await pollUntil(async () => (await holder.query(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)).rowCount === 1, DETECT_MS, 'the create to wait for the lock');

    await relay.cut();
    const failed = await inFlight;
    assert.ok(failed.status >= 500, `the request in flight fails alone: ${failed.status} ${failed.text}`);
    await holder.query('rollback');
    await holder.end();
    await pollUntil(async () => (await readyStatus(instance!)) === 503, DETECT_MS, '/readyz to fail');
    const down = await request(instance!.url, 'GET', '/readyz');
    assert.deepEqual(down.body, { status: 'unavailable', detail: 'The database is not reachable.' });
    assert.equal((await request(instance!.url, 'GET', '/healthz')).status, 200, 'the process itself is alive');

    await relay.restore();
    const recovered = await pollUntil(async () => (await readyStatus(instance!)) === 200, RECOVER_MS, '/readyz to recover');
    assert.equal((await scim.get('/Users')).status, 200, 'the pool reconnected: SCIM requests succeed again');
    process.stdout.write(`# PostgreSQL back: ready again after ${recovered} ms\n`);
  });

  it('Redis configured but unreachable: 503 naming Redis while SCIM keeps being served, then ready again by itself', async () => {
    const relay = await relayTo(REDIS_URL, 6379);
    const [instance] = await startInstances(1, { ROSTER_DB: database.url, ROSTER_REDIS_URL: `redis://127.0.0.1:${relay.port}` });
    instances.push(instance!);
    const scim = scimClient(instance!.url, apiKey);
    assert.equal(await readyStatus(instance!), 200, 'ready once Redis answered at start');

    await relay.cut();
    await pollUntil(async () => (await readyStatus(instance!)) === 503, DETECT_MS, '/readyz to fail');
    const down = await request(instance!.url, 'GET', '/readyz');
    assert.equal(down.body.status, 'unavailable');
    assert.match(down.body.detail, /Redis \(ROSTER_REDIS_URL\) is not reachable/);
    assert.equal((await scim.get('/Users')).status, 200, 'provisioning goes on with per-instance rate limits');

    await relay.restore();
    const recovered = await pollUntil(async () => (await readyStatus(instance!)) === 200, RECOVER_MS, '/readyz to recover');
    process.stdout.write(`# Redis back: ready again after ${recovered} ms\n`);
  });
});
