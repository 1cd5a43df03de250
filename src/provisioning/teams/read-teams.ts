import type { Db, DialectName } from '../../db/database.js';
import { teamFilterExpression, teamSortExpression } from '../../db/filter-to-sql.js';
import { listMembersOfTeams, type TeamMemberRow } from '../../db/repositories/memberships-repository.js';
import { countTeams, findTeam, listTeams } from '../../db/repositories/teams-repository.js';
import type { TeamRow } from '../../db/schema.js';
import type { JsonObject } from '../../scim/json.js';
import type { ListQuery } from '../../scim/list-query.js';
import { resolveListQuery } from '../../scim/resolve-list-query.js';
import { groupResourceType } from '../../scim/schemas/registry.js';
import type { ScimContext } from '../scim-context.js';
import { toScimGroup } from './team-mapping.js';

/**
 * One team as SCIM JSON. `withMembers` false never touches the membership table: Entra reads
 * teams with `excludedAttributes=members` (entra-onelogin-jumpcloud.md §3.9).
 */
export async function readTeam(db: Db, context: ScimContext, id: string, withMembers: boolean): Promise<{ group: JsonObject; version: number } | undefined> {
  const row = await findTeam(db, context.account.id, id);
  if (!row) return undefined;
  const members = withMembers ? await membersByTeam(db, context.account.id, [row]) : undefined;
  return { group: toScimGroup(row, members ? (members.get(row.id) ?? []) : undefined, context.baseUrl), version: row.version };
}

/** The members of a page of teams in one query (no N+1), grouped by team. */
async function membersByTeam(db: Db, accountId: string, rows: readonly TeamRow[]): Promise<Map<string, TeamMemberRow[]>> {
  const byTeam = new Map<string, TeamMemberRow[]>();
  for (const member of await listMembersOfTeams(db, accountId, rows.map((r) => r.id))) {
    const list = byTeam.get(member.team_id) ?? [];
    list.push(member);
    byTeam.set(member.team_id, list);
  }
  return byTeam;
}

/** GET /Groups: one page of the filtered teams, answered by SQL; members in one query per page. */
export async function listTeamPage(
  db: Db,
  dialect: DialectName,
  context: ScimContext,
  query: ListQuery,
  withMembers: boolean,
): Promise<{ groups: JsonObject[]; totalResults: number }> {
  const { filter, sortBy } = resolveListQuery(groupResourceType, query);
  const where = filter ? teamFilterExpression(filter, dialect) : undefined;
  const orderBy = sortBy ? teamSortExpression(sortBy, dialect) : undefined;
  const accountId = context.account.id;
  const totalResults = await countTeams(db, accountId, where);
  const rows =
    query.count === 0 || query.startIndex > totalResults
      ? []
      : await listTeams(db, accountId, { where, orderBy, descending: query.sortOrder === 'descending', offset: query.startIndex - 1, limit: query.count });
  const members = withMembers ? await membersByTeam(db, accountId, rows) : undefined;
  return { groups: rows.map((row) => toScimGroup(row, members ? (members.get(row.id) ?? []) : undefined, context.baseUrl)), totalResults };
}
