import type { Db, DialectName } from '../../db/database.js';
import { memberFilterExpression, memberLookupOf, memberSortExpression } from '../../db/filter-to-sql.js';
import { countMembers, findMemberListState, findScimMember, findScimMembersBy, listMembers, type MemberTeamRef, type ScimMemberRow, type ScimMemberWithTeams } from '../../db/repositories/member-reads-repository.js';
import { listTeamsOfMembers } from '../../db/repositories/memberships-repository.js';
import type { ResolvedFilter, ResolvedPath } from '../../scim/filter/index.js';
import type { JsonObject } from '../../scim/json.js';
import type { ListQuery } from '../../scim/list-query.js';
import { resolveListQuery } from '../../scim/resolve-list-query.js';
import { userResourceType } from '../../scim/schemas/registry.js';
import type { ScimContext } from '../scim-context.js';
import { toScimUser, type TeamRef } from '../user-mapping.js';

const teamRefs = (teams: readonly MemberTeamRef[] | undefined): TeamRef[] | undefined => teams?.map((team) => ({ id: team.team_id, displayName: team.display_name }));

/** One member as SCIM JSON, its teams read in the same statement; `withGroups` false reads no memberships. */
export async function readUser(db: Db, context: ScimContext, id: string, withGroups: boolean): Promise<{ user: JsonObject; version: number } | undefined> {
  const found = await findScimMember(db, context.account.id, id, withGroups);
  if (!found) return undefined;
  return { user: toScimUser(found.member, teamRefs(found.teams), context.baseUrl), version: found.member.version };
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
  const accountId = context.account.id;
  const page = filter ? await filteredPage(db, dialect, accountId, query, filter, sortBy, withGroups) : await unfilteredPage(db, dialect, accountId, query, sortBy);
  const members = withGroups && page.members.some((m) => m.teams === undefined) ? await withTeams(db, accountId, page.members) : page.members;
  return { users: members.map(({ member, teams }) => toScimUser(member, teamRefs(teams), context.baseUrl)), totalResults: page.totalResults };
}

interface Page {
  readonly members: readonly ScimMemberWithTeams[];
  readonly totalResults: number;
}

const withoutTeams = (rows: readonly ScimMemberRow[]): ScimMemberWithTeams[] => rows.map((member) => ({ member, teams: undefined }));

/** The teams of a page's members in one query (no N+1). */
async function withTeams(db: Db, accountId: string, members: readonly ScimMemberWithTeams[]): Promise<ScimMemberWithTeams[]> {
  const byMember = new Map<string, MemberTeamRef[]>();
  for (const team of await listTeamsOfMembers(db, accountId, members.map((m) => m.member.id))) {
    const list = byMember.get(team.member_id) ?? [];
    list.push(team);
    byMember.set(team.member_id, list);
  }
  return members.map(({ member }) => ({ member, teams: byMember.get(member.id) ?? [] }));
}

/** All members: `totalResults` is the trigger-kept count, read with the list version that lets the page start from a cached offset. */
async function unfilteredPage(db: Db, dialect: DialectName, accountId: string, query: ListQuery, sortBy: ResolvedPath | undefined): Promise<Page> {
  const state = await findMemberListState(db, accountId);
  const totalResults = state?.memberCount ?? 0;
  if (query.count === 0 || query.startIndex > totalResults) return { members: [], totalResults };
  const orderBy = sortBy ? memberSortExpression(sortBy, dialect) : undefined;
  const page = { where: undefined, orderBy, descending: query.sortOrder === 'descending', offset: query.startIndex - 1, limit: query.count, listVersion: state?.listVersion };
  return { members: withoutTeams(await listMembers(db, accountId, page)), totalResults };
}

/**
 * A filtered list. The IdPs' lookups run as prepared statements that also read the teams; any
 * other filter is translated first, so an unsupported one is a 400 before any query runs. A
 * first page that is not full is the whole result (the lookup `userName eq "…"`); only a result
 * of several pages is counted.
 */
async function filteredPage(db: Db, dialect: DialectName, accountId: string, query: ListQuery, filter: ResolvedFilter, sortBy: ResolvedPath | undefined, withGroups: boolean): Promise<Page> {
  const descending = query.sortOrder === 'descending';
  const lookup = !sortBy && !descending && query.startIndex === 1 ? memberLookupOf(filter) : undefined;
  const where = lookup ? undefined : memberFilterExpression(filter, dialect);
  let members: ScimMemberWithTeams[] = [];
  if (query.count > 0 && lookup) members = await findScimMembersBy(db, accountId, lookup, query.count, withGroups);
  else if (query.count > 0) {
    const orderBy = sortBy ? memberSortExpression(sortBy, dialect) : undefined;
    members = withoutTeams(await listMembers(db, accountId, { where, orderBy, descending, offset: query.startIndex - 1, limit: query.count }));
  }
  if (query.startIndex === 1 && query.count > 0 && members.length < query.count) return { members, totalResults: members.length };
  return { members, totalResults: await countMembers(db, accountId, where ?? memberFilterExpression(filter, dialect)) };
}
