import type { Db, DialectName } from '../../db/database.js';
import { memberFilterExpression, memberSortExpression } from '../../db/filter-to-sql.js';
import { countAllMembers, countMembers, findMember, listMembers, type MemberCondition } from '../../db/repositories/members-repository.js';
import { listTeamsOfMembers } from '../../db/repositories/memberships-repository.js';
import type { MemberRow } from '../../db/schema.js';
import type { JsonObject } from '../../scim/json.js';
import type { ListQuery } from '../../scim/list-query.js';
import { resolveListQuery } from '../../scim/resolve-list-query.js';
import { userResourceType } from '../../scim/schemas/registry.js';
import type { ScimContext } from '../scim-context.js';
import { toScimUser, type TeamRef } from '../user-mapping.js';

/** One member as SCIM JSON; `withGroups` false skips the membership query. */
export async function readUser(db: Db, context: ScimContext, id: string, withGroups: boolean): Promise<{ user: JsonObject; version: number } | undefined> {
  const row = await findMember(db, context.account.id, id);
  if (!row) return undefined;
  const teams = withGroups ? await teamsByMember(db, context.account.id, [row]) : undefined;
  return { user: toScimUser(row, teams?.get(row.id) ?? [], context.baseUrl), version: row.version };
}

async function teamsByMember(db: Db, accountId: string, rows: readonly MemberRow[]): Promise<Map<string, TeamRef[]>> {
  const byMember = new Map<string, TeamRef[]>();
  for (const team of await listTeamsOfMembers(db, accountId, rows.map((r) => r.id))) {
    const list = byMember.get(team.member_id) ?? [];
    list.push({ id: team.team_id, displayName: team.display_name });
    byMember.set(team.member_id, list);
  }
  return byMember;
}

/** The teams of one member, for its `groups` attribute. */
export async function listTeamRefsOfMember(db: Db, accountId: string, memberId: string): Promise<TeamRef[]> {
  return (await listTeamsOfMembers(db, accountId, [memberId])).map((team) => ({ id: team.team_id, displayName: team.display_name }));
}

/**
 * `totalResults` with as little counting as possible: a first page that is not full is the
 * whole result (the IdP lookup `userName eq "…"`), an unfiltered list has the account's
 * trigger-kept member count, and only a filtered multi-page result is counted.
 */
async function totalOf(db: Db, accountId: string, where: MemberCondition | undefined, query: ListQuery, found: number): Promise<number> {
  if (query.startIndex === 1 && query.count > 0 && found < query.count) return found;
  if (!where) return countAllMembers(db, accountId);
  return countMembers(db, accountId, where);
}

/** GET /Users: one page of the filtered members, all of it answered by SQL. */
export async function listUsers(
  db: Db,
  dialect: DialectName,
  context: ScimContext,
  query: ListQuery,
  withGroups: boolean,
): Promise<{ users: JsonObject[]; totalResults: number }> {
  const { filter, sortBy } = resolveListQuery(userResourceType, query);
  const where = filter ? memberFilterExpression(filter, dialect) : undefined;
  const orderBy = sortBy ? memberSortExpression(sortBy, dialect) : undefined;
  const accountId = context.account.id;
  const page = { where, orderBy, descending: query.sortOrder === 'descending', offset: query.startIndex - 1, limit: query.count };
  const rows = query.count === 0 ? [] : await listMembers(db, accountId, page);
  const totalResults = await totalOf(db, accountId, where, query, rows.length);
  const teams = withGroups ? await teamsByMember(db, accountId, rows) : undefined;
  return { users: rows.map((row) => toScimUser(row, teams ? (teams.get(row.id) ?? []) : undefined, context.baseUrl)), totalResults };
}
