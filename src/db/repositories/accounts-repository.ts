import type { Db } from '../database.js';
import type { AccountRow, NewAccountRow } from '../schema.js';

export async function insertAccount(db: Db, row: NewAccountRow): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

export async function findAccount(db: Db, accountId: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
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
