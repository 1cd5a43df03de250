import type { Db, DbTransaction, DialectName, RosterDatabase } from '../db/database.js';
import { isSeatLimitViolation } from '../db/dialect.js';
import { findAccount, lockAccount } from '../db/repositories/accounts-repository.js';
import type { AccountRow } from '../db/schema.js';
import { ScimError } from '../scim/errors.js';
import { PLANS } from '../accounts/plans.js';
import { inTransaction } from './transactions.js';

/** An account whose seats are all taken: what a refusal tells the admin. */
export interface SeatShortage {
  readonly account: AccountRow;
  readonly planLabel: string;
}

const accountGone = () => new ScimError(404, undefined, 'The account no longer exists.');

function shortageOf(account: AccountRow): SeatShortage | undefined {
  return account.seats_used < account.seat_limit ? undefined : { account, planLabel: PLANS[account.plan].label };
}

/**
 * Whether one more seat may be taken, decided exactly (decision 1: seats used = invited + active
 * members, kept in `accounts.seats_used` by the members triggers). The account row is locked on
 * PostgreSQL until the transaction ends, so concurrent writers of one account check in turn; the
 * console's adds and reactivations use it. Returns the shortage, or `undefined` if a seat is free.
 */
export async function findSeatShortage(trx: Db, dialect: DialectName, accountId: string): Promise<SeatShortage | undefined> {
  const account = await lockAccount(trx, dialect, accountId);
  if (!account) throw accountGone();
  return shortageOf(account);
}

/**
 * A SCIM create or reactivation: refused with the account's figures when no seat is free as of
 * the last commit. It takes no lock. On SQLite the read is exact (one writer at a time); on
 * PostgreSQL two requests that both saw the last seat free are decided when they commit, by the
 * counters' trigger (migration 0005), and inSeatTakingTransaction answers the loser with a 403 too.
 */
export async function claimSeat(trx: Db, accountId: string): Promise<void> {
  const account = await findAccount(trx, accountId);
  if (!account) throw accountGone();
  if (!shortageOf(account)) return;
  throw userLimitReached(account, `and ${account.seats_used} are in use`);
}

/** SCIM's 403 for a seat past the limit; `why` completes "allows N account users …". */
function userLimitReached(account: AccountRow, why: string): ScimError {
  const plan = PLANS[account.plan].label;
  return new ScimError(403, 'userLimitReached', `Seat limit reached: the ${plan} plan of ${account.name} allows ${account.seat_limit} account users ${why}. Deactivate a user or raise the limit.`);
}

/**
 * inTransaction for a SCIM write that may take a seat. A commit that PostgreSQL refused because
 * another request took the last seat first is not retried: the seat is gone, so it is the same
 * 403 claimSeat gives.
 */
export async function inSeatTakingTransaction<T>(database: RosterDatabase, accountId: string, work: (trx: DbTransaction) => Promise<T>): Promise<T> {
  return refusingSeatPastLimit(database.db, accountId, 'and another request took the last free seat at the same time', () => inTransaction(database, work));
}

/**
 * A write outside a transaction that may take a seat, without claimSeat's read first: its
 * statement's commit refuses a seat past the limit (migration 0005), answered with the 403.
 */
export async function takingSeatAtOnce<T>(db: Db, accountId: string, write: () => Promise<T>): Promise<T> {
  return refusingSeatPastLimit(db, accountId, undefined, write);
}

/** Runs `write`; PostgreSQL's refusal of a seat past the limit becomes the 403, `why` or the figures read afterwards completing it. */
async function refusingSeatPastLimit<T>(db: Db, accountId: string, why: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isSeatLimitViolation(error)) throw error;
    const account = await findAccount(db, accountId);
    if (!account) throw accountGone();
    throw userLimitReached(account, why ?? `and ${account.seats_used} are in use`);
  }
}
