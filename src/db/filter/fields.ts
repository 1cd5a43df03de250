import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectName } from '../database.js';
import { codePointOrder, containsText, escapeLike, startsWithText } from '../dialect.js';
import { badRequest } from '../../scim/errors.js';
import type { CompareOp } from '../../scim/filter/ast.js';
import type { ResolvedFilter, ResolvedPath } from '../../scim/filter/index.js';
import { anyOf, FALSE, predicate, TRUE, type Predicate } from './predicate.js';

/** A comparison operator other than `ne`, which the compiler turns into NOT eq. */
export type PositiveOp = Exclude<CompareOp, 'ne'>;

/** A single value of a resource (a column, a JSON value, a constant) that filters can test. */
export interface Field {
  readonly kind: 'field';
  /** RFC 7644 §3.4.2.2 comparison; the value is already type-checked by resolveFilter. */
  compare(op: PositiveOp, value: string | number | boolean): Predicate;
  /** `pr`: has a non-empty value. */
  present(): Predicate;
}

/** A multi-valued attribute: a filter matches when at least one element matches. */
export interface Collection {
  readonly kind: 'collection';
  /** Some element satisfies `filter`, whose paths are sub-attributes of this attribute. */
  some(filter: ResolvedFilter): Predicate;
}

export type Target = Field | Collection;

/** Maps resolved attribute paths to SQL for one table (or one element of a collection). */
export interface Scope {
  resolve(path: ResolvedPath): Target;
}

const ORDER_OPERATORS = { gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/** 400 invalidFilter with a sentence an IdP admin can act on. */
export const invalidFilter = (detail: string) => badRequest('invalidFilter', detail);

/** Comparison of a text expression with `value`, both already folded to the same case. */
function compareText(dialect: DialectName, text: Expression<unknown>, op: PositiveOp, value: string, caseExact: boolean): RawBuilder<SqlBool> {
  switch (op) {
    case 'eq':
      return sql`${text} = ${value}`;
    case 'sw':
      return startsWithText(dialect, text, value);
    case 'co':
      return caseExact ? containsText(dialect, text, value) : sql`${text} like ${`%${escapeLike(value)}%`} escape '\\'`;
    case 'ew':
      return caseExact ? endsWithExact(text, value) : sql`${text} like ${`%${escapeLike(value)}`} escape '\\'`;
    default:
      return sql`${codePointOrder(dialect, text)} ${sql.raw(ORDER_OPERATORS[op])} ${value}`;
  }
}

/** Case-sensitive suffix test (SQLite's LIKE ignores ASCII case); lengths count code points in both databases. */
function endsWithExact(text: Expression<unknown>, suffix: string): RawBuilder<SqlBool> {
  const length = [...suffix].length;
  return sql`(length(${text}) >= ${length} and substr(${text}, length(${text}) - ${length} + 1) = ${suffix})`;
}

export interface TextOptions {
  readonly caseExact: boolean;
  /** The column holds the value lower-cased at write time (JavaScript toLowerCase), e.g. user_name_lower. */
  readonly lowered?: boolean;
  readonly nullable: boolean;
}

/** A string (or reference, or binary) value; case-insensitive unless `caseExact` (RFC 7643 §2.3.1). */
export function textField(dialect: DialectName, column: Expression<unknown>, options: TextOptions): Field {
  const folded = options.caseExact || options.lowered ? column : sql`lower(${column})`;
  return {
    kind: 'field',
    compare(op, value) {
      if (typeof value !== 'string') throw invalidFilter(`Invalid filter: compare this attribute with a quoted string, not ${String(value)}.`);
      const expected = options.caseExact ? value : value.toLowerCase();
      return predicate(compareText(dialect, folded, op, expected, options.caseExact), options.nullable);
    },
    present: () => predicate(sql`${column} <> ''`, options.nullable),
  };
}

/**
 * A dateTime stored as ISO 8601 UTC text with milliseconds (created_at, updated_at): the
 * filter value in the same form compares as text in both databases.
 */
export function dateTimeField(dialect: DialectName, column: Expression<unknown>, nullable: boolean): Field {
  return {
    kind: 'field',
    compare(op, value) {
      const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(time) || op === 'co' || op === 'sw' || op === 'ew') throw invalidFilter('Invalid filter: compare a date-time with eq, ne, gt, ge, lt or le and a quoted ISO 8601 value.');
      const iso = new Date(time).toISOString();
      if (op === 'eq') return predicate(sql`${column} = ${iso}`, nullable);
      return predicate(sql`${codePointOrder(dialect, column)} ${sql.raw(ORDER_OPERATORS[op])} ${iso}`, nullable);
    },
    present: () => predicate(sql`${column} is not null`, false),
  };
}

/** A boolean given by two conditions (e.g. `active` from the member's status). */
export function booleanField(whenTrue: RawBuilder<SqlBool>, whenFalse: RawBuilder<SqlBool>, present: Predicate, nullable: boolean): Field {
  return {
    kind: 'field',
    compare(op, value) {
      // RFC 7644 §3.4.2.2: only eq and ne apply to booleans (resolveFilter rejects the rest).
      if (op !== 'eq' || typeof value !== 'boolean') throw invalidFilter('Invalid filter: compare a boolean attribute with eq or ne and true or false.');
      return predicate(value ? whenTrue : whenFalse, nullable);
    },
    present: () => present,
  };
}

/** A value every resource has the same way, e.g. `meta.resourceType`; `undefined` for never present. */
export function constantField(dialect: DialectName, value: string | undefined, caseExact: boolean): Field {
  if (value === undefined) return { kind: 'field', compare: () => FALSE, present: () => FALSE };
  return textField(dialect, sql`cast(${value} as text)`, { caseExact, nullable: false });
}

/** An attribute that is always returned but cannot be compared in SQL (e.g. `meta.location`). */
export function unsupportedField(detail: string): Field {
  return {
    kind: 'field',
    compare: () => {
      throw invalidFilter(detail);
    },
    present: () => TRUE,
  };
}

/** A complex value (e.g. `name`): present when any of its sub-attributes is (RFC 7644 §3.4.2.2 `pr`). */
export function complexField(name: string, subFields: readonly Field[]): Field {
  return {
    kind: 'field',
    compare: () => {
      throw invalidFilter(`Invalid filter: "${name}" is a complex attribute; compare one of its sub-attributes.`);
    },
    present: () => anyOf(subFields.map((field) => field.present())),
  };
}
