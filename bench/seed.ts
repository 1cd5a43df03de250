import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Insertable, type Kysely } from 'kysely';
import { openRoster, type Roster } from '../src/app.js';
import type { AccountRow, Database } from '../src/db/schema.js';
import type { ScimContext } from '../src/provisioning/scim-context.js';
import { GROUP_SCHEMA } from '../src/scim/schemas/registry.js';
import { newMemberId } from '../src/shared/member-ids.js';
import { memberRows, membershipRow, teamRow, userBody } from './seed-rows.js';

/** What the scenarios need to know about the seeded directory. */
export interface SeededDirectory {
  readonly accountId: string;
  readonly apiKey: string;
  /** Member i has userName `userNameOf(i)`; ids in that order. */
  readonly memberIds: readonly string[];
  /** Members [0, bigTeamSize) are in the big team. */
  readonly bigTeamId: string;
  readonly bigTeamSize: number;
  /** Members [bigTeamSize, bigTeamSize + SMALL_TEAM_SIZE) are in the small team. */
  readonly smallTeamId: string;
  readonly teams: number;
  readonly memberships: number;
  readonly seconds: number;
  readonly membersPerSecond: number;
}

export const SMALL_TEAM_SIZE = 10;
/** Members in each of the other teams. */
const OTHER_TEAM_SIZE = 25;
/** Rows per INSERT: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters at 23 columns. */
const CHUNK = 500;
/** Columns compared between a SCIM-created member and the bulk row builder. */
const IGNORED = new Set(['seq', 'id', 'created_at', 'updated_at', 'scim_linked_at']);

export interface SeedPlan {
  readonly databaseUrl: string;
  readonly members: number;
  readonly teams: number;
  readonly bigTeamSize: number;
}

/**
 * Seeds the directory in-process before Roster starts: one user and one team through the
 * provisioning layer (the same code as POST /Users and POST /Groups), then the rest with bulk
 * inserts of the same rows, after checking the bulk rows equal what the SCIM path wrote.
 */
export async function seedDirectory(plan: SeedPlan, log: (line: string) => void): Promise<SeededDirectory> {
  const started = performance.now();
  const roster = await openRoster({ databaseUrl: plan.databaseUrl, databasePoolSize: 4 });
  try {
    const created = await roster.accounts.createAccount({ name: 'Bench', plan: 'enterprise', seatLimit: Math.max(200_000, plan.members * 2) });
    const context = seedContext(created.account);
    const memberIds = await seedMembers(roster, context, plan.members, log);
    const membersDone = performance.now();
    const { bigTeamId, smallTeamId, memberships } = await seedTeams(roster, context, memberIds, plan);
    // A PostgreSQL database filled over weeks has been vacuumed and analysed by autovacuum; a
    // bulk load not yet: without the visibility map every count(*) is a sequential scan (40 ms
    // instead of 4 at 100,000 members). SQLite gets nothing: Roster's own PRAGMA optimize at start
    // is what is measured.
    if (roster.database.dialect === 'postgres') await sql`vacuum analyze`.execute(roster.database.db);
    const seconds = (performance.now() - started) / 1000;
    const membersPerSecond = plan.members / ((membersDone - started) / 1000);
    return { accountId: created.account.id, apiKey: created.apiKey, memberIds, bigTeamId, bigTeamSize: plan.bigTeamSize, smallTeamId, teams: plan.teams, memberships, seconds, membersPerSecond };
  } finally {
    await roster.database.close();
  }
}

function seedContext(account: AccountRow): ScimContext {
  return { account, keyId: 'bench-seed', keyName: 'bench seed', idp: 'bench', requestId: randomUUID(), method: 'POST', path: '/scim/v2/Users', baseUrl: 'http://127.0.0.1/scim/v2' };
}

async function seedMembers(roster: Roster, context: ScimContext, count: number, log: (line: string) => void): Promise<string[]> {
  const db = roster.database.db;
  const firstId = String((await roster.provisioning.users.create(context, userBody(0))).resource()['id']);
  await checkMemberFidelity(db, context.account, firstId);
  const ids = [firstId];
  for (let i = 1; i < count; i++) ids.push(newMemberId());
  const now = new Date().toISOString();
  for (let start = 1; start < count; start += CHUNK * 20) {
    await db.transaction().execute(async (trx) => {
      for (let from = start; from < Math.min(start + CHUNK * 20, count); from += CHUNK) {
        const rows = ids.slice(from, Math.min(from + CHUNK, count)).map((id, k) => memberRows(context.account, id, userBody(from + k), now));
        await trx.insertInto('members').values(rows.map((r) => r.member)).execute();
        await trx.insertInto('member_emails').values(rows.flatMap((r) => r.emails)).execute();
      }
    });
    if (count >= 50_000 && (start - 1) % 20_000 === 0) log(`  members: ${start - 1} of ${count}`);
  }
  return ids;
}

/** Fails the run if the bulk rows would differ from what POST /Users stored for the same body. */
async function checkMemberFidelity(db: Kysely<Database>, account: AccountRow, id: string): Promise<void> {
  const stored = await db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const emails = await db.selectFrom('member_emails').selectAll().where('member_id', '=', id).orderBy('position').execute();
  const built = memberRows(account, id, userBody(0), stored.created_at);
  const differing = Object.entries(built.member).filter(([key, value]) => !IGNORED.has(key) && (stored as Record<string, unknown>)[key] !== value);
  if (differing.length > 0 || JSON.stringify(emails) !== JSON.stringify(built.emails)) {
    throw new Error(`The bench's bulk rows no longer match what POST /Users stores (columns: ${differing.map(([k]) => k).join(', ') || 'member_emails'}); update bench/seed-rows.ts.`);
  }
}

async function seedTeams(roster: Roster, context: ScimContext, memberIds: readonly string[], plan: SeedPlan): Promise<{ bigTeamId: string; smallTeamId: string; memberships: number }> {
  const db = roster.database.db;
  const accountId = context.account.id;
  const bigTeamId = await roster.provisioning.teams.create(context, { schemas: [GROUP_SCHEMA], displayName: 'Bench big team' });
  const stored = await db.selectFrom('teams').selectAll().where('id', '=', bigTeamId).executeTakeFirstOrThrow();
  const built = teamRow(accountId, bigTeamId, 'Bench big team', stored.created_at);
  if (Object.entries(built).some(([key, value]) => !IGNORED.has(key) && (stored as Record<string, unknown>)[key] !== value)) {
    throw new Error("The bench's team rows no longer match what POST /Groups stores; update bench/seed-rows.ts.");
  }
  const now = new Date().toISOString();
  const smallTeamId = randomUUID();
  const others = Array.from({ length: plan.teams - 2 }, () => randomUUID());
  const teams = [teamRow(accountId, smallTeamId, 'Bench small team', now), ...others.map((id, k) => teamRow(accountId, id, `Bench team ${String(k + 3).padStart(3, '0')}`, now))];
  const rows: Insertable<Database['team_memberships']>[] = [];
  const add = (teamId: string, from: number, size: number) => {
    for (let i = from; i < from + size; i++) rows.push(membershipRow(accountId, teamId, memberIds[i] ?? '', now));
  };
  add(bigTeamId, 0, plan.bigTeamSize);
  add(smallTeamId, plan.bigTeamSize, SMALL_TEAM_SIZE);
  others.forEach((id, k) => add(id, ((k + 1) * 397) % (memberIds.length - OTHER_TEAM_SIZE), OTHER_TEAM_SIZE));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < teams.length; i += CHUNK) await trx.insertInto('teams').values(teams.slice(i, i + CHUNK)).execute();
    for (let i = 0; i < rows.length; i += CHUNK * 2) await trx.insertInto('team_memberships').values(rows.slice(i, i + CHUNK * 2)).execute();
  });
  return { bigTeamId, smallTeamId, memberships: rows.length };
}
