import { sql, type Compilable, type QueryCreator } from 'kysely';
import type { Db } from '../database.js';
import type { Database, MemberSource, NewProvisioningEventRow } from '../schema.js';
import { isForeignKeyViolation } from '../dialect.js';
import { directStatement, preparedQuery, type DirectWriter } from '../prepared-query.js';
import { EVENT_COLUMNS, eventValues, insertEventDirectly, insertEventFrom, INTEGER_EVENT_COLUMNS } from './provisioning-events-repository.js';
import { advanceTeamVersionDirectly } from './teams-repository.js';
import { sortByTeamName } from './team-name-order.js';

/**
 * Team membership is a relation, never a list rewritten whole: every change here costs one
 * statement per chunk of the ids it names, whatever the team's size (peers.md §1b-C).
 */

/** Ids per statement: 500 keeps every statement far below SQLite's and pg's parameter limits. */
export const MEMBERSHIP_CHUNK = 500;

function chunksOf<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += MEMBERSHIP_CHUNK) chunks.push(items.slice(i, i + MEMBERSHIP_CHUNK));
  return chunks;
}

export interface MemberTeamRow {
  readonly member_id: string;
  readonly team_id: string;
  readonly display_name: string;
}

/**
 * The teams of several members in one query (a page of users, no N+1), in team name order
 * (team-name-order.ts). The id list is padded with '' (no member's id) to one of a few lengths,
 * so that every page runs one of a few prepared statements instead of a statement built, and on
 * PostgreSQL planned, per page.
 */
export async function listTeamsOfMembers(db: Db, accountId: string, memberIds: readonly string[]): Promise<MemberTeamRow[]> {
  if (memberIds.length === 0) return [];
  const size = TEAMS_OF_MEMBERS_SIZES.find((n) => n >= memberIds.length);
  const statement = size === undefined ? undefined : teamsOfMembersStatements.get(size);
  const rows = size === undefined || !statement ? await teamsOfMembers(db, accountId).where('tm.member_id', 'in', memberIds).execute() : await statement(db, accountId, ...memberIds, ...Array<string>(size - memberIds.length).fill(''));
  return sortByTeamName(rows);
}

/** The id-list lengths of the prepared statements: a lookup's one member, and pages up to the maximum count. */
const TEAMS_OF_MEMBERS_SIZES = [1, 10, 100, 1000] as const;

function teamsOfMembers(db: Db, accountId: string) {
  return db
    .selectFrom('team_memberships as tm')
    .innerJoin('teams as t', (join) => join.onRef('t.account_id', '=', 'tm.account_id').onRef('t.id', '=', 'tm.team_id'))
    .select(['tm.member_id', 'tm.team_id', 't.display_name'])
    .where('tm.account_id', '=', accountId);
}

const teamsOfMembersStatements = new Map(
  TEAMS_OF_MEMBERS_SIZES.map((size) => [size, preparedQuery((db, accountId: string, ...memberIds: string[]) => teamsOfMembers(db, accountId).where('tm.member_id', 'in', memberIds), size + 1)]),
);

/** A member of a team as a Group's `members` shows it. */
export interface TeamMemberRow {
  readonly team_id: string;
  readonly member_id: string;
  readonly user_name: string;
  readonly display_name: string | null;
}

/** The members of several teams in one query (a page of groups, no N+1), in insertion order. */
export async function listMembersOfTeams(db: Db, accountId: string, teamIds: readonly string[]): Promise<TeamMemberRow[]> {
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('team_memberships as tm')
    .innerJoin('members as m', (join) => join.onRef('m.account_id', '=', 'tm.account_id').onRef('m.id', '=', 'tm.member_id'))
    .select(['tm.team_id', 'tm.member_id', 'm.user_name', 'm.display_name'])
    .where('tm.account_id', '=', accountId)
    .where('tm.team_id', 'in', teamIds)
    .orderBy('m.seq')
    .execute();
}

/** The ids of a team's members (for a full replacement of the list, which is O(n) by nature). */
export async function listMemberIdsOfTeam(db: Db, accountId: string, teamId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_memberships').select('member_id').where('account_id', '=', accountId).where('team_id', '=', teamId).execute();
  return rows.map((row) => row.member_id);
}

export async function countMembersOfTeam(db: Db, accountId: string, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('team_memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Which of `memberIds` are members of the account (any status): one query per chunk. */
export async function findMemberIdsInAccount(db: Db, accountId: string, memberIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunksOf(memberIds)) {
    const rows = chunk.length === 1 ? await memberIdInAccountQuery(db, accountId, chunk[0] as string) : await memberIdsInAccount(db, accountId, chunk).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

const memberIdsInAccount = (db: Db, accountId: string, ids: readonly string[]) => db.selectFrom('members').select('id').where('account_id', '=', accountId).where('id', 'in', ids);

// Okta and Entra push one member per PATCH (okta.md §7.3): the one-id form of each membership
// statement is compiled once (prepared-query.ts); longer lists are built per request.
const memberIdInAccountQuery = preparedQuery((db, accountId: string, id: string) => memberIdsInAccount(db, accountId, [id]));

/**
 * A member named in an insert, or the team, no longer exists: it was deleted after the caller checked it
 * (PostgreSQL 23503, SQLite FOREIGNKEY). The transaction is aborted; retrying it re-checks.
 */
export class MemberVanishedError extends Error {}

/**
 * Adds members to a team; ids already in it are skipped by the database (`on conflict do
 * nothing`), so a re-sent add is a no-op (entra-onelogin-jumpcloud.md §3.9, §7.2). Returns
 * the ids actually added. The ids must be members of the account (composite foreign key),
 * else MemberVanishedError.
 */
export async function insertMemberships(db: Db, accountId: string, teamId: string, memberIds: readonly string[], source: MemberSource, at: string): Promise<string[]> {
  const added: string[] = [];
  for (const chunk of chunksOf(memberIds)) {
    const insert = chunk.length === 1 ? insertMembershipQuery(db, accountId, teamId, chunk[0] as string, source, at) : insertMembershipsOf(db, accountId, teamId, chunk, source, at).execute();
    const rows = await insert.catch((error: unknown) => {
      throw isForeignKeyViolation(error) ? new MemberVanishedError('a member was deleted concurrently', { cause: error }) : error;
    });
    for (const row of rows) added.push(row.member_id);
  }
  return added;
}

function insertMembershipsOf(db: Db, accountId: string, teamId: string, memberIds: readonly string[], source: MemberSource, at: string) {
  return db
    .insertInto('team_memberships')
    .values(memberIds.map((memberId) => ({ account_id: accountId, team_id: teamId, member_id: memberId, source, added_at: at })))
    .onConflict((conflict) => conflict.columns(['account_id', 'team_id', 'member_id']).doNothing())
    .returning('member_id');
}

const insertMembershipQuery = preparedQuery((db, accountId: string, teamId: string, memberId: string, source: MemberSource, at: string) =>
  insertMembershipsOf(db, accountId, teamId, [memberId], source, at),
);

/** Removes the listed members from a team (others stay); returns the ids that were members. */
export async function deleteMemberships(db: Db, accountId: string, teamId: string, memberIds: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const chunk of chunksOf(memberIds)) {
    const rows = chunk.length === 1 ? await deleteMembershipQuery(db, accountId, teamId, chunk[0] as string) : await deleteMembershipsOf(db, accountId, teamId, chunk).execute();
    for (const row of rows) removed.push(row.member_id);
  }
  return removed;
}

function deleteMembershipsOf(db: Db, accountId: string, teamId: string, memberIds: readonly string[]) {
  return db.deleteFrom('team_memberships').where('account_id', '=', accountId).where('team_id', '=', teamId).where('member_id', 'in', memberIds).returning('member_id');
}

const deleteMembershipQuery = preparedQuery((db, accountId: string, teamId: string, memberId: string) => deleteMembershipsOf(db, accountId, teamId, [memberId]));

/**
 * What a one-member statement found: the team's new version when the membership changed; else
 * the team's version (a re-sent add or a remove of a non-member), or `undefined` for both when
 * there is no SCIM-managed team of that id (none, or one not yet linked by a SCIM write), and
 * nothing was written.
 */
export interface OneMemberOutcome {
  readonly version: number | undefined;
  readonly current: number | undefined;
}

/**
 * One member added to or removed from a team, its activity entry and the team's version, in one
 * statement (data-modifying CTEs: PostgreSQL only). Run outside a transaction it commits by
 * itself, so a PATCH that Okta or Entra sends for one member costs one round trip to write
 * instead of five (begin, the change, the entry, the version, commit): on PostgreSQL, Roster's
 * CPU time per write went mostly to round trips (bench/README.md, finding 32). The statement
 * also reads the team, so the PATCH needs no read before it (finding 48): it writes only to a
 * SCIM-managed team, and an entry whose target label is null gets the team's name. The entry
 * and the version change only if the membership did. The team's row is held from the version
 * update to the statement's commit. A member that is not the account's, or the team deleted
 * meanwhile, fails the foreign key: MemberVanishedError.
 */
export async function changeOneMembershipLogged(
  db: Db,
  change: 'add' | 'remove',
  accountId: string,
  teamId: string,
  memberId: string,
  at: string,
  event: NewProvisioningEventRow,
): Promise<OneMemberOutcome> {
  const statement = change === 'add' ? addOneLoggedQuery : removeOneLoggedQuery;
  const [row] = await statement(db, accountId, teamId, memberId, at, ...eventValues(event)).catch(vanishedOnForeignKey);
  return { version: row?.version ?? undefined, current: row?.current ?? undefined };
}

/**
 * changeOneMembershipLogged for a database with a direct writer (SQLite, prepared-query.ts): the
 * same writes as one synchronous transaction of prepared statements, which reads the team first
 * and writes only to a SCIM-managed one. Without Kysely's mutex and promise hops per statement,
 * and without a read of the member first (its foreign key refuses a member that is not the
 * account's: MemberVanishedError), the benchmark's parallel one-member PATCHes of one team
 * went from 1,780–2,815 to 2,306–3,751 a second, since the write lock, which the workers take in
 * turn, is held for less (bench/README.md, finding 49). Undefined when the writer could not run
 * it now: the caller writes through Kysely.
 */
export async function changeOneMembershipDirectly(db: Db, writer: DirectWriter, accountId: string, teamId: string, { kind, memberId, at, event }: OneMembershipWrite): Promise<OneMemberOutcome | undefined> {
  const written = await writer((run): OneMemberOutcome => {
    const [team] = scimTeamDirectly(db, run, accountId, teamId);
    if (!team) return { version: undefined, current: undefined };
    const changed = kind === 'add' ? addMembershipDirectly(db, run, accountId, teamId, memberId, at) : removeMembershipDirectly(db, run, accountId, teamId, memberId);
    if (changed.length === 0) return { version: undefined, current: team.version };
    insertEventDirectly(db, run, ...eventValues({ ...event, target_label: event.target_label ?? team.display_name }));
    const [advanced] = advanceTeamVersionDirectly(db, run, accountId, teamId, at);
    return { version: advanced?.version, current: team.version };
  }).catch(vanishedOnForeignKey);
  return written?.result;
}

/** One of the one-member changes that changeMembershipsLogged writes together. */
export interface OneMembershipWrite {
  readonly kind: 'add' | 'remove';
  readonly memberId: string;
  readonly at: string;
  readonly event: NewProvisioningEventRow;
}

/**
 * Several one-member changes of one team, each with its activity entry, and the team's version
 * advanced by one per change that changed something, in one statement (PostgreSQL; the lists go
 * as arrays, so the text is the same for any number and is prepared once: postgres-statements.ts).
 * As changeOneMembershipLogged: only for a SCIM-managed team, whose name labels the entries
 * without one. The members must be distinct: the adds and the removes run as two sets, not in
 * order. Returns the team's last new version (`undefined` when nothing changed), its version
 * before, and the members whose membership changed.
 */
export async function changeMembershipsLogged(db: Db, accountId: string, teamId: string, writes: readonly OneMembershipWrite[], at: string): Promise<OneMemberOutcome & { changed: ReadonlySet<string> }> {
  const column = (values: readonly unknown[], type: 'text' | 'integer') => sql`unnest(cast(${values} as ${sql.raw(type)}[]))`;
  const entries = EVENT_COLUMNS.map((name) => sql`${column(writes.map((write) => write.event[name] ?? null), INTEGER_EVENT_COLUMNS.has(name) ? 'integer' : 'text')} as ${sql.ref(name)}`);
  const eventColumns = sql.join(EVENT_COLUMNS.map((name) => sql.ref(name)));
  const labelledColumns = sql.join(EVENT_COLUMNS.map((name) => (name === 'target_label' ? sql`coalesce(target_label, ${TEAM_NAME})` : sql.ref(name))));
  const memberIds = writes.map((write) => write.memberId);
  const { rows } = await sql<{ version: number | null; current: number | null; changed: string[] }>`
    with team as (
      select version, display_name from teams where account_id = ${accountId} and id = ${teamId} and source = 'scim'
    ), input as (
      select ${column(writes.map((write) => write.kind), 'text')} as kind, ${column(memberIds, 'text')} as member_id, ${column(writes.map((write) => write.at), 'text')} as added_at
    ), added as (
      insert into team_memberships (account_id, team_id, member_id, source, added_at)
      select ${accountId}, ${teamId}, member_id, 'scim', added_at from input, team where kind = 'add'
      on conflict (account_id, team_id, member_id) do nothing
      returning member_id
    ), removed as (
      delete from team_memberships as tm using input, team
      where tm.account_id = ${accountId} and tm.team_id = ${teamId} and input.kind = 'remove' and tm.member_id = input.member_id
      returning tm.member_id
    ), changed as (
      select member_id from added union all select member_id from removed
    ), entries as (
      select ${column(memberIds, 'text')} as changed_member, ${sql.join(entries)}
    ), logged as (
      insert into provisioning_events (${eventColumns}) select ${labelledColumns} from entries where changed_member in (select member_id from changed)
    ), advanced as (
      update teams set version = version + (select count(*) from changed), updated_at = ${at}
      where account_id = ${accountId} and id = ${teamId} and exists (select 1 from changed)
      returning version
    )
    select (select version from advanced) as version, (select version from team) as current, array(select member_id from changed) as changed`
    .execute(db)
    .catch(vanishedOnForeignKey);
  const [row] = rows;
  return { version: row?.version ?? undefined, current: row?.current ?? undefined, changed: new Set(row?.changed ?? []) };
}

function vanishedOnForeignKey(error: unknown): never {
  throw isForeignKeyViolation(error) ? new MemberVanishedError('a member or the team was deleted concurrently', { cause: error }) : error;
}

/** The name of the one-member statements' `team`, which labels their entries. */
const TEAM_NAME = sql<string>`(select display_name from team)`;

/** The SCIM-managed team of a one-member statement, as `team` (changeOneMembershipLogged). */
const scimTeam = (qc: QueryCreator<Database>, accountId: string, teamId: string) =>
  qc.selectFrom('teams').select(['version', 'display_name']).where('account_id', '=', accountId).where('id', '=', teamId).where('source', '=', 'scim');

function oneMembershipLogged(db: Db, changed: (db: QueryCreator<Database & { team: { version: number; display_name: string } }>) => Compilable<{ member_id: string }>, accountId: string, teamId: string, at: string, event: readonly unknown[]) {
  return db
    .with('team', (qc) => scimTeam(qc, accountId, teamId))
    .with('changed', (qc) => changed(qc) as never)
    .with('logged', (qc) => insertEventFrom(qc, 'changed', event, TEAM_NAME))
    .with('advanced', (qc) =>
      qc
        .updateTable('teams')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
        .where('account_id', '=', accountId)
        .where('id', '=', teamId)
        .where((eb) => eb.exists(eb.selectFrom('changed').select('member_id')))
        .returning('version'),
    )
    .selectNoFrom((eb) => [eb.selectFrom('advanced').select('version').as('version'), eb.selectFrom('team').select('version').as('current')]);
}

const scimTeamDirectly = directStatement((db, accountId: string, teamId: string) => scimTeam(db, accountId, teamId));
const addMembershipDirectly = directStatement((db, accountId: string, teamId: string, memberId: string, at: string) => insertMembershipsOf(db, accountId, teamId, [memberId], 'scim', at));
const removeMembershipDirectly = directStatement((db, accountId: string, teamId: string, memberId: string) => deleteMembershipsOf(db, accountId, teamId, [memberId]));

const addOneLoggedQuery = preparedQuery(
  (db, accountId: string, teamId: string, memberId: string, at: string, ...event: unknown[]) =>
    oneMembershipLogged(
      db,
      // From `team`: no row, no insert, when the team is not SCIM-managed.
      (qc) =>
        qc
          .insertInto('team_memberships')
          .columns(['account_id', 'team_id', 'member_id', 'source', 'added_at'])
          .expression((eb) => eb.selectFrom('team').select([sql<string>`${accountId}`.as('account_id'), sql<string>`${teamId}`.as('team_id'), sql<string>`${memberId}`.as('member_id'), sql<string>`'scim'`.as('source'), sql<string>`${at}`.as('added_at')]))
          .onConflict((conflict) => conflict.columns(['account_id', 'team_id', 'member_id']).doNothing())
          .returning('member_id'),
      accountId,
      teamId,
      at,
      event,
    ),
  4 + EVENT_COLUMNS.length,
);

const removeOneLoggedQuery = preparedQuery(
  (db, accountId: string, teamId: string, memberId: string, at: string, ...event: unknown[]) =>
    oneMembershipLogged(
      db,
      (qc) =>
        qc
          .deleteFrom('team_memberships')
          .where('account_id', '=', accountId)
          .where('team_id', '=', teamId)
          .where('member_id', '=', memberId)
          .where((eb) => eb.exists(eb.selectFrom('team').select('version')))
          .returning('member_id'),
      accountId,
      teamId,
      at,
      event,
    ),
  4 + EVENT_COLUMNS.length,
);
