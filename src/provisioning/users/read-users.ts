import type { Db, DialectName } from '../../db/database.js';
import { memberFilterExpression, memberLookupOf, memberSortExpression } from '../../db/filter-to-sql.js';
import { countMembers, findMemberListState, findScimMember, findScimMembersBy, listMembers, type ScimMemberRow } from '../../db/repositories/members-repository.js';
import { listTeamsOfMembers } from '../../db/repositories/memberships-repository.js';
import type { ResolvedFilter, ResolvedPath } from '../../scim/filter/index.js';
import type { JsonObject } from '../../scim/json.js';
import type { ListQuery } from '../../scim/list-query.js';
import { resolveListQuery } from '../../scim/resolve-list-query.js';
import { userResourceType } from '../../scim/schemas/registry.js';
import type { ScimContext } from '../scim-context.js';
import { toScimUser, type TeamRef } from '../user-mapping.js';

/** One member as SCIM JSON; `withGroups` false reads no memberships. */
export async function readUser(db: Db, context: ScimContext, id: string, withGroups: boolean): Promise<{ user: JsonObject; version: number } | undefined> {
  const found = await findScimMember(db, context.account.id, id, withGroups);
  if (!found) return undefined;
  const teams = found.teams?.map((team) => ({ id: team.team_id, displayName: team.display_name }));
  return { user: toScimUser(found.member, teams, context.baseUrl), version: found.member.version };
}

async function teamsByMember(db: Db, accountId: string, rows: readonly ScimMemberRow[]): Promise<Map<string, TeamRef[]>> {
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

/** GET /Users: one page of the filtered members, all of it answered by SQL. */
export async function listUsers(
  db: Db,
  dialect: DialectName,
  context: ScimContext,
  query: ListQuery,
  withGroups: boolean,
): Promise<{ users: JsonObject[]; totalResults: number }> {
  const { filter, sortBy } = resolveListQuery(userResourceType, query);
  const page = filter ? await filteredPage(db, dialect, context.account.id, query, filter, sortBy) : await unfilteredPage(db, dialect, context.account.id, query, sortBy);
  const teams = withGroups ? await teamsByMember(db, context.account.id, page.rows) : undefined;
  return { users: page.rows.map((row) => toScimUser(row, teams ? (teams.get(row.id) ?? []) : undefined, context.baseUrl)), totalResults: page.totalResults };
}

interface Page {
  readonly rows: ScimMemberRow[];
  readonly totalResults: number;
}

/** All members: `totalResults` is the trigger-kept count, read with the list version that lets the page start from a cached offset. */
async function unfilteredPage(db: Db, dialect: DialectName, accountId: string, query: ListQuery, sortBy: ResolvedPath | undefined): Promise<Page> {
  const state = await findMemberListState(db, accountId);
  if (query.count === 0) return { rows: [], totalResults: state?.memberCount ?? 0 };
  const orderBy = sortBy ? memberSortExpression(sortBy, dialect) : undefined;
  const page = { where: undefined, orderBy, descending: query.sortOrder === 'descending', offset: query.startIndex - 1, limit: query.count, listVersion: state?.listVersion };
  return { rows: await listMembers(db, accountId, page), totalResults: state?.memberCount ?? 0 };
}

/**
 * A filtered list. The IdPs' lookups run as prepared statements; any other filter is translated
 * first, so an unsupported one is a 400 before any query runs. A first page that is not full is
 * the whole result (the lookup `userName eq "…"`); only a result of several pages is counted.
 */
async function filteredPage(db: Db, dialect: DialectName, accountId: string, query: ListQuery, filter: ResolvedFilter, sortBy: ResolvedPath | undefined): Promise<Page> {
  const descending = query.sortOrder === 'descending';
  const lookup = !sortBy && !descending && query.startIndex === 1 ? memberLookupOf(filter) : undefined;
  const where = lookup ? undefined : memberFilterExpression(filter, dialect);
  let rows: ScimMemberRow[] = [];
  if (query.count > 0 && lookup) rows = await findScimMembersBy(db, accountId, lookup, query.count);
  else if (query.count > 0) {
    const orderBy = sortBy ? memberSortExpression(sortBy, dialect) : undefined;
    rows = await listMembers(db, accountId, { where, orderBy, descending, offset: query.startIndex - 1, limit: query.count });
  }
  if (query.startIndex === 1 && query.count > 0 && rows.length < query.count) return { rows, totalResults: rows.length };
  return { rows, totalResults: await countMembers(db, accountId, where ?? memberFilterExpression(filter, dialect)) };
}
