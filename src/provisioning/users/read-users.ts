import type { Db, DialectName } from '../../db/database.js';
import { memberFilterExpression, memberLookupOf, memberSortExpression } from '../../db/filter-to-sql.js';
import { countMembers, findMemberForWrite, findMemberListState, findScimMember, findScimMembersBy, listMembers, withTeamsRead, type MemberTeamRef, type ScimMemberRow, type ScimMemberWithTeams } from '../../db/repositories/member-reads-repository.js';
import { listTeamsOfMembers } from '../../db/repositories/memberships-repository.js';
import type { MemberRow } from '../../db/schema.js';
import type { ResolvedFilter, ResolvedPath } from '../../scim/filter/index.js';
import type { ListQuery } from '../../scim/list-query.js';
import { resolveListQuery } from '../../scim/resolve-list-query.js';
import { userResourceType } from '../../scim/schemas/registry.js';
import type { ScimContext } from '../scim-context.js';
import { scimUserView, type ScimUserView, type TeamRef } from '../user-mapping.js';

const teamRefs = (teams: readonly MemberTeamRef[] | undefined): TeamRef[] | undefined => teams?.map((team) => ({ id: team.team_id, displayName: team.display_name }));

/** One member as a SCIM User, its teams read in the same statement; `withGroups` false reads no memberships. */
export async function readUser(db: Db, context: ScimContext, id: string, withGroups: boolean): Promise<ScimUserView | undefined> {
  const found = await findScimMember(db, context.account.id, id, withGroups);
  return found && scimUserView(found.member, teamRefs(found.teams), context.baseUrl);
}

/** The whole member and, when its answer lists them, its teams, read in one statement (users-service.ts writeUserAtOnce). */
export async function readMemberForWrite(db: Db, accountId: string, id: string, withGroups: boolean): Promise<{ member: MemberRow; teams: TeamRef[] | undefined } | undefined> {
  const found = await findMemberForWrite(db, accountId, id, withGroups);
  return found && { member: found.member, teams: teamRefs(found.teams) };
}

/** The teams of one member, for its `groups` attribute. */
export async function listTeamRefsOfMember(db: Db, accountId: string, memberId: string): Promise<TeamRef[]> {
  return teamRefs(await listTeamsOfMembers(db, accountId, [memberId])) ?? [];
}

/** GET /Users: one page of the filtered members, all of it answered by SQL. */
export async function listUsers(
  db: Db,
  dialect: DialectName,
  context: ScimContext,
  query: ListQuery,
  withGroups: boolean,
): Promise<{ users: ScimUserView[]; totalResults: number }> {
  const { filter, sortBy } = resolveListQuery(userResourceType, query);
  const accountId = context.account.id;
  const page = filter ? await filteredPage(db, dialect, accountId, query, filter, sortBy, withGroups) : await unfilteredPage(db, dialect, accountId, query, sortBy, withGroups);
  return { users: page.members.map(({ member, teams }) => scimUserView(member, teamRefs(teams), context.baseUrl)), totalResults: page.totalResults };
}

interface Page {
  readonly members: readonly ScimMemberWithTeams[];
  readonly totalResults: number;
}

/** A page's members, with their teams read in one query when the response shows them. */
async function withTeamsIf(withGroups: boolean, db: Db, accountId: string, rows: readonly ScimMemberRow[]): Promise<ScimMemberWithTeams[]> {
  return withGroups ? withTeamsRead(db, accountId, rows) : rows.map((member) => ({ member, teams: undefined }));
}

/** All members: `totalResults` is the trigger-kept count, read with the list version that lets the page start from a cached offset. */
async function unfilteredPage(db: Db, dialect: DialectName, accountId: string, query: ListQuery, sortBy: ResolvedPath | undefined, withGroups: boolean): Promise<Page> {
  const state = await findMemberListState(db, accountId);
  const totalResults = state?.memberCount ?? 0;
  if (query.count === 0 || query.startIndex > totalResults) return { members: [], totalResults };
  const orderBy = sortBy ? memberSortExpression(sortBy, dialect) : undefined;
  const page = { where: undefined, orderBy, descending: query.sortOrder === 'descending', offset: query.startIndex - 1, limit: query.count, listVersion: state?.listVersion };
  return { members: await withTeamsIf(withGroups, db, accountId, await listMembers(db, accountId, page)), totalResults };
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
    members = await withTeamsIf(withGroups, db, accountId, await listMembers(db, accountId, { where, orderBy, descending, offset: query.startIndex - 1, limit: query.count }));
  }
  if (query.startIndex === 1 && query.count > 0 && members.length < query.count) return { members, totalResults: members.length };
  return { members, totalResults: await countMembers(db, accountId, where ?? memberFilterExpression(filter, dialect)) };
}
