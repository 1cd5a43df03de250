import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RosterDatabase } from '../db/database.js';
import {
  deleteConsoleSession,
  deleteExpiredConsoleSessions,
  findConsoleSession,
  findLoginCandidates,
  insertConsoleSession,
  recordConsoleLogin,
} from '../db/repositories/console-sessions-repository.js';
import type { AccountRole, PlanCode } from '../db/schema.js';
import { AppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { SignInCounter } from './sign-in-throttle.js';

/** A signed-in console user, as every console request sees them. */
export interface ConsoleSession {
  readonly accountId: string;
  readonly accountName: string;
  readonly plan: PlanCode;
  readonly memberId: string;
  readonly email: string;
  readonly displayName: string | null;
  readonly role: AccountRole;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface SignedIn {
  /** The cookie value: 256 random bits, stored only as its SHA-256. */
  readonly token: string;
  readonly session: ConsoleSession;
}

/** Sessions end after this long, signed out or not. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const INVALID = 'The email address or password is not correct.';

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Verified against when no account matches, so a wrong email costs as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

/**
 * Signs an owner or admin in with email and password. Throws `too_many` while the throttle
 * holds the email or address back, and one message for every kind of failure.
 */
export async function signIn(
  database: RosterDatabase,
  throttle: SignInCounter,
  input: { email: string; password: string; ip: string },
): Promise<SignedIn> {
  const email = input.email.trim();
  const wait = throttle.retryAfterMs(email, input.ip);
  if (wait > 0) throw new AppError('too_many', `Too many failed sign-in attempts. Try again in ${Math.ceil(wait / 60_000)} minute(s).`);
  const candidates = email && input.password ? await findLoginCandidates(database.db, email) : [];
  let matched: (typeof candidates)[number] | undefined;
  for (const candidate of candidates) {
    if (await verifyPassword(input.password, candidate.password_hash)) {
      matched = candidate;
      break;
    }
  }
  if (candidates.length === 0) await verifyPassword(input.password, await (decoyHash ??= hashPassword(randomBytes(16).toString('hex'))));
  if (!matched) {
    throttle.recordFailure(email, input.ip);
    throw new AppError('unauthorized', INVALID);
  }
  throttle.recordSuccess(email);
  return startSession(database, matched.account_id, matched.id);
}

async function startSession(database: RosterDatabase, accountId: string, memberId: string): Promise<SignedIn> {
  const token = randomBytes(32).toString('base64url');
  const now = nowIso();
  await database.db.transaction().execute(async (trx) => {
    await deleteExpiredConsoleSessions(trx, now);
    await insertConsoleSession(trx, {
      id: hashToken(token),
      account_id: accountId,
      member_id: memberId,
      csrf_token: randomBytes(32).toString('base64url'),
      created_at: now,
      expires_at: new Date(Date.now() + SESSION_TTL_MS).toISOString(),
    });
    await recordConsoleLogin(trx, accountId, memberId, now);
  });
  const session = await authenticateSession(database, token);
  if (!session) throw new AppError('unauthorized', INVALID);
  return { token, session };
}

/**
 * The session a cookie value stands for, or undefined. A member who has been deactivated or
 * is no longer an owner or admin has no session, whatever their cookie says.
 */
export async function authenticateSession(database: RosterDatabase, token: string | undefined): Promise<ConsoleSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const row = await findConsoleSession(database.db, hashToken(token), nowIso());
  if (!row || row.status === 'deactivated' || (row.role !== 'owner' && row.role !== 'admin')) return undefined;
  return {
    accountId: row.account_id,
    accountName: row.account_name,
    plan: row.plan,
    memberId: row.member_id,
    email: row.user_name,
    displayName: row.display_name,
    role: row.role,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

/** Constant-time check of the CSRF token a write presents. */
export function csrfTokenMatches(session: ConsoleSession, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(hashToken(presented), 'hex');
  const b = Buffer.from(hashToken(session.csrfToken), 'hex');
  return timingSafeEqual(a, b);
}

/** Ends the session of this cookie value (no error if there is none). */
export async function signOut(database: RosterDatabase, token: string | undefined): Promise<void> {
  if (token) await deleteConsoleSession(database.db, hashToken(token));
}
