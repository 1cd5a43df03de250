import type { Db, DialectName } from '../database.js';
import { preparedQuery } from '../prepared-query.js';
import type { AccountRow, NewAccountRow } from '../schema.js';

export async function insertAccount(db: Db, row: NewAccountRow): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

const findAccountQuery = preparedQuery((db, accountId: string) => db.selectFrom('accounts').selectAll().where('id', '=', accountId));
const lockAccountQuery = preparedQuery((db, accountId: string) => db.selectFrom('accounts').selectAll().where('id', '=', accountId).forNoKeyUpdate());

export async function findAccount(db: Db, accountId: string): Promise<AccountRow | undefined> {
  return (await findAccountQuery(db, accountId))[0];
}

/**
 * Reads the account and, on PostgreSQL, locks its row until the transaction ends, so writers of
 * one account (the console's seat checks) see committed state in turn; SCIM's seat claims take
 * no lock and are decided at commit (migration 0005). The lock is FOR NO KEY UPDATE, the one
 * the seat counters' trigger takes anyway. FOR UPDATE would also conflict with the KEY SHARE lock
 * that every insert referencing the account takes for its foreign key, so a seat claim would hold
 * up every write of the account that inserts such a row (an activity entry, a team, a member)
 * until it commits, and could deadlock with one (bench/README.md, finding 21). SQLite needs no
 * lock: Kysely's SQLite driver runs one transaction at a time on its single connection, and
 * other processes wait on the file lock.
 */
export async function lockAccount(db: Db, dialect: DialectName, accountId: string): Promise<AccountRow | undefined> {
  return (await (dialect === 'postgres' ? lockAccountQuery : findAccountQuery)(db, accountId))[0];
}

export async function listAccounts(db: Db): Promise<AccountRow[]> {
  return db.selectFrom('accounts').selectAll().orderBy('created_at').execute();
}

export async function countAccounts(db: Db): Promise<number> {
  const row = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateAccount(
  db: Db,
  accountId: string,
  changes: Partial<Pick<AccountRow, 'name' | 'plan' | 'seat_limit' | 'phone_validation' | 'default_role' | 'owner_member_id' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('accounts').set(changes).where('id', '=', accountId).execute();
}
