/**
 * SCIM filters (RFC 7644 §3.4.2.2) and sortBy (§3.4.2.3) as SQL, one Kysely code path for
 * SQLite and PostgreSQL: every filter runs in the database, and a filter SQL cannot answer
 * exactly is a 400 invalidFilter, never an in-memory pass or an unfiltered list.
 *
 * @example
 * const filter = resolveFilter(userResourceType, parseFilter('userName eq "Jane@Example.com"'));
 * db.selectFrom('members').selectAll().where('account_id', '=', accountId).where(memberFilterExpression(filter, dialect));
 * // … where account_id = ? and members.user_name_lower = ?   ['…', 'jane@example.com']
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { ResolvedFilter, ResolvedPath } from '../scim/filter/index.js';
import type { DialectName } from './database.js';
import { compileFilter } from './filter/compile.js';
import { memberScope } from './filter/member-scope.js';
import { memberSortKey, teamSortKey } from './filter/sort.js';
import { teamScope } from './filter/team-scope.js';
import type { MemberLookup } from './repositories/member-reads-repository.js';
import type { Database } from './schema.js';

/** A where-clause over one table; the caller still scopes it by `account_id`. */
export type FilterExpression<TB extends keyof Database> = (eb: ExpressionBuilder<Database, TB>) => Expression<SqlBool>;

/** An ORDER BY expression over one table; the caller adds `seq` as the tie-breaker for a stable order. */
export type SortExpression<TB extends keyof Database> = (eb: ExpressionBuilder<Database, TB>) => Expression<unknown>;

/**
 * A resolved Users filter as a where-clause over `members`. Compiles eagerly, so an
 * unsupported filter throws ScimError(400, 'invalidFilter') here, before any query runs.
 */
export function memberFilterExpression(filter: ResolvedFilter, dialect: DialectName): FilterExpression<'members'> {
  const condition = compileFilter(filter, memberScope(dialect));
  return () => condition.sql;
}

/** A resolved Groups filter as a where-clause over `teams`; throws like memberFilterExpression. */
export function teamFilterExpression(filter: ResolvedFilter, dialect: DialectName): FilterExpression<'teams'> {
  const condition = compileFilter(filter, teamScope(dialect));
  return () => condition.sql;
}

/**
 * A Users sortBy as an ORDER BY key over `members`: missing values sort last when ascending,
 * multi-valued attributes by their primary (else first) value. Throws ScimError(400,
 * 'invalidValue') for attributes that cannot be sorted (complex, groups, password).
 */
export function memberSortExpression(path: ResolvedPath, dialect: DialectName): SortExpression<'members'> {
  const key = memberSortKey(dialect, path);
  return () => key;
}

/** A Groups sortBy as an ORDER BY key over `teams`; throws like memberSortExpression. */
export function teamSortExpression(path: ResolvedPath, dialect: DialectName): SortExpression<'teams'> {
  const key = teamSortKey(dialect, path);
  return () => key;
}

/**
 * The filter as one of the IdPs' indexed equality lookups (members-repository.ts
 * findScimMembersBy), which run as prepared statements; undefined for any other filter, which
 * memberFilterExpression answers. Both give the same members: the same columns, with userName
 * and emails compared case-insensitively and id and externalId exactly (RFC 7643 §3.1, §4.1.2).
 */
export function memberLookupOf(filter: ResolvedFilter): MemberLookup | undefined {
  const compare = filter.kind === 'valuePath' ? filter.filter : filter;
  if (compare.kind !== 'compare' || compare.op !== 'eq' || typeof compare.value !== 'string' || compare.path.extension !== undefined) return undefined;
  const { attribute, subAttribute } = compare.path;
  const value = compare.value;
  if (filter.kind === 'valuePath' || attribute.name === 'emails') {
    return attribute.name === 'emails' && subAttribute?.name === 'value' ? { column: 'email', value: value.toLowerCase() } : undefined;
  }
  if (subAttribute !== undefined) return undefined;
  if (attribute.name === 'userName') return { column: 'user_name_lower', value: value.toLowerCase() };
  if (attribute.name === 'externalId' && attribute.caseExact) return { column: 'external_id', value };
  if (attribute.name === 'id' && attribute.caseExact) return { column: 'id', value };
  return undefined;
}
