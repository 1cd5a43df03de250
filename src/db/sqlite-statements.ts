import type SqliteDatabase from 'better-sqlite3';
import type { SqliteStatement } from 'kysely';
import { rowFunction, type RowOf } from './row-objects.js';

/** Prepared statements kept per connection; the LRU bound keeps variable-length IN lists from growing it. */
const STATEMENT_CACHE_SIZE = 500;

/** A cached statement as Kysely's driver and the direct reader (database.ts) use it. */
export interface CachedStatement extends SqliteStatement {
  /** A read that writes nothing (SELECT, not INSERT … RETURNING): it may join the shared read transaction. */
  readonly readsOnly: boolean;
}

/** A better-sqlite3 statement whose reads return arrays (raw mode), made into row objects here. */
class RowObjectStatement implements CachedStatement {
  readonly reader: boolean;
  readonly readsOnly: boolean;
  #rowOf: RowOf | undefined;
  #width = -1;

  constructor(private readonly statement: SqliteDatabase.Statement) {
    this.reader = statement.reader;
    this.readsOnly = statement.reader && statement.readonly;
    if (this.reader) statement.raw(true);
  }

  get busy(): boolean {
    return this.statement.busy;
  }

  /**
   * The row function; made again when the rows' width changes: SQLite re-prepares a statement
   * after a schema change, and a `select *` then has the columns a migration added. (Roster's
   * migrations add columns and never rename them, so the width is what can change.)
   */
  #rowFunctionFor(width: number): RowOf {
    if (this.#rowOf === undefined || width !== this.#width) {
      this.#rowOf = rowFunction(this.statement.columns().map((column) => column.name));
      this.#width = width;
    }
    return this.#rowOf;
  }

  all(parameters: readonly unknown[]): unknown[] {
    const rows = this.statement.all(parameters) as unknown[][];
    const first = rows[0];
    if (first === undefined) return rows;
    const rowOf = this.#rowFunctionFor(first.length);
    return rows.map((values) => rowOf(values));
  }

  run(parameters: readonly unknown[]): SqliteDatabase.RunResult {
    return this.statement.run(parameters);
  }

  *iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    for (const values of this.statement.iterate(parameters) as IterableIterator<unknown[]>) yield this.#rowFunctionFor(values.length)(values);
  }
}

/**
 * Kysely's SQLite driver prepares every query anew, which was a third of the time spent in
 * SQLite under load (bench/README.md). This hands it cached statements instead; a statement
 * that is still being iterated (a streamed query) is never handed out twice. `beforeWrite`
 * runs before any statement that is not a plain read is handed out. The result is Kysely's
 * `SqliteDatabase`.
 */
export function withStatementCache(sqlite: SqliteDatabase.Database, beforeWrite: () => void): { close(): void; prepare(text: string): CachedStatement } {
  const cache = new Map<string, RowObjectStatement>();
  const cached = (text: string): RowObjectStatement => {
    const found = cache.get(text);
    if (found && !found.busy) {
      cache.delete(text);
      cache.set(text, found);
      return found;
    }
    const statement = new RowObjectStatement(sqlite.prepare(text));
    if (!found) {
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value ?? text);
    }
    return statement;
  };
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const statement = cached(text);
      // BEGIN, writes (RETURNING ones are readers too) and pragmas end the shared read first.
      if (!statement.readsOnly) beforeWrite();
      return statement;
    },
  };
}
