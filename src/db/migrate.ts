import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { RosterDatabase } from './database.js';
import { initialMigration } from './migrations/0001-initial.js';
import { performanceIndexesMigration } from './migrations/0002-performance-indexes.js';
import { memberCountersMigration } from './migrations/0003-member-counters.js';
import { memberListVersionMigration } from './migrations/0004-member-list-version.js';
import { deferredSeatCountersMigration } from './migrations/0005-deferred-seat-counters.js';
import { teamVersionAtCommitMigration } from './migrations/0006-team-version-at-commit.js';
import { coveringEmailIndexMigration } from './migrations/0007-covering-email-index.js';
import type { Database } from './schema.js';

/** Migrations in order; forward-only. Names sort in application order. */
function migrations(database: RosterDatabase): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(database.dialect),
    '0002-performance-indexes': performanceIndexesMigration(),
    '0003-member-counters': memberCountersMigration(database.dialect),
    '0004-member-list-version': memberListVersionMigration(database.dialect),
    '0005-deferred-seat-counters': deferredSeatCountersMigration(database.dialect),
    '0006-team-version-at-commit': teamVersionAtCommitMigration(database.dialect),
    '0007-covering-email-index': coveringEmailIndexMigration(),
  };
}

async function runMigrator(db: Kysely<Database>, database: RosterDatabase): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(database) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Brings the schema up to date. On PostgreSQL, Kysely's migrator holds a session-level
 * advisory lock (`pg_advisory_lock`) around reading the applied migrations and applying the
 * pending ones in one transaction, so several instances starting at once apply each migration
 * exactly once: the others wait, then find nothing left to do (test/scale-out/migrations.test.ts).
 * On SQLite the file's write lock serialises them.
 */
export async function migrateToLatest(database: RosterDatabase): Promise<string[]> {
  if (database.dialect !== 'postgres') return runMigrator(database.db, database);
  // One session for the whole run, without the pool's statement_timeout: waiting for the lock
  // while another instance migrates, or a long migration itself, must not be cut off at the
  // limit meant for requests (that would fail the start of every instance but the first).
  return database.db.connection().execute(async (session) => {
    await sql`set statement_timeout = 0`.execute(session);
    try {
      return await runMigrator(session, database);
    } finally {
      await sql`reset statement_timeout`.execute(session).catch(() => undefined);
    }
  });
}
