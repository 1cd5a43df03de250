import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, PG_ENABLED, type TestDatabase } from '../helpers/databases.js';
import type pg from 'pg';
import { withPostgresClient } from '../../scripts/scratch-database.js';
import { pollUntil, runCliAsync } from './fixtures.js';

/** The advisory lock Kysely's PostgresAdapter takes around migrations (kysely 0.28). */
const KYSELY_MIGRATION_LOCK = '3853314791062309107';

async function appliedMigrations(url: string): Promise<string[]> {
  return withPostgresClient(url, async (client) => (await client.query<{ name: string }>('select name from kysely_migration order by name')).rows.map((r) => r.name));
}

async function tableExists(url: string, name: string): Promise<boolean> {
  return withPostgresClient(url, async (client) => (await client.query('select 1 from information_schema.tables where table_name = $1', [name])).rowCount === 1);
}

/** True when a backend of this database waits for an advisory lock (pg_stat_activity). */
async function waitsForAdvisoryLock(client: pg.Client, minimumMs = 0): Promise<boolean> {
  const result = await client.query(
    `select 1 from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()
        and wait_event_type = 'Lock' and wait_event = 'advisory'
        and now() - query_start > make_interval(secs => $1::float8 / 1000)`,
    [minimumMs],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Several instances start at once on a fresh database (README "Running in production":
 * migrations run at every start). Each migration must be applied exactly once and every start
 * must succeed.
 */
describe('scale-out: migrations when several instances start at once [postgres]', { skip: !PG_ENABLED && 'ROSTER_TEST_PG=off' }, () => {
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const database of databases) await database.drop();
  });
  async function freshDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase('postgres');
    databases.push(database);
    return database;
  }

  it('six `roster migrate` processes started together all succeed and apply each migration once', async () => {
    const { url } = await freshDatabase();
    const runs = await Promise.all(Array.from({ length: 6 }, () => runCliAsync(['migrate'], { ROSTER_DB: url })));
    for (const run of runs) assert.equal(run.status, 0, run.stderr);
    assert.ok((await appliedMigrations(url)).includes('0001-initial'));
    assert.ok(await tableExists(url, 'members'));
  });

  it('twenty migrators in one process, on separate pools, started together: all succeed, one applies', async () => {
    const { url } = await freshDatabase();
    const handles = Array.from({ length: 20 }, () => openDatabase({ url, poolSize: 2 }));
    try {
      const applied = await Promise.all(handles.map((database) => migrateToLatest(database)));
      const all = await appliedMigrations(url);
      assert.ok(all.includes('0001-initial'));
      // One migrator applied every migration; the others waited and found nothing to do.
      assert.deepEqual(applied.filter((names) => names.length > 0), [all]);
    } finally {
      await Promise.all(handles.map((database) => database.close()));
    }
  });

  it('the migrator really takes the lock: while another session holds it, a start waits and applies nothing', async () => {
    const { url } = await freshDatabase();
    await withPostgresClient(url, async (holder) => {
      await holder.query(`select pg_advisory_lock(${KYSELY_MIGRATION_LOCK})`);
      const migrating = runCliAsync(['migrate'], { ROSTER_DB: url });
      let exited = false;
      void migrating.then(() => (exited = true));
      await pollUntil(() => waitsForAdvisoryLock(holder), 30_000, 'the migrator to wait for the advisory lock');
      assert.equal(exited, false, 'the migrator waits while the lock is held');
      assert.equal(await tableExists(url, 'members'), false, 'nothing was migrated under the held lock');
      await holder.query(`select pg_advisory_unlock(${KYSELY_MIGRATION_LOCK})`);
      const run = await migrating;
      assert.equal(run.status, 0, run.stderr);
    });
    assert.ok(await tableExists(url, 'members'));
  });

  it('waiting for the lock is not cut off by the statement timeout meant for requests', async () => {
    const { url } = await freshDatabase();
    // 300 ms instead of the default 15 s: a migrator that waited under the pool's timeout would fail.
    const database = openDatabase({ url, poolSize: 2, statementTimeoutMs: 300 });
    try {
      await withPostgresClient(url, async (holder) => {
        await holder.query(`select pg_advisory_lock(${KYSELY_MIGRATION_LOCK})`);
        const migrating = migrateToLatest(database).then(
          (applied) => ({ applied }),
          (error: unknown) => ({ error }),
        );
        let early: unknown;
        void migrating.then((outcome) => (early = outcome));
        await pollUntil(async () => early !== undefined || (await waitsForAdvisoryLock(holder, 900)), 30_000, 'the migrator to wait three times the statement timeout');
        assert.equal(early, undefined, 'the migrator must still be waiting, not have given up');
        await holder.query(`select pg_advisory_unlock(${KYSELY_MIGRATION_LOCK})`);
        const outcome = await migrating;
        assert.ok('applied' in outcome && outcome.applied.includes('0001-initial'), String('error' in outcome && outcome.error));
      });
      // The pool's request connections still have the statement timeout.
      await assert.rejects(sql`select pg_sleep(1)`.execute(database.db), /statement timeout/);
    } finally {
      await database.close();
    }
  });
});
