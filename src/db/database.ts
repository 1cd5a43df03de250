import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/** A database handle or an open transaction: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;

export interface RosterDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A SQLite file path, `:memory:`, or a `postgres://` / `postgresql://` URL. */
  readonly url: string;
  /** PostgreSQL pool size. */
  readonly poolSize?: number;
  /** PostgreSQL statement_timeout of pooled connections, in ms (default 15 s; 0 = none). */
  readonly statementTimeoutMs?: number;
}

/** The default PostgreSQL statement_timeout of request connections (README "Running in production"). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;

export function dialectOf(url: string): DialectName {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgres' : 'sqlite';
}

/** Opens the database named by `url`: one Kysely code path, two dialects. */
export function openDatabase(options: DatabaseOptions): RosterDatabase {
  const dialect = dialectOf(options.url);
  return dialect === 'postgres' ? openPostgres(options) : openSqlite(options.url);
}

function openSqlite(path: string): RosterDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  // WAL lets readers run while a write commits; NORMAL sync is durable across process
  // crashes in WAL mode (only an OS crash can lose the last commits); busy_timeout makes a
  // second process wait for the write lock instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // SQLite's built-in lower() folds ASCII only; SCIM compares caseExact=false strings in any
  // script (É = é), as PostgreSQL's lower() does. JavaScript's folding matches what the
  // repositories store in the *_lower columns.
  sqlite.function('lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(options: DatabaseOptions): RosterDatabase {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // A statement that runs longer than this is a bug or an overload; fail it rather than
    // pile up connections behind it.
    statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
