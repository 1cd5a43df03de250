import type { Db, DialectName } from '../db/database.js';
import { lockAccount } from '../db/repositories/accounts-repository.js';
import type { AccountRow } from '../db/schema.js';
import { ScimError } from '../scim/errors.js';
import { PLANS } from '../accounts/plans.js';

/** An account whose seats are all taken: what a refusal tells the admin. */
export interface SeatShortage {
  readonly account: AccountRow;
  readonly planLabel: string;
}

/**
 * Whether one more seat may be taken (decision 1: seats used = invited + active members, kept in
 * `accounts.seats_used` by the members triggers of migration 0003). Call it inside the write's
 * transaction: the account row is locked on PostgreSQL, so concurrent writers of one account
 * check in turn and cannot overshoot the limit. Returns the shortage, or `undefined` if a seat is free.
 */
export async function findSeatShortage(trx: Db, dialect: DialectName, accountId: string): Promise<SeatShortage | undefined> {
  const account = await lockAccount(trx, dialect, accountId);
  if (!account) throw new ScimError(404, undefined, 'The account no longer exists.');
  return account.seats_used < account.seat_limit ? undefined : { account, planLabel: PLANS[account.plan].label };
}

/** The SCIM refusal of a create or reactivation past the limit: 403 userLimitReached. */
export async function claimSeat(trx: Db, dialect: DialectName, accountId: string): Promise<void> {
  const shortage = await findSeatShortage(trx, dialect, accountId);
  if (!shortage) return;
  const { account, planLabel } = shortage;
  throw new ScimError(
    403,
    'userLimitReached',
    `Seat limit reached: the ${planLabel} plan of ${account.name} allows ${account.seat_limit} account users and ${account.seats_used} are in use. Deactivate a user or raise the limit.`,
  );
}
