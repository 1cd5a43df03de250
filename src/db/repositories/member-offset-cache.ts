import type { DialectAdapter } from 'kysely';
import type { Db } from '../database.js';

/**
 * The seq of every SPACING-th member of an account in insertion order, per list version
 * (migration 0004). SQL has no way to jump to the 50,000th entry of an index: OFFSET walks every
 * entry before it, 1.1 ms of a page's 2 ms of SQLite time at a random startIndex of 100,000
 * (bench/README.md, finding 13), and Okta's import walks every page in turn; from a
 * checkpoint at most SPACING entries are walked. An entry is valid only for the
 * version it was found under, which every instance reads from the database, so instances need
 * not tell each other anything.
 */
export const CHECKPOINT_SPACING = 1_000;
/** Accounts whose checkpoints are kept (the oldest are dropped first); a few KB each. */
const MAX_ACCOUNTS = 1_000;

interface AccountCheckpoints {
  readonly version: number;
  /** Checkpoint k → the seq of the member at offset k × SPACING. */
  readonly seqs: Map<number, number>;
}

const byDatabase = new WeakMap<DialectAdapter, Map<string, AccountCheckpoints>>();

function accountsOf(db: Db): Map<string, AccountCheckpoints> {
  const adapter = db.getExecutor().adapter;
  let accounts = byDatabase.get(adapter);
  if (!accounts) {
    accounts = new Map();
    byDatabase.set(adapter, accounts);
  }
  return accounts;
}

/** The nearest known checkpoint at or below `k` for this version: [k', seq], or [0, undefined]. */
export function nearestCheckpoint(db: Db, accountId: string, version: number, k: number): [number, number | undefined] {
  const entry = accountsOf(db).get(accountId);
  if (!entry || entry.version !== version) return [0, undefined];
  let best: [number, number | undefined] = [0, undefined];
  for (const [j, seq] of entry.seqs) if (j <= k && j > best[0]) best = [j, seq];
  return best;
}

/** Records a checkpoint found under `version`; the caller has checked the version did not move meanwhile. */
export function rememberCheckpoint(db: Db, accountId: string, version: number, k: number, seq: number): void {
  const accounts = accountsOf(db);
  let entry = accounts.get(accountId);
  if (!entry || entry.version !== version) {
    accounts.delete(accountId);
    entry = { version, seqs: new Map() };
    accounts.set(accountId, entry);
    if (accounts.size > MAX_ACCOUNTS) accounts.delete(accounts.keys().next().value ?? accountId);
  }
  entry.seqs.set(k, seq);
}
