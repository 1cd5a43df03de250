import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { withNamedStatements } from './postgres-statements.js';
import { registerDirectReader, registerDirectWriter, type DirectRun } from './prepared-query.js';
import { startSqliteCheckpointer } from './sqlite-checkpointer.js';
import { RosterSqliteDialect, isBusy, retryWhileBusy } from './sqlite-driver.js';
import { withStatementCache } from './sqlite-statements.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/** An open transaction, as services hold it. */
export type DbTransaction = Transaction<Database>;

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
  /**
   * Other processes serve the same SQLite file (ROSTER_WORKERS > 1): every read sees their
   * commits at once, and this connection leaves checkpoints to the primary's checkpointer.
   */
  readonly sharedSqliteFile?: boolean;
}

/** The default PostgreSQL statement_timeout of request connections (README "Running in production"). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;

export function dialectOf(url: string): DialectName {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgres' : 'sqlite';
}

/** Opens the database named by `url`: one Kysely code path, two dialects. */
export function openDatabase(options: DatabaseOptions): RosterDatabase {
  const dialect = dialectOf(options.url);
  return dialect === 'postgres' ? openPostgres(options) : openSqlite(options.url, options.sharedSqliteFile ?? false);
}

/** SQLite page cache per connection (negative = KiB): the hot indexes of 100,000 members fit. */
const CACHE_SIZE_KIB = 32_768;
/** WAL pages after which a commit checkpoints itself (SQLite's default is 1,000): a safety net behind the checkpoint worker. */
const WAL_CHECKPOINT_PAGES = 16_000;
/** How often a long-lived connection refreshes the planner's statistics (SQLite's advice: every few hours or less). */
const OPTIMIZE_EVERY_MS = 15 * 60_000;

/**
 * Reads outside transactions share one read transaction per turn of the event loop. Each
 * read that SQLite runs in a transaction of its own takes and drops a lock on the WAL index
 * with two `fcntl` calls, which on these VMs cost more than the read itself: a primary-key
 * lookup took 10.7–16.5 µs alone and 3.7–4.1 µs inside a transaction (bench/README.md, finding
 * 30). The requests a turn of the event loop serves now read in one transaction, committed when
 * the turn ends (setImmediate), or earlier, before any statement that is not a plain read runs
 * on the connection (a write, or the BEGIN of a write transaction), so this process's writes
 * are committed when they resolve and every read after one sees it. A commit of another
 * process (the CLI) is seen from the next turn on; the snapshot is never older than that.
 *
 * When other workers serve the same file, that is too old: an IdP's GET may reach this worker
 * right after its POST was answered by another, in a turn whose read transaction began before
 * that commit (in the timers phase, say). The shared transaction then ends with the task that
 * began it (process.nextTick runs once its callback and the promise jobs it queued are done),
 * so a read never uses a snapshot older than the event that led to it.
 */
function sharedReads(sqlite: SqliteDatabase.Database, scope: 'turn' | 'task') {
  const schedule = scope === 'turn' ? setImmediate : process.nextTick;
  let open = false;
  const end = () => {
    if (!open) return;
    open = false;
    if (sqlite.inTransaction) sqlite.exec('commit');
  };
  return {
    get open() {
      return open;
    },
    begin() {
      if (open) return;
      sqlite.exec('begin');
      open = true;
      schedule(end);
    },
    end,
  };
}

function openSqlite(path: string, sharedFile: boolean): RosterDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  // WAL lets readers run while a write commits; NORMAL sync is durable across process
  // crashes in WAL mode (only an OS crash can lose the last commits). While the connection
  // opens, busy_timeout makes it wait for another process's lock (workers starting together
  // both run optimize below); once open, it is turned off (the end of this function).
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // SQLite's built-in lower() folds ASCII only; SCIM compares caseExact=false strings in any
  // script (É = é), as PostgreSQL's lower() does. JavaScript's folding matches what the
  // repositories store in the *_lower columns.
  sqlite.function('lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  // The default 2 MB page cache re-reads the members indexes from the OS on every page of a
  // list; 32 MB holds them at 100,000 members. Workers sharing the file have one each, and the
  // OS's page cache behind them all: half each keeps the indexes (bench/README.md, finding 38).
  // Sorts of a page happen in memory.
  sqlite.pragma(`cache_size = -${sharedFile ? CACHE_SIZE_KIB / 2 : CACHE_SIZE_KIB}`);
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoints (copy the WAL into the file, then fsync) run in a worker thread on their own
  // connection (sqlite-checkpointer.ts); with workers sharing the file, only the primary's
  // connection runs one. Should it fall behind, a commit checkpoints itself
  // once the WAL holds 16,000 pages (64 MB). The WAL file is truncated back to 64 MB after a
  // checkpoint. No mmap: mapped pages count in the process's RSS.
  sqlite.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  // Without statistics SQLite's planner picks table scans for the membership and email
  // lookups once tables are large (bench/README.md, "Findings"). SQLite's recommended
  // practice: optimize with 0x10002 at open, plain optimize periodically and before close;
  // each run analyses only tables that are new or changed a lot, with a bounded sample.
  sqlite.pragma('optimize = 0x10002');
  // From here on SQLITE_BUSY is waited for by the driver, without blocking the event loop:
  // SQLite's handler would sleep inside the call, 1 ms at least, while another process's
  // write transaction holds the lock for a fraction of that (sqlite-driver.ts).
  sqlite.pragma('busy_timeout = 0');
  const reads = sharedReads(sqlite, sharedFile ? 'task' : 'turn');
  const statements = withStatementCache(sqlite, reads.end);
  const db = new Kysely<Database>({ dialect: new RosterSqliteDialect({ database: statements }) });
  // Kysely runs each query through its connection mutex and several promise hops, about 2 µs
  // of a 22 µs lookup (bench/README.md, finding 18). better-sqlite3 is synchronous, so a read
  // runs at once instead, in the turn's shared read transaction; while a write transaction is
  // open on the connection, reads queue behind it through Kysely as before, never seeing into it.
  registerDirectReader(db, (text, parameters) => {
    if (sqlite.inTransaction && !reads.open) return undefined;
    const statement = statements.prepare(text);
    if (!statement.readsOnly) return undefined;
    reads.begin();
    try {
      return statement.all(parameters) as unknown[];
    } catch (error) {
      // Another process is recovering the WAL index: Kysely's path waits and retries.
      if (!isBusy(error)) throw error;
      reads.end();
      return undefined;
    }
  });
  // A write transaction run at once, when no transaction of Kysely's is open on the connection
  // (between its statements, while it awaits): Kysely's own goes through the connection mutex and
  // several promise hops per statement (prepared-query.ts, DirectWriter).
  const run = (text: string, parameters: readonly unknown[]): unknown[] => {
    const statement = statements.prepare(text);
    if (statement.reader) return statement.all(parameters);
    statement.run(parameters);
    return [];
  };
  registerDirectWriter(db, <T>(body: (run: DirectRun) => T) =>
    retryWhileBusy(async () => {
      if (sqlite.inTransaction && !reads.open) return undefined;
      run('begin immediate', []);
      try {
        const result = body(run);
        run('commit', []);
        return { result };
      } catch (error) {
        if (sqlite.inTransaction) run('rollback', []);
        throw error;
      }
    }),
  );
  // Through Kysely, so it waits for the single connection between transactions.
  const optimize = () => sql`pragma optimize`.execute(db).then(() => undefined, () => undefined);
  const timer = setInterval(() => void optimize(), OPTIMIZE_EVERY_MS);
  timer.unref();
  const checkpointer = path === ':memory:' || sharedFile ? undefined : startSqliteCheckpointer(path);
  return {
    db,
    dialect: 'sqlite',
    close: async () => {
      clearInterval(timer);
      await checkpointer?.stop();
      await optimize();
      reads.end();
      await db.destroy();
    },
  };
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
  // A client losing its connection (server restart, failover, network cut) must not crash the
  // process. Idle clients report it to the pool; a client checked out at that moment emits
  // 'error' on itself, where nothing listens: its query already fails with that error, and the
  // pool discards it on release as no longer queryable (test/scale-out/readiness.test.ts).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
