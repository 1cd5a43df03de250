/**
 * Database-level invariants the reliability suites and the fuzz script check after a load:
 * what the API cannot show (half-written rows, orphans, seat overshoot) is read directly.
 */
import SqliteDatabase from 'better-sqlite3';
import { dialectOf, openDatabase } from '../../src/db/database.js';

export interface ConsistencyReport {
  readonly members: number;
  readonly teams: number;
  readonly memberships: number;
  /** Every broken invariant, as a sentence; empty when the database is consistent. */
  readonly problems: string[];
}

interface EmailLike {
  readonly value?: unknown;
}

type Db = ReturnType<typeof openDatabase>['db'];

async function checkSeats(db: Db, problems: string[]): Promise<void> {
  const accounts = await db.selectFrom('accounts').select(['id', 'seat_limit']).execute();
  for (const account of accounts) {
    const used = await db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', account.id).where('status', 'in', ['invited', 'active']).executeTakeFirstOrThrow();
    if (Number(used.n) > account.seat_limit) problems.push(`account ${account.id}: ${used.n} seats in use, limit ${account.seat_limit}`);
  }
}

/** Unique userNames, derived columns and email rows that match each stored resource. */
async function checkMembers(db: Db, problems: string[]) {
  const members = await db.selectFrom('members').select(['id', 'account_id', 'user_name', 'user_name_lower', 'resource', 'source']).execute();
  const seen = new Set<string>();
  for (const member of members) {
    const key = `${member.account_id}/${member.user_name.toLowerCase()}`;
    if (seen.has(key)) problems.push(`duplicate userName ${member.user_name} in account ${member.account_id}`);
    seen.add(key);
    const resource = JSON.parse(member.resource) as { userName?: unknown; emails?: EmailLike[] };
    if (resource.userName !== member.user_name) problems.push(`member ${member.id}: user_name column differs from the resource`);
    if (member.user_name_lower !== member.user_name.toLowerCase()) problems.push(`member ${member.id}: user_name_lower is stale`);
    const emails = (resource.emails ?? []).filter((e) => typeof e.value === 'string' && e.value !== '').length;
    const rows = await db.selectFrom('member_emails').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', member.account_id).where('member_id', '=', member.id).executeTakeFirstOrThrow();
    if (Number(rows.n) !== emails) problems.push(`member ${member.id}: ${rows.n} email rows for ${emails} emails`);
  }
  return members;
}

/** A SCIM member or team is written in the same transaction as its creation (or link) event. */
async function checkCreationEvents(db: Db, members: readonly { id: string; source: string }[], problems: string[]) {
  const events = await db.selectFrom('provisioning_events').select(['resource_id', 'action']).where('action', 'in', ['user.created', 'user.linked', 'group.created']).execute();
  const created = new Set(events.map((e) => `${e.action}/${e.resource_id}`));
  for (const member of members) {
    if (member.source === 'scim' && !created.has(`user.created/${member.id}`) && !created.has(`user.linked/${member.id}`)) problems.push(`member ${member.id}: stored without its user.created event`);
  }
  const teams = await db.selectFrom('teams').select(['id', 'source']).execute();
  for (const team of teams) {
    if (team.source === 'scim' && !created.has(`group.created/${team.id}`)) problems.push(`team ${team.id}: stored without its group.created event`);
  }
  return teams;
}

async function checkMemberships(db: Db, problems: string[]): Promise<number> {
  const rows = await db
    .selectFrom('team_memberships as tm')
    .leftJoin('members as m', (join) => join.onRef('m.account_id', '=', 'tm.account_id').onRef('m.id', '=', 'tm.member_id'))
    .leftJoin('teams as t', (join) => join.onRef('t.account_id', '=', 'tm.account_id').onRef('t.id', '=', 'tm.team_id'))
    .select(['tm.team_id', 'tm.member_id', 'm.id as found_member', 't.id as found_team'])
    .execute();
  for (const row of rows) {
    if (row.found_member === null) problems.push(`membership of team ${row.team_id} names missing member ${row.member_id}`);
    if (row.found_team === null) problems.push(`membership of member ${row.member_id} names missing team ${row.team_id}`);
  }
  return rows.length;
}

/**
 * Checks, for every account: seats in use ≤ seat limit; userName unique case-insensitively;
 * each member's derived columns and email rows match its stored resource; each SCIM-created
 * member and team has its creation event (same transaction, so a half-written create shows);
 * memberships reference existing members and teams of the same account.
 */
export async function checkConsistency(databaseUrl: string): Promise<ConsistencyReport> {
  const database = openDatabase({ url: databaseUrl, poolSize: 2 });
  const problems: string[] = [];
  try {
    await checkSeats(database.db, problems);
    const members = await checkMembers(database.db, problems);
    const teams = await checkCreationEvents(database.db, members, problems);
    const memberships = await checkMemberships(database.db, problems);
    return { members: members.length, teams: teams.length, memberships, problems };
  } finally {
    await database.close();
  }
}

/** SQLite's own checks: `PRAGMA integrity_check` and `PRAGMA foreign_key_check` (undefined on PostgreSQL). */
export function sqliteIntegrity(databaseUrl: string): { integrity: string; foreignKeyViolations: number } | undefined {
  if (dialectOf(databaseUrl) !== 'sqlite') return undefined;
  const sqlite = new SqliteDatabase(databaseUrl);
  try {
    const integrity = (sqlite.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');
    const foreignKeyViolations = (sqlite.pragma('foreign_key_check') as unknown[]).length;
    return { integrity, foreignKeyViolations };
  } finally {
    sqlite.close();
  }
}
