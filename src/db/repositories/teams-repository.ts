import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { rowCount } from '../dialect.js';
import type { Db, DialectName } from '../database.js';
import { directStatement, preparedQuery } from '../prepared-query.js';
import type { Database, MemberSource, TeamRow } from '../schema.js';

/** What a service hands the repository to write a team; `display_name_lower` is derived here. */
export interface TeamWrite {
  readonly displayName: string;
  readonly externalId: string | null;
  readonly source: MemberSource;
  readonly version: number;
  readonly updatedAt: string;
}

/** A where-clause over `teams` built by filter-to-sql. */
export type TeamCondition = (eb: ExpressionBuilder<Database, 'teams'>) => Expression<SqlBool>;

/** An ORDER BY expression over `teams` built by filter-to-sql. */
export type TeamOrder = (eb: ExpressionBuilder<Database, 'teams'>) => Expression<unknown>;

export interface TeamPage {
  readonly where: TeamCondition | undefined;
  readonly orderBy: TeamOrder | undefined;
  readonly descending: boolean;
  readonly offset: number;
  readonly limit: number;
}

function columnsOf(write: TeamWrite) {
  return {
    display_name: write.displayName,
    display_name_lower: write.displayName.toLowerCase(),
    external_id: write.externalId,
    source: write.source,
    version: write.version,
    updated_at: write.updatedAt,
  };
}

/** Inserts a team; throws the driver's unique violation when the name is taken (any letter case). */
export async function insertTeam(db: Db, accountId: string, teamId: string, write: TeamWrite, createdAt: string): Promise<void> {
  await db
    .insertInto('teams')
    .values({ id: teamId, account_id: accountId, created_at: createdAt, ...columnsOf(write) })
    .execute();
}

export async function findTeam(db: Db, accountId: string, teamId: string): Promise<TeamRow | undefined> {
  return (await findTeamQuery(db, accountId, teamId))[0];
}

const findTeamQuery = preparedQuery((db, accountId: string, teamId: string) => db.selectFrom('teams').selectAll().where('account_id', '=', accountId).where('id', '=', teamId));

/**
 * Reads a team for a write and, on PostgreSQL, locks its row until the transaction ends, so
 * concurrent membership changes of one team queue up instead of losing each other's members
 * (okta.md §7.4: Okta splits large pushes into parallel PATCHes). FOR NO KEY UPDATE, as for
 * accounts (accounts-repository.ts): it queues writers of the team without blocking the foreign
 * key checks of rows that merely reference it. SQLite needs no lock: its
 * single connection runs one transaction at a time.
 */
export async function lockTeam(db: Db, dialect: DialectName, accountId: string, teamId: string): Promise<TeamRow | undefined> {
  const query = db.selectFrom('teams').selectAll().where('account_id', '=', accountId).where('id', '=', teamId);
  return (dialect === 'postgres' ? query.forNoKeyUpdate() : query).executeTakeFirst();
}

/** Writes a team's attributes if its version is still `expectedVersion`; false when another write won. */
export async function updateTeam(db: Db, accountId: string, teamId: string, expectedVersion: number, write: TeamWrite): Promise<boolean> {
  const result = await db
    .updateTable('teams')
    .set(columnsOf(write))
    .where('account_id', '=', accountId)
    .where('id', '=', teamId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Whether the commit of a transaction that adds or removes a team's members advances the team's
 * version by itself: on PostgreSQL a deferred trigger does (migration 0006); SQLite has none.
 */
export function teamVersionAdvancesAtCommit(dialect: DialectName): boolean {
  return dialect === 'postgres';
}

/**
 * Advances a team's version and lastModified after its members changed, and returns the new
 * version; `undefined` when the team is gone or, with `requiredVersion`, has moved past it. On
 * PostgreSQL this statement is what locks the row (FOR NO KEY UPDATE, as lockTeam), so a caller
 * that runs it last holds the team only until its commit.
 */
export async function advanceTeamVersion(db: Db, accountId: string, teamId: string, at: string, requiredVersion: number | undefined): Promise<number | undefined> {
  const rows = requiredVersion === undefined ? await advanceVersionQuery(db, accountId, teamId, at) : await advanceVersionIfQuery(db, accountId, teamId, at, requiredVersion);
  return rows[0]?.version;
}

function advanceVersion(db: Db, accountId: string, teamId: string, at: string) {
  return db
    .updateTable('teams')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
    .where('account_id', '=', accountId)
    .where('id', '=', teamId);
}

// Every membership PATCH runs one of these: compiled once (prepared-query.ts).
const advanceVersionQuery = preparedQuery((db, accountId: string, teamId: string, at: string) => advanceVersion(db, accountId, teamId, at).returning('version'));
/** advanceTeamVersion without a required version, inside a direct write (prepared-query.ts, DirectWriter). */
export const advanceTeamVersionDirectly = directStatement((db, accountId: string, teamId: string, at: string) => advanceVersion(db, accountId, teamId, at).returning('version'));
const advanceVersionIfQuery = preparedQuery((db, accountId: string, teamId: string, at: string, requiredVersion: number) =>
  advanceVersion(db, accountId, teamId, at).where('version', '=', requiredVersion).returning('version'),
);

/** Deletes a team; its memberships go by cascade, its members stay (domain.md decision 4). */
export async function deleteTeam(db: Db, accountId: string, teamId: string): Promise<boolean> {
  const result = await db.deleteFrom('teams').where('account_id', '=', accountId).where('id', '=', teamId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** One page of an account's teams, in a stable order (sort key, then insertion order). */
export async function listTeams(db: Db, accountId: string, page: TeamPage): Promise<TeamRow[]> {
  let query = db.selectFrom('teams').selectAll().where('account_id', '=', accountId);
  if (page.where) query = query.where(page.where);
  const direction = page.descending ? 'desc' : 'asc';
  if (page.orderBy) query = query.orderBy(page.orderBy, direction);
  return query.orderBy('seq', page.orderBy ? 'asc' : direction).offset(rowCount(page.offset)).limit(rowCount(page.limit)).execute();
}

export async function countTeams(db: Db, accountId: string, where: TeamCondition | undefined): Promise<number> {
  let query = db.selectFrom('teams').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId);
  if (where) query = query.where(where);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Advances `meta` of every team the member belongs to: deleting a member changes those teams'
 * member lists, so their version and lastModified must move (RFC 7644 §3.14).
 */
export async function touchTeamsOfMember(db: Db, accountId: string, memberId: string, at: string): Promise<void> {
  await db
    .updateTable('teams')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
    .where('account_id', '=', accountId)
    .where('id', 'in', (eb) => eb.selectFrom('team_memberships').select('team_id').where('account_id', '=', accountId).where('member_id', '=', memberId))
    .execute();
}
