import { sql, type ColumnDefinitionBuilder, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, DialectName } from './database.js';
import { isBusy } from './sqlite-driver.js';

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

/** True when `error` is a foreign-key violation in either driver (PostgreSQL 23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * True when PostgreSQL's commit refused a seat taken past the account's limit: the members
 * counters' trigger raises `check_violation` on the constraint name `roster_seat_limit`
 * (migration 0005). SQLite never raises it: its services check the limit exactly before writing.
 */
export function isSeatLimitViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23514' && constraint === 'roster_seat_limit';
}

/** True when PostgreSQL aborted a transaction that is safe to retry as a whole. */
export function isRetryableConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  // 40001 serialization_failure, 40P01 deadlock_detected.
  return code === '40001' || code === '40P01';
}

/**
 * True when SQLite's write lock stayed with another process (a worker, the CLI) for as long as
 * the driver waits for it (sqlite-driver.ts): retrying at once would only wait as long again.
 */
export function isLockWaitExhausted(error: unknown): boolean {
  return isBusy(error);
}

/**
 * The longest text, in UTF-8 bytes, that an indexed column accepts. A PostgreSQL B-tree entry
 * is at most ~2,700 bytes (the account id shares it), and 1,024 characters of a non-Latin
 * script are up to 4,096 bytes; SQLite has no such limit, but both dialects refuse alike.
 */
export const MAX_INDEXED_TEXT_BYTES = 2000;

/** True when `text`, as stored (lower-cased for case-insensitive indexes), fits an index entry. */
export function fitsIndex(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') <= MAX_INDEXED_TEXT_BYTES && Buffer.byteLength(text.toLowerCase(), 'utf8') <= MAX_INDEXED_TEXT_BYTES;
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

// ---- SCIM filters and sorting (src/db/filter-to-sql.ts) --------------------------------------
// JSON documents are the `members.resource` TEXT column (or one element of an array in it).
// Key paths come from the schema registry's canonical names, never from the client, and are
// still passed as bound parameters (a JSON path string in SQLite, a text[] in PostgreSQL).

/** The SQLite JSON path of `keys`, each key quoted so URNs with dots and colons stay one key. */
function sqliteJsonPath(keys: readonly string[]): string {
  for (const key of keys) if (/["\\]/.test(key)) throw new Error(`JSON key ${JSON.stringify(key)} cannot be quoted in a path`);
  return `$${keys.map((key) => `."${key}"`).join('')}`;
}

/** The text of the JSON value at `keys` in `document`; NULL when absent or JSON null. */
export function jsonText(dialect: DialectName, document: Expression<unknown>, keys: readonly string[]): RawBuilder<string | null> {
  if (dialect === 'postgres') return sql`((${document})::jsonb #>> ${keys}::text[])`;
  return sql`json_extract(${document}, ${sqliteJsonPath(keys)})`;
}

/** The JSON value at `keys` is the boolean `value` (SQLite's json_extract would blur true with 1). */
export function jsonBooleanIs(dialect: DialectName, document: Expression<unknown>, keys: readonly string[], value: boolean): RawBuilder<SqlBool> {
  if (dialect === 'postgres') return sql`((${document})::jsonb #> ${keys}::text[]) = ${String(value)}::jsonb`;
  return sql`json_type(${document}, ${sqliteJsonPath(keys)}) = ${String(value)}`;
}

/** The JSON value at `keys` is a boolean (true or false, not null). */
export function jsonIsBoolean(dialect: DialectName, document: Expression<unknown>, keys: readonly string[]): RawBuilder<SqlBool> {
  if (dialect === 'postgres') return sql`jsonb_typeof((${document})::jsonb #> ${keys}::text[]) = 'boolean'`;
  return sql`json_type(${document}, ${sqliteJsonPath(keys)}) in ('true', 'false')`;
}

/** A table of the elements of the JSON array at `keys`, usable after `from`, with a JSON `element` column. */
export interface JsonElements {
  /** `… as <alias>`: no rows when the value is absent or not an array. */
  readonly source: RawBuilder<unknown>;
  /** One element, as a JSON document for jsonText and friends. */
  readonly element: RawBuilder<unknown>;
  /** The element is a JSON object (multi-valued complex attributes are arrays of objects). */
  readonly isObject: RawBuilder<SqlBool>;
  /** The element's position in the array, for "the first value". */
  readonly position: RawBuilder<number>;
}

/** The elements of the JSON array at `keys` in `document`, as table `alias`. */
export function jsonElements(dialect: DialectName, document: Expression<unknown>, keys: readonly string[], alias: string): JsonElements {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  if (dialect === 'postgres') {
    const array = sql`((${document})::jsonb #> ${keys}::text[])`;
    // jsonb_array_elements fails on a non-array; a malformed row must not fail the whole list.
    const safe = sql`case when jsonb_typeof(${array}) = 'array' then ${array} else '[]'::jsonb end`;
    return {
      source: sql`jsonb_array_elements(${safe}) with ordinality as ${sql.id(alias)}(value, position)`,
      element: sql`${ref('value')}`,
      isObject: sql`jsonb_typeof(${ref('value')}) = 'object'`,
      position: sql`${ref('position')}`,
    };
  }
  return {
    source: sql`json_each(${document}, ${sqliteJsonPath(keys)}) as ${sql.id(alias)}`,
    element: sql`${ref('value')}`,
    isObject: sql`${ref('type')} = 'object'`,
    position: sql`${ref('key')}`,
  };
}

/** Case-sensitive "contains" (SQLite's LIKE ignores ASCII case, so it cannot serve caseExact attributes). */
export function containsText(dialect: DialectName, haystack: Expression<unknown>, needle: string): RawBuilder<SqlBool> {
  return dialect === 'postgres' ? sql`strpos(${haystack}, ${needle}) > 0` : sql`instr(${haystack}, ${needle}) > 0`;
}

/**
 * Text in code point order, as SQLite's BINARY collation compares it: PostgreSQL would use the
 * database's (possibly linguistic) collation for `<` and ORDER BY.
 */
export function codePointOrder(dialect: DialectName, text: Expression<unknown>): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`(${text} collate "C")` : sql`${text}`;
}

/**
 * `text` starts with `prefix`, as an index-backed range. In SQLite (code point order) the
 * range is exact; PostgreSQL's collation may be linguistic, so the range only narrows the
 * index scan and `starts_with` decides.
 */
export function startsWithText(dialect: DialectName, text: Expression<unknown>, prefix: string): RawBuilder<SqlBool> {
  const range = sql`${text} >= ${prefix} and ${text} < ${prefix + PREFIX_RANGE_END}`;
  return dialect === 'postgres' ? sql`(${range} and starts_with(${text}, ${prefix}))` : sql`(${range})`;
}

/**
 * True when the correlated subquery `select innerKey from <from> where <where>` yields the
 * outer row's `outerKey`. PostgreSQL pulls EXISTS up into a semi-join but runs a correlated
 * IN once per row; SQLite drives a `selective` IN list (an indexed equality inside) through
 * the outer table's index, and probes EXISTS per row otherwise.
 */
export function correlatedMatch(
  dialect: DialectName,
  match: { outerKey: Expression<unknown>; innerKey: Expression<unknown>; from: Expression<unknown>; where: Expression<SqlBool>; selective: boolean },
): RawBuilder<SqlBool> {
  if (dialect === 'sqlite' && match.selective) return sql`${match.outerKey} in (select ${match.innerKey} from ${match.from} where ${match.where})`;
  return sql`exists (select 1 from ${match.from} where ${match.where} and ${match.innerKey} = ${match.outerKey})`;
}

/**
 * A text sort key that puts missing values last when ascending and first when descending
 * (RFC 7644 §3.4.2.3), in code point order. PostgreSQL already sorts NULL as the largest
 * value; SQLite sorts it as the smallest, so it gets the largest code point instead.
 */
export function textSortKey(dialect: DialectName, text: Expression<unknown>): RawBuilder<unknown> {
  return dialect === 'postgres' ? codePointOrder(dialect, text) : sql`coalesce(${text}, ${PREFIX_RANGE_END})`;
}

/**
 * A LIMIT or OFFSET value, written `cast(? as bigint)` rather than a bare `?`. Measured on SQLite 3.53
 * (better-sqlite3 12, built with STAT4): a bare LIMIT parameter made a lookup by userName cost
 * 16 µs instead of 9, and a lookup joined to the member's teams 37 µs instead of 14, as if the
 * statement were planned again on every run; as an expression it costs what a literal does
 * (bench/README.md, finding 14). The cast keeps PostgreSQL from typing the parameter as a 4-byte
 * integer, which a startIndex past 2^31 would overflow.
 */
export function rowCount(value: number): RawBuilder<number> {
  return sql<number>`cast(${value} as bigint)`;
}
