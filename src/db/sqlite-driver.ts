import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/** How long a statement waits for another process's write lock before it fails (SQLite's busy_timeout did this before). */
const BUSY_WAIT_MS = 5_000;
/** Tries at the next turn of the event loop before waiting a millisecond between tries. */
const QUICK_RETRIES = 3;

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const aMillisecond = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, for up to BUSY_WAIT_MS, waiting
 * between tries without blocking the event loop. SQLite's own busy handler sleeps inside the
 * call, 1 ms at least: the process would serve nothing meanwhile, although another process's
 * write transaction holds the lock for a fraction of that.
 */
export async function retryWhileBusy<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    await (tries <= QUICK_RETRIES ? nextTurn() : aMillisecond());
  }
}

/**
 * Kysely's SQLite driver with two changes for a file that other processes write too (the other
 * workers of ROSTER_WORKERS, the CLI):
 * - a transaction begins IMMEDIATE, taking the write lock at BEGIN. With a plain (deferred)
 *   BEGIN a transaction that read first and then writes fails with SQLITE_BUSY_SNAPSHOT, which
 *   no waiting can cure, when another process committed in between;
 * - SQLITE_BUSY outside a transaction (BEGIN itself, or a statement on its own) is retried
 *   without blocking the event loop (retryWhileBusy). Inside a transaction, which holds the
 *   write lock, it does not occur.
 * Waiting writers poll: nothing makes the lock first come first served. Turns handed out by the
 * primary over IPC were tried and cost more than they saved (bench/README.md, finding 38).
 */
class RosterSqliteDriver extends SqliteDriver {
  #inTransaction = false;
  #wrapped: DatabaseConnection | undefined;

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    this.#wrapped ??= {
      executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> =>
        this.#inTransaction ? connection.executeQuery<R>(query) : retryWhileBusy(() => connection.executeQuery<R>(query)),
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
    };
    return this.#wrapped;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    this.#inTransaction = true;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // A failed COMMIT leaves the transaction open; Kysely then rolls it back, which ends it.
    await connection.executeQuery(CompiledQuery.raw('commit'));
    this.#inTransaction = false;
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.#inTransaction = false;
    }
  }
}

/** SqliteDialect with RosterSqliteDriver. */
export class RosterSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new RosterSqliteDriver(this.#config);
  }
}
