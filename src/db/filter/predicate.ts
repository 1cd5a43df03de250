import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * A compiled filter condition. `nullable` marks conditions that can be SQL NULL (a comparison
 * with a missing value): WHERE treats NULL like false, and so do AND and OR, but NOT NULL is
 * still NULL, so `not` must turn NULL into false first (a member without a title matches
 * `not (title eq "x")`, RFC 7644 §3.4.2.2).
 */
export interface Predicate {
  readonly sql: RawBuilder<SqlBool>;
  readonly nullable: boolean;
}

/** Wraps SQL as a predicate. */
export function predicate(condition: RawBuilder<SqlBool>, nullable: boolean): Predicate {
  return { sql: condition, nullable };
}

export const TRUE: Predicate = predicate(sql<SqlBool>`true`, false);
export const FALSE: Predicate = predicate(sql<SqlBool>`false`, false);

/** SQL AND. */
export function and(left: Predicate, right: Predicate): Predicate {
  return predicate(sql<SqlBool>`(${left.sql} and ${right.sql})`, left.nullable || right.nullable);
}

/** SQL OR. */
export function or(left: Predicate, right: Predicate): Predicate {
  return predicate(sql<SqlBool>`(${left.sql} or ${right.sql})`, left.nullable || right.nullable);
}

/** Two-valued NOT: unknown (a missing value) counts as "does not match" before negation. */
export function not(inner: Predicate): Predicate {
  return predicate(inner.nullable ? sql<SqlBool>`not coalesce(${inner.sql}, false)` : sql<SqlBool>`not (${inner.sql})`, false);
}

/** OR over any number of predicates; false for none. */
export function anyOf(predicates: readonly Predicate[]): Predicate {
  const [first, ...rest] = predicates;
  return first === undefined ? FALSE : rest.reduce(or, first);
}
