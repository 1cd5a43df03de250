import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../database.js';
import { rowCount } from '../dialect.js';
import { preparedQuery } from '../prepared-query.js';
import type { Database, MemberRow } from '../schema.js';
import { CHECKPOINT_SPACING, nearestCheckpoint, rememberCheckpoint } from './member-offset-cache.js';
import { findMember } from './members-repository.js';
import { listTeamsOfMembers } from './memberships-repository.js';
import { sortByTeamName } from './team-name-order.js';

/**
 * Members as SCIM reads them: GET /Users/{id}, the IdPs' lookups and pages of /Users. The
 * fixed-shape statements are prepared (prepared-query.ts); filtered and sorted pages are built
 * per request from filter-to-sql's expressions.
 */

/**
 * The columns a SCIM User is made of (provisioning/user-mapping.ts). Reading only these took a
 * page of 100 from 1.0 to 0.2 ms of SQLite time at 100,000 members (bench/README.md, finding 12).
 */
const SCIM_MEMBER_COLUMNS = ['id', 'resource', 'status', 'version', 'created_at', 'updated_at'] as const;

/** The same columns of `members as m`, for the statements that join it. */
const SCIM_MEMBER_COLUMNS_OF_M = ['m.id', 'm.resource', 'm.status', 'm.version', 'm.created_at', 'm.updated_at'] as const;

/** A member as SCIM reads need it. */
export type ScimMemberRow = Pick<MemberRow, (typeof SCIM_MEMBER_COLUMNS)[number]>;

/** One of a member's teams, as its `groups` attribute lists them. */
export interface MemberTeamRef {
  readonly team_id: string;
  readonly display_name: string;
}

/** A member and, when asked for, its teams by name. */
export interface ScimMemberWithTeams {
  readonly member: ScimMemberRow;
  readonly teams: MemberTeamRef[] | undefined;
}

/**
 * The lookups identity providers send before every create and on every sync (`userName eq`,
 * `externalId eq`, `id eq`, `emails.value eq`), and GET /Users/{id}: one equality on an indexed
 * column. The value arrives as that column holds it (userName and emails lower-cased).
 */
export type MemberLookup = { readonly column: 'user_name_lower' | 'external_id' | 'id' | 'email'; readonly value: string };

/** Members a lookup matches, as `m`. */
function matching(db: Db, column: MemberLookup['column'], accountId: string, value: string) {
  const members = db.selectFrom('members as m').where('m.account_id', '=', accountId);
  if (column !== 'email') return members.where(`m.${column}`, '=', value);
  return members.where('m.id', 'in', db.selectFrom('member_emails').select('member_id').where('account_id', '=', accountId).where('value_lower', '=', value));
}

/**
 * Prepared statements of one lookup: the first members, or the members joined to their teams
 * (a row per team; one row with null team columns for a member in none). Members come in `seq`
 * order: the unique indexes of `id` and `userName`, and the `externalId` index, which ends in
 * the rowid, give that order for free. The `emails.value` list does not, and an ORDER BY made
 * SQLite build a temporary B-tree for every such lookup (bench/README.md, finding 34): its rows
 * carry `seq` instead and are sorted here (withTeamsOf).
 */
function lookupStatements(column: MemberLookup['column']) {
  return {
    members: preparedQuery((db, accountId: string, value: string, limit: number) =>
      matching(db, column, accountId, value).select(SCIM_MEMBER_COLUMNS_OF_M).orderBy('m.seq').limit(rowCount(limit)),
    ),
    withTeams: preparedQuery((db, accountId: string, value: string, rowLimit: number) =>
      matching(db, column, accountId, value)
        .leftJoin('team_memberships as tm', (join) => join.onRef('tm.account_id', '=', 'm.account_id').onRef('tm.member_id', '=', 'm.id'))
        .leftJoin('teams as t', (join) => join.onRef('t.account_id', '=', 'tm.account_id').onRef('t.id', '=', 'tm.team_id'))
        .select([...SCIM_MEMBER_COLUMNS_OF_M, 't.id as team_id', 't.display_name as team_display_name'])
        .$if(column === 'email', (query) => query.select('m.seq'))
        .$if(column !== 'email', (query) => query.orderBy('m.seq'))
        .limit(rowCount(rowLimit)),
    ),
  };
}

const LOOKUPS = {
  user_name_lower: lookupStatements('user_name_lower'),
  external_id: lookupStatements('external_id'),
  id: lookupStatements('id'),
  email: lookupStatements('email'),
};

/** Rows beyond the members asked for that one joined statement may read for their teams. */
const TEAM_ROWS_HEADROOM = 50;

type JoinedRow = ScimMemberRow & { readonly seq?: number; readonly team_id: string | null; readonly team_display_name: string | null };

/** Folds all the joined rows of a lookup into its members in insertion order, each with its teams in name order. */
function withTeamsOf(rows: JoinedRow[]): ScimMemberWithTeams[] {
  if (rows.length > 1 && rows[0]?.seq !== undefined) rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  const members: { member: ScimMemberRow; teams: MemberTeamRef[] }[] = [];
  for (const { seq: _seq, team_id: teamId, team_display_name: teamName, ...member } of rows) {
    let current = members[members.length - 1];
    if (current?.member.id !== member.id) {
      current = { member, teams: [] };
      members.push(current);
    }
    if (teamId !== null && teamName !== null) current.teams.push({ team_id: teamId, display_name: teamName });
  }
  for (const { teams } of members) sortByTeamName(teams);
  return members;
}

/**
 * The first `limit` members a lookup matches, in insertion order (as listMembers gives them).
 * With `withTeams`, one statement reads them with their teams when the rows fit under
 * limit + TEAM_ROWS_HEADROOM (fewer rows than that means none was cut off); a larger answer
 * reads the members, then their teams.
 */
export async function findScimMembersBy(db: Db, accountId: string, lookup: MemberLookup, limit: number, withTeams: boolean): Promise<ScimMemberWithTeams[]> {
  const statements = LOOKUPS[lookup.column];
  if (withTeams) {
    const rowLimit = limit + TEAM_ROWS_HEADROOM;
    const rows = await statements.withTeams(db, accountId, lookup.value, rowLimit);
    if (rows.length < rowLimit) return withTeamsOf(rows).slice(0, limit);
  }
  const members = await statements.members(db, accountId, lookup.value, limit);
  return withTeams ? withTeamsRead(db, accountId, members) : members.map((member) => ({ member, teams: undefined }));
}

/** Members with their teams, read in one query for all of them (a page of users, no N+1). */
export async function withTeamsRead(db: Db, accountId: string, members: readonly ScimMemberRow[]): Promise<ScimMemberWithTeams[]> {
  const teams = new Map<string, MemberTeamRef[]>(members.map((member) => [member.id, []]));
  for (const team of await listTeamsOfMembers(db, accountId, members.map((member) => member.id))) teams.get(team.member_id)?.push(team);
  return members.map((member) => ({ member, teams: teams.get(member.id) ?? [] }));
}

/** A member for GET /Users/{id}; with `withTeams`, its teams come in the same statement. */
export async function findScimMember(db: Db, accountId: string, memberId: string, withTeams: boolean): Promise<ScimMemberWithTeams | undefined> {
  return (await findScimMembersBy(db, accountId, { column: 'id', value: memberId }, 1, withTeams))[0];
}

/** A member with all its columns, and its teams when asked for. */
export interface MemberForWrite {
  readonly member: MemberRow;
  readonly teams: MemberTeamRef[] | undefined;
}

/**
 * What a PUT or PATCH outside a transaction reads first (users-service.ts writeUserAtOnce): the
 * whole member and, in the same statement, the teams its answer lists (a row per team; one row
 * with null team columns for a member in none).
 */
export async function findMemberForWrite(db: Db, accountId: string, memberId: string, withTeams: boolean): Promise<MemberForWrite | undefined> {
  if (!withTeams) {
    const member = await findMember(db, accountId, memberId);
    return member && { member, teams: undefined };
  }
  const rows = await memberWithTeamsQuery(db, accountId, memberId);
  const [first] = rows;
  if (!first) return undefined;
  const { team_id: _teamId, team_display_name: _teamName, ...member } = first;
  const teams = rows.flatMap((row) => (row.team_id !== null && row.team_display_name !== null ? [{ team_id: row.team_id, display_name: row.team_display_name }] : []));
  return { member, teams: sortByTeamName(teams) };
}

const memberWithTeamsQuery = preparedQuery((db, accountId: string, memberId: string) =>
  db
    .selectFrom('members as m')
    .leftJoin('team_memberships as tm', (join) => join.onRef('tm.account_id', '=', 'm.account_id').onRef('tm.member_id', '=', 'm.id'))
    .leftJoin('teams as t', (join) => join.onRef('t.account_id', '=', 'tm.account_id').onRef('t.id', '=', 'tm.team_id'))
    .selectAll('m')
    .select(['t.id as team_id', 't.display_name as team_display_name'])
    .where('m.account_id', '=', accountId)
    .where('m.id', '=', memberId),
);

/** The account's unfiltered member list: how many, and its version (migrations 0003, 0004). */
export interface MemberListState {
  readonly memberCount: number;
  readonly listVersion: number;
}

const memberListStateQuery = preparedQuery((db, accountId: string) => db.selectFrom('accounts').select(['member_count', 'member_list_version']).where('id', '=', accountId));

export async function findMemberListState(db: Db, accountId: string): Promise<MemberListState | undefined> {
  const row = (await memberListStateQuery(db, accountId))[0];
  return row && { memberCount: Number(row.member_count), listVersion: Number(row.member_list_version) };
}


/** A where-clause over `members` built by filter-to-sql. */
export type MemberCondition = (eb: ExpressionBuilder<Database, 'members'>) => Expression<SqlBool>;

export interface MemberPage {
  readonly where: MemberCondition | undefined;
  readonly orderBy: MemberOrder | undefined;
  readonly descending: boolean;
  readonly offset: number;
  readonly limit: number;
  /** The account's list version read for this request: an unfiltered page may then start from a cached offset. */
  readonly listVersion?: number | undefined;
}

/** An ORDER BY expression over `members` built by filter-to-sql. */
export type MemberOrder = (eb: ExpressionBuilder<Database, 'members'>) => Expression<unknown>;

/**
 * One page of an account's members, in a stable order (sort key, then insertion order). In
 * insertion order the offset is walked in the (account_id, seq) index alone and only the page's
 * rows are read: OFFSET over whole rows cost 27 ms at 99,900 of 100,000 (bench/README.md,
 * finding 6); the index walk costs about 1, and from a cached checkpoint almost nothing.
 */
export async function listMembers(db: Db, accountId: string, page: MemberPage): Promise<ScimMemberRow[]> {
  const direction = page.descending ? 'desc' : 'asc';
  if (!page.where && !page.orderBy && !page.descending && page.listVersion !== undefined && page.offset >= CHECKPOINT_SPACING) {
    return listMembersFromCheckpoint(db, accountId, page.listVersion, page.offset, page.limit);
  }
  let query = db.selectFrom('members').select(SCIM_MEMBER_COLUMNS).where('account_id', '=', accountId);
  if (page.where) query = query.where(page.where);
  if (page.orderBy) return query.orderBy(page.orderBy, direction).orderBy('seq', 'asc').offset(rowCount(page.offset)).limit(rowCount(page.limit)).execute();
  if (page.offset > 0) {
    let start = db.selectFrom('members').select('seq').where('account_id', '=', accountId);
    if (page.where) start = start.where(page.where);
    const first = start.orderBy('seq', direction).offset(rowCount(page.offset)).limit(rowCount(1));
    query = query.where('seq', page.descending ? '<=' : '>=', first);
  }
  return query.orderBy('seq', direction).limit(rowCount(page.limit)).execute();
}

const seqAtOffsetQuery = preparedQuery((db, accountId: string, fromSeq: number, offset: number) =>
  db.selectFrom('members').select('seq').where('account_id', '=', accountId).where('seq', '>=', fromSeq).orderBy('seq').offset(rowCount(offset)).limit(rowCount(1)),
);

const pageFromSeqQuery = preparedQuery((db, accountId: string, fromSeq: number, offset: number, limit: number) =>
  db
    .selectFrom('members')
    .select(SCIM_MEMBER_COLUMNS)
    .where('account_id', '=', accountId)
    .where('seq', '>=', (eb) => eb.selectFrom('members').select('seq').where('account_id', '=', accountId).where('seq', '>=', fromSeq).orderBy('seq').offset(rowCount(offset)).limit(rowCount(1)))
    .orderBy('seq')
    .limit(rowCount(limit)),
);

/** An unfiltered page in insertion order, walked from the nearest checkpoint (member-offset-cache.ts). */
async function listMembersFromCheckpoint(db: Db, accountId: string, listVersion: number, offset: number, limit: number): Promise<ScimMemberRow[]> {
  const k = Math.floor(offset / CHECKPOINT_SPACING);
  const [known, knownSeq] = nearestCheckpoint(db, accountId, listVersion, k);
  let fromSeq = knownSeq ?? 0;
  if (known < k) {
    const found = (await seqAtOffsetQuery(db, accountId, fromSeq, (k - known) * CHECKPOINT_SPACING))[0];
    if (!found) return [];
    // Kept only if no member was added or removed while it was walked: then the walk saw the
    // list of that version (each statement sees all commits before it, and the version moves
    // in the same transaction as the change).
    if ((await findMemberListState(db, accountId))?.listVersion === listVersion) rememberCheckpoint(db, accountId, listVersion, k, found.seq);
    fromSeq = found.seq;
  }
  return pageFromSeqQuery(db, accountId, fromSeq, offset - k * CHECKPOINT_SPACING, limit);
}

export async function countMembers(db: Db, accountId: string, where: MemberCondition | undefined): Promise<number> {
  let query = db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId);
  if (where) query = query.where(where);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
