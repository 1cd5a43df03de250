import type { DbTransaction, RosterDatabase } from '../db/database.js';
import { isLockWaitExhausted, isRetryableConflict } from '../db/dialect.js';
import { ScimError } from '../scim/errors.js';

/** Thrown inside a transaction when an optimistic version check lost to another writer. */
export class VersionConflict extends Error {}

const ATTEMPTS = 3;

/**
 * The answer to a write whose SQLite write lock stayed taken for the driver's whole wait: a 409
 * the client may retry (retrying at once here would only wait as long again).
 */
export function lockWaitExhausted(error: unknown): ScimError | undefined {
  return isLockWaitExhausted(error) ? new ScimError(409, undefined, 'The database was busy with other writes for 5 seconds; retry the request.') : undefined;
}

/**
 * Runs `work` in one transaction, so a request applies completely or not at all, and retries
 * it (bounded) when a concurrent writer won a version check or PostgreSQL reported a
 * serialization failure or deadlock. When retries run out the client gets a 409 it may retry,
 * and so it does at once when SQLite's write lock stayed taken for the driver's whole wait.
 */
export async function inTransaction<T>(database: RosterDatabase, work: (trx: DbTransaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await database.db.transaction().execute(work);
    } catch (error) {
      const busy = lockWaitExhausted(error);
      if (busy) throw busy;
      const retryable = error instanceof VersionConflict || isRetryableConflict(error);
      if (!retryable) throw error;
      if (attempt >= ATTEMPTS) throw new ScimError(409, undefined, 'The resource was changed by another request at the same time; retry the request.');
    }
  }
}
