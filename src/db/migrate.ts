import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { RosterDatabase } from './database.js';
import { initialMigration } from './migrations/0001-initial.js';

/** Migrations in order; forward-only. Names sort in application order. */
function migrations(database: RosterDatabase): Record<string, Migration> {
  return { '0001-initial': initialMigration(database.dialect) };
}

/**
 * Brings the schema up to date. Kysely's migrator holds a lock row (SELECT … FOR UPDATE on
 * PostgreSQL) so several instances starting at once apply each migration exactly once.
 */
export async function migrateToLatest(database: RosterDatabase): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(database) };
  const migrator = new Migrator({ db: database.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
