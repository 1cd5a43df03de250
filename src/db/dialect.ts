import { sql, type ColumnDefinitionBuilder } from 'kysely';
import type { Db, DialectName } from './database.js';

/**
 * The few places where SQLite and PostgreSQL differ. Everything else in `db/` is one
 * Kysely code path for both.
 */

/** An auto-assigned integer primary key column (`seq`). */
export function autoIncrementKey(dialect: DialectName) {
  return (column: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    dialect === 'postgres' ? column.primaryKey().generatedByDefaultAsIdentity() : column.primaryKey().autoIncrement();
}

/** True when `error` is a unique-constraint violation in either driver. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  // better-sqlite3 reports SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY; pg reports SQLSTATE 23505.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when PostgreSQL aborted a transaction that is safe to retry as a whole. */
export function isRetryableConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  // 40001 serialization_failure, 40P01 deadlock_detected; SQLITE_BUSY when another process holds the lock.
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}

/**
 * Serialises writers of one account inside a transaction, so that seat counts and
 * similar invariants are checked against committed state. PostgreSQL takes a row lock on
 * the account; SQLite needs nothing because Kysely's SQLite driver runs one transaction
 * at a time on its single connection (and other processes wait on the file lock).
 */
export async function lockAccount(trx: Db, dialect: DialectName, accountId: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select id from accounts where id = ${accountId} for update`.execute(trx);
}

/** Upper bound for prefix ranges: `col >= p and col < p || MAX` is an index-backed `sw`. */
export const PREFIX_RANGE_END = '\u{10FFFF}';

/** Escapes `%`, `_` and the escape character itself for a LIKE pattern with `escape '\'`. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Cheap connectivity check for `/readyz`. */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
