import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { preparedStatementName } from './prepared-query.js';
import { rowFunction, type RowOf } from './row-objects.js';

/**
 * node-postgres sends a query unnamed, and PostgreSQL then parses and plans it on every run.
 * Planning the lookup of a member joined to its teams cost more than running it: pgbench ran it
 * 7,100 times a second unnamed and 28,700 times prepared (bench/README.md, finding 15). So:
 *
 * - the statements of preparedQuery (a small fixed set) go out named from their first run;
 * - any other SQL text that has run HOT_AFTER_RUNS times is named too, up to MAX_HOT_TEXTS
 *   texts (the writes' inserts and updates, the common IN-list lengths), as pgjdbc does with
 *   its prepareThreshold of 5 and its bounded per-connection cache. Texts built per request
 *   that rarely repeat (filters) stay unnamed, so a connection never holds more than a
 *   bounded number of prepared statements.
 *
 * (Behind PgBouncer this needs session pooling, or transaction pooling with prepared-statement
 * support: README "Running in production".)
 */
export const HOT_AFTER_RUNS = 5;
export const MAX_HOT_TEXTS = 200;
/** How many not-yet-hot texts are counted; the least recently seen are forgotten first. */
const MAX_COUNTED_TEXTS = 2_000;

/** Names SQL texts for PostgreSQL prepared statements (shared by every connection of a pool). */
export function createStatementNamer(): (text: string) => string | undefined {
  const hotNames = new Map<string, string>();
  const runs = new Map<string, number>();
  return (text) => {
    const named = preparedStatementName(text) ?? hotNames.get(text);
    if (named !== undefined || hotNames.size >= MAX_HOT_TEXTS) return named;
    const count = (runs.get(text) ?? 0) + 1;
    runs.delete(text);
    if (count < HOT_AFTER_RUNS) {
      runs.set(text, count);
      if (runs.size > MAX_COUNTED_TEXTS) runs.delete(runs.keys().next().value ?? text);
      return undefined;
    }
    const name = `roster_hot_${hotNames.size + 1}`;
    hotNames.set(text, name);
    return name;
  };
}

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed since it was
 * prepared ("cached plan must not change result type", SQLSTATE 0A000): a `select *` prepared
 * before another instance's migration added a column. Such a connection is closed when it goes
 * back to the pool, so the next one prepares the statement anew; the failed request answers an
 * error once per connection during a rolling upgrade instead of on every request. (The code also
 * covers other "feature not supported" errors, which Roster does not cause; for those, closing
 * the connection costs only a reconnect.)
 */
const STALE_PREPARED_STATEMENT = '0A000';

/**
 * A named statement's rows come back as arrays and are made into objects by a function
 * compiled for its columns (row-objects.ts): node-postgres's own row objects are a spread of a
 * null-prototype template per row, V8's slow clone path (bench/README.md, finding 37). The
 * functions are kept per statement name and made again if its columns differ (a connection that
 * prepared it after a migration changed a `select *`).
 */
function createRowMaker(): (name: string, result: pg.QueryArrayResult) => Record<string, unknown>[] {
  const byName = new Map<string, { readonly names: readonly string[]; readonly rowOf: RowOf }>();
  return (name, result) => {
    const { fields } = result;
    let known = byName.get(name);
    if (!known || known.names.length !== fields.length || fields.some((field, i) => field.name !== known?.names[i])) {
      const names = fields.map((field) => field.name);
      known = { names, rowOf: rowFunction(names) };
      byName.set(name, known);
    }
    const { rowOf } = known;
    return result.rows.map((values) => rowOf(values));
  };
}

/** The pool as Kysely sees it, with statements named by `nameFor`. */
export function withNamedStatements(pool: pg.Pool, nameFor: (text: string) => string | undefined = createStatementNamer()): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const rowsOf = createRowMaker();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let stale = false;
    const onError = (error: unknown) => {
      if ((error as { code?: unknown }).code === STALE_PREPARED_STATEMENT) stale = true;
      throw error;
    };
    return {
      query: ((query: unknown, parameters?: readonly unknown[]) => {
        const name = typeof query === 'string' ? nameFor(query) : undefined;
        if (name !== undefined && typeof query === 'string') {
          return client.query({ name, text: query, values: [...(parameters ?? [])], rowMode: 'array' }).then((result) => Object.assign(result, { rows: rowsOf(name, result) }), onError);
        }
        return (client.query as (q: unknown, p?: unknown) => unknown)(query, parameters === undefined ? undefined : [...parameters]);
      }) as PostgresPoolClient['query'],
      release: (destroy?: boolean) => {
        const discard = destroy === true || stale;
        if (discard) wrappers.delete(client);
        client.release(discard);
      },
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
