import type { Db, DialectName } from '../db/database.js';
import { lockAccount } from '../db/dialect.js';
import { findAccount } from '../db/repositories/accounts-repository.js';
import { PLANS } from '../accounts/plans.js';
import { ScimError } from '../scim/errors.js';

/**
 * Refuses a write that would take one more seat than the plan allows (decision 1: seats used =
 * invited + active members). Runs inside the write's transaction after locking the account,
 * so concurrent creates cannot overshoot the limit.
 */
export async function claimSeat(trx: Db, dialect: DialectName, accountId: string): Promise<void> {
  await lockAccount(trx, dialect, accountId);
  // seats_used is kept by the members triggers (migration 0003), so the account row has both numbers.
  const account = await findAccount(trx, accountId);
  if (!account) throw new ScimError(404, undefined, 'The account no longer exists.');
  const used = account.seats_used;
  if (used < account.seat_limit) return;
  throw new ScimError(
    403,
    'userLimitReached',
    `Seat limit reached: the ${PLANS[account.plan].label} plan of ${account.name} allows ${account.seat_limit} account users and ${used} are in use. Deactivate a user or raise the limit.`,
  );
}
