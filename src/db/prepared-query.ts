import type { Compilable, CompiledQuery, DialectAdapter } from 'kysely';
import type { Db } from './database.js';

/** The compiled form of a prepared query on one database: its SQL and where each parameter goes. */
interface Template {
  readonly compiled: CompiledQuery;
  /** Per compiled parameter: the index of the caller's parameter, or a constant of the query. */
  readonly slots: readonly ({ readonly param: number } | { readonly constant: unknown })[];
}

/** The SQL texts of every compiled template, each with a statement name for PostgreSQL (database.ts). */
const statementNames = new Map<string, string>();

/**
 * The name under which PostgreSQL connections prepare this SQL, if a prepared query produced
 * it. Those texts are a small fixed set, so each connection prepares a bounded number of
 * statements; queries built per request are not named.
 */
export function preparedStatementName(text: string): string | undefined {
  return statementNames.get(text);
}

/**
 * Runs a prepared read at once on a database whose driver can (SQLite), or answers undefined
 * so that Kysely's executor runs it.
 */
export type DirectReader = (text: string, parameters: readonly unknown[]) => unknown[] | undefined;

const directReaders = new WeakMap<DialectAdapter, DirectReader>();

/** Lets `db`'s prepared reads outside transactions skip Kysely's executor (database.ts, SQLite). */
export function registerDirectReader(db: Db, reader: DirectReader): void {
  directReaders.set(db.getExecutor().adapter, reader);
}

/** Runs one statement of a direct write (DirectWriter): its rows, those of RETURNING too. */
export type DirectRun = (text: string, parameters: readonly unknown[]) => unknown[];

/**
 * Runs `body` synchronously in one write transaction, begun before it and committed after it
 * (rolled back if it throws), on a database whose driver can (SQLite). Waits without blocking
 * while another process holds the write lock, and fails with its SQLITE_BUSY when that wait
 * runs out, as Kysely's path does. Answers undefined, having run nothing, when a transaction of
 * this process is open on the connection: the caller then writes through Kysely, which queues it.
 */
export type DirectWriter = <T>(body: (run: DirectRun) => T) => Promise<{ readonly result: T } | undefined>;

const directWriters = new WeakMap<DialectAdapter, DirectWriter>();

/** Lets `db` run direct writes (database.ts, SQLite). */
export function registerDirectWriter(db: Db, writer: DirectWriter): void {
  directWriters.set(db.getExecutor().adapter, writer);
}

/**
 * The direct writer of `db`, if its driver has one: not inside a Kysely transaction, and not on
 * a db with plugins (the tests' statement recorder sees only what goes through Kysely).
 */
export function directWriterOf(db: Db): DirectWriter | undefined {
  const executor = db.getExecutor();
  return db.isTransaction || executor.plugins.length > 0 ? undefined : directWriters.get(executor.adapter);
}

const sentinel = (index: number): string => `\u0000roster-parameter-${index}\u0000`;

function compileTemplate(db: Db, build: (db: Db, ...params: never[]) => Compilable<unknown>, arity: number): Template {
  const sentinels = Array.from({ length: arity }, (_, i) => sentinel(i));
  const compiled = build(db, ...(sentinels as never[])).compile();
  const slots = compiled.parameters.map((value) => {
    const param = typeof value === 'string' ? sentinels.indexOf(value) : -1;
    return param >= 0 ? { param } : { constant: value };
  });
  const placed = new Set(slots.flatMap((slot) => ('param' in slot ? [slot.param] : [])));
  // A parameter the builder transformed (lower-cased, wrapped in a pattern) cannot be placed:
  // such a query must do that to the value before calling, or not be prepared.
  if (placed.size !== arity) throw new Error(`A prepared query must pass each of its ${arity} parameters to the SQL unchanged:\n${compiled.sql}`);
  if (!statementNames.has(compiled.sql)) statementNames.set(compiled.sql, `roster_${statementNames.size + 1}`);
  return { compiled, slots };
}

/**
 * A query that Kysely builds and compiles once per database and then runs with new parameter
 * values. Kysely rebuilds its immutable operation tree and compiles it to SQL on every call,
 * which was about a fifth of the CPU of a `GET /Users/{id}` (bench/README.md, finding 9); the
 * few fixed-shape statements that every SCIM request runs skip that. The builder is called
 * once with sentinel values, and the compiled parameter list records where each one went.
 * Queries whose shape depends on the request (filters, sorting) are built per request. A builder
 * with a rest parameter passes its `arity` (how many parameters it takes after the db).
 */
export function preparedQuery<P extends unknown[], R>(build: (db: Db, ...params: P) => Compilable<R>, arity = build.length - 1): (db: Db, ...params: P) => Promise<R[]> {
  const templateOf = templatesOf(build, arity);
  return async (db, ...params) => {
    const executor = db.getExecutor();
    // A template compiled once never passes through a plugin's transformQuery again; a db with
    // plugins (the tests' statement recorder) gets its query built per call, as Kysely does.
    if (executor.plugins.length > 0) return (await db.executeQuery(build(db, ...params))).rows;
    const { compiled, parameters } = templateOf(db, params);
    const rows = db.isTransaction ? undefined : directReaders.get(executor.adapter)?.(compiled.sql, parameters);
    if (rows) return rows as R[];
    const result = await db.executeQuery<R>({ ...compiled, parameters } as CompiledQuery<R>);
    return result.rows;
  };
}

/**
 * A query compiled once per database, as preparedQuery, run inside a direct write's body
 * (DirectWriter) by its `run`.
 */
export function directStatement<P extends unknown[], R>(build: (db: Db, ...params: P) => Compilable<R>, arity = build.length - 1): (db: Db, run: DirectRun, ...params: P) => R[] {
  const templateOf = templatesOf(build, arity);
  return (db, run, ...params) => {
    const { compiled, parameters } = templateOf(db, params);
    return run(compiled.sql, parameters) as R[];
  };
}

/** The compiled template of `build` on a database (one per Kysely instance, keyed by its adapter, which its transactions share) and a call's parameters placed in it. */
function templatesOf<P extends unknown[]>(build: (db: Db, ...params: P) => Compilable<unknown>, arity: number) {
  const templates = new WeakMap<DialectAdapter, Template>();
  return (db: Db, params: P): { compiled: CompiledQuery; parameters: unknown[] } => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      template = compileTemplate(db, build as unknown as (db: Db, ...params: never[]) => Compilable<unknown>, arity);
      templates.set(adapter, template);
    }
    return { compiled: template.compiled, parameters: template.slots.map((slot) => ('param' in slot ? params[slot.param] : slot.constant)) };
  };
}

/** The row object of a prepared statement's positional values: `columns[i]` gets `values[i]`. */
export function rowOf(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column, i) => [column, values[i]]));
}
