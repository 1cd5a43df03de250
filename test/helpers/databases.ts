import type { DialectName } from '../../src/db/database.js';
import { createScratchPostgres, createScratchSqlite, type ScratchDatabase } from '../../scripts/scratch-database.js';

/** The PostgreSQL server the tests use (CI and every machine run one on loopback). */
export const PG_ADMIN_URL = process.env['ROSTER_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const PG_ENABLED = process.env['ROSTER_TEST_PG'] !== 'off';

if (!PG_ENABLED) {
  process.stderr.write('\n*** ROSTER_TEST_PG=off: PostgreSQL suites are SKIPPED. CI never sets this. ***\n\n');
}

export type TestDatabase = ScratchDatabase;

/** A fresh, empty database of the given dialect: a temp SQLite file or a new PG database. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  return dialect === 'sqlite' ? createScratchSqlite('roster-test') : createScratchPostgres(PG_ADMIN_URL, 'roster_test');
}

/** The dialects every store and HTTP suite runs against. */
export const DIALECTS: readonly DialectName[] = PG_ENABLED ? ['sqlite', 'postgres'] : ['sqlite'];
