import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../database.js';
import { escapeLike } from '../dialect.js';
import type { AccountRole, Database, MemberSource, MemberStatus, ProvisioningEventRow } from '../schema.js';

/**
 * The console's read queries over members and teams. Every list is bounded: a page of members
 * costs three queries (count, page, the page's teams) whatever the page size.
 */

/** The member columns the console shows (never the SCIM resource or the password hash). */
export interface DirectoryMemberRow {
  readonly id: string;
  readonly user_name: string;
  readonly display_name: string | null;
  readonly given_name: string | null;
  readonly family_name: string | null;
  readonly primary_email: string | null;
  readonly primary_phone: string | null;
  readonly role: AccountRole;
  readonly status: MemberStatus;
  readonly source: MemberSource;
  readonly external_id: string | null;
  readonly has_password: number;
  readonly last_login_at: string | null;
  readonly deactivated_at: string | null;
  readonly deactivated_by: 'admin' | 'scim' | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface MemberSearch {
  /** Case-insensitive substring of the name, userName or email. */
  readonly text?: string | undefined;
  readonly status?: MemberStatus | undefined;
  readonly source?: MemberSource | undefined;
  readonly role?: AccountRole | undefined;
  readonly offset: number;
  readonly limit: number;
}

type MembersBuilder = ExpressionBuilder<Database, 'members'>;

const MEMBER_COLUMNS = [
  'id',
  'user_name',
  'display_name',
  'given_name',
  'family_name',
  'primary_email',
  'primary_phone',
  'role',
  'status',
  'source',
  'external_id',
  'last_login_at',
  'deactivated_at',
  'deactivated_by',
  'created_at',
  'updated_at',
] as const;

const hasPassword = (eb: MembersBuilder) => eb.case().when('password_hash', 'is not', null).then(1).else(0).end().as('has_password');

function searchCondition(eb: MembersBuilder, text: string) {
  // lower(...) LIKE lower(pattern) is case-insensitive in both dialects (PostgreSQL's LIKE is not).
  const pattern = `%${escapeLike(text.toLowerCase())}%`;
  const like = (column: 'user_name' | 'display_name' | 'given_name' | 'family_name' | 'primary_email') =>
    sql<boolean>`lower(coalesce(${sql.ref(column)}, '')) like ${pattern} escape '\\'`;
  const fullName = sql<boolean>`lower(coalesce(given_name, '') || ' ' || coalesce(family_name, '')) like ${pattern} escape '\\'`;
  return eb.or([like('user_name'), like('display_name'), like('given_name'), like('family_name'), like('primary_email'), fullName]);
}

function filtered(db: Db, accountId: string, search: Omit<MemberSearch, 'offset' | 'limit'>) {
  let query = db.selectFrom('members').where('account_id', '=', accountId);
  if (search.status) query = query.where('status', '=', search.status);
  if (search.source) query = query.where('source', '=', search.source);
  if (search.role) query = query.where('role', '=', search.role);
  const text = search.text?.trim();
  if (text) query = query.where((eb) => searchCondition(eb, text));
  return query;
}

/** One page of members, sorted by name, and how many match in all. */
export async function searchMembers(db: Db, accountId: string, search: MemberSearch): Promise<{ rows: DirectoryMemberRow[]; total: number }> {
  const count = await filtered(db, accountId, search).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await filtered(db, accountId, search)
    .select(MEMBER_COLUMNS)
    .select(hasPassword)
    .orderBy(sql`lower(coalesce(display_name, given_name, user_name))`)
    .orderBy('seq')
    .offset(search.offset)
    .limit(search.limit)
    .execute();
  return { rows, total: Number(count.n) };
}

export async function findDirectoryMember(db: Db, accountId: string, memberId: string): Promise<DirectoryMemberRow | undefined> {
  return db.selectFrom('members').select(MEMBER_COLUMNS).select(hasPassword).where('account_id', '=', accountId).where('id', '=', memberId).executeTakeFirst();
}

export interface DirectoryTeamRow {
  readonly id: string;
  readonly display_name: string;
  readonly source: MemberSource;
  readonly external_id: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly member_count: number;
}

/** All teams of the account with their member counts, by name (one query). */
export async function listTeamsWithCounts(db: Db, accountId: string, teamId?: string): Promise<DirectoryTeamRow[]> {
  let query = db
    .selectFrom('teams as t')
    .leftJoin('team_memberships as tm', (join) => join.onRef('tm.account_id', '=', 't.account_id').onRef('tm.team_id', '=', 't.id'))
    .select(['t.id', 't.display_name', 't.source', 't.external_id', 't.created_at', 't.updated_at', 't.display_name_lower'])
    .select((eb) => eb.fn.count<number>('tm.member_id').as('member_count'))
    .where('t.account_id', '=', accountId)
    .groupBy(['t.id', 't.display_name', 't.source', 't.external_id', 't.created_at', 't.updated_at', 't.display_name_lower']);
  if (teamId !== undefined) query = query.where('t.id', '=', teamId);
  const rows = await query.orderBy('t.display_name_lower').execute();
  return rows.map(({ display_name_lower: _lower, ...row }) => ({ ...row, member_count: Number(row.member_count) }));
}

/** The members of one team, by name. */
export async function listTeamMembers(db: Db, accountId: string, teamId: string): Promise<DirectoryMemberRow[]> {
  return db
    .selectFrom('members')
    .select(MEMBER_COLUMNS)
    .select(hasPassword)
    .where('account_id', '=', accountId)
    .where('id', 'in', (eb) => eb.selectFrom('team_memberships').select('member_id').where('account_id', '=', accountId).where('team_id', '=', teamId))
    .orderBy(sql`lower(coalesce(display_name, given_name, user_name))`)
    .orderBy('seq')
    .execute();
}

/** Members per status (seats used = invited + active). */
export async function countMembersByStatus(db: Db, accountId: string): Promise<Record<MemberStatus, number>> {
  const rows = await db
    .selectFrom('members')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('account_id', '=', accountId)
    .groupBy('status')
    .execute();
  const counts: Record<MemberStatus, number> = { invited: 0, active: 0, deactivated: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** The newest refusal of a SCIM write for lack of seats since `since`, if any. */
export async function findLatestSeatRefusal(db: Db, accountId: string, since: string): Promise<ProvisioningEventRow | undefined> {
  return db
    .selectFrom('provisioning_events')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('occurred_at', '>=', since)
    .where('scim_type', '=', 'userLimitReached')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}
