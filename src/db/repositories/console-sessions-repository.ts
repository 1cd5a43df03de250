import type { Db } from '../database.js';
import type { AccountRole, MemberStatus, PlanCode } from '../schema.js';

/** A console session joined with what every console request needs about its member and account. */
export interface ConsoleSessionRecord {
  readonly id: string;
  readonly account_id: string;
  readonly member_id: string;
  readonly csrf_token: string;
  readonly expires_at: string;
  readonly role: AccountRole;
  readonly status: MemberStatus;
  readonly user_name: string;
  readonly display_name: string | null;
  readonly account_name: string;
  readonly plan: PlanCode;
}

/** A member who may be able to sign in to the console with `email`. */
export interface LoginCandidate {
  readonly id: string;
  readonly account_id: string;
  readonly password_hash: string;
  readonly status: MemberStatus;
}

export async function insertConsoleSession(
  db: Db,
  row: { id: string; account_id: string; member_id: string; csrf_token: string; created_at: string; expires_at: string },
): Promise<void> {
  await db.insertInto('console_sessions').values(row).execute();
}

/** The unexpired session whose hashed token is `id`, with its member and account. */
export async function findConsoleSession(db: Db, id: string, now: string): Promise<ConsoleSessionRecord | undefined> {
  return db
    .selectFrom('console_sessions as s')
    .innerJoin('members as m', (join) => join.onRef('m.account_id', '=', 's.account_id').onRef('m.id', '=', 's.member_id'))
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select([
      's.id',
      's.account_id',
      's.member_id',
      's.csrf_token',
      's.expires_at',
      'm.role',
      'm.status',
      'm.user_name',
      'm.display_name',
      'a.name as account_name',
      'a.plan',
    ])
    .where('s.id', '=', id)
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteConsoleSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id', '=', id).execute();
}

export async function deleteExpiredConsoleSessions(db: Db, now: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute();
}

/** Ends every console session of a member (deactivation, loss of the admin role). */
export async function deleteMemberConsoleSessions(db: Db, accountId: string, memberId: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('account_id', '=', accountId).where('member_id', '=', memberId).execute();
}

/**
 * Owners and admins of any account whose userName is `email` and who have a console password.
 * The same address may be an admin in several accounts; the password decides which.
 */
export async function findLoginCandidates(db: Db, email: string): Promise<LoginCandidate[]> {
  const rows = await db
    .selectFrom('members')
    .select(['id', 'account_id', 'password_hash', 'status'])
    .where('user_name_lower', '=', email.toLowerCase())
    .where('role', 'in', ['owner', 'admin'])
    .where('status', 'in', ['invited', 'active'])
    .where('password_hash', 'is not', null)
    .orderBy('created_at')
    .limit(10)
    .execute();
  return rows.flatMap((row) => (row.password_hash ? [{ ...row, password_hash: row.password_hash }] : []));
}

/** Stamps a successful sign-in; an invited admin becomes active with their first one. */
export async function recordConsoleLogin(db: Db, accountId: string, memberId: string, at: string): Promise<void> {
  await db.updateTable('members').set({ last_login_at: at }).where('account_id', '=', accountId).where('id', '=', memberId).execute();
  await db
    .updateTable('members')
    .set({ status: 'active' })
    .where('account_id', '=', accountId)
    .where('id', '=', memberId)
    .where('status', '=', 'invited')
    .execute();
}
