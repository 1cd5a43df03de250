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
  // One template per Kysely instance (keyed by its adapter, which its transactions share).
  const templates = new WeakMap<DialectAdapter, Template>();
  return async (db, ...params) => {
    const executor = db.getExecutor();
    // A template compiled once never passes through a plugin's transformQuery again; a db with
    // plugins (the tests' statement recorder) gets its query built per call, as Kysely does.
    if (executor.plugins.length > 0) return (await db.executeQuery(build(db, ...params))).rows;
    const adapter = executor.adapter;
    let template = templates.get(adapter);
    if (!template) {
      template = compileTemplate(db, build as unknown as (db: Db, ...params: never[]) => Compilable<unknown>, arity);
      templates.set(adapter, template);
    }
    const parameters = template.slots.map((slot) => ('param' in slot ? params[slot.param] : slot.constant));
    const rows = db.isTransaction ? undefined : directReaders.get(adapter)?.(template.compiled.sql, parameters);
    if (rows) return rows as R[];
    const result = await db.executeQuery<R>({ ...template.compiled, parameters } as CompiledQuery<R>);
    return result.rows;
  };
}

/** The row object of a prepared statement's positional values: `columns[i]` gets `values[i]`. */
export function rowOf(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column, i) => [column, values[i]]));
}
