import type { Db } from '../database.js';
import type { ApiKeyRow, NewApiKeyRow } from '../schema.js';

export async function insertApiKey(db: Db, row: NewApiKeyRow): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

/** Candidate rows for a presented key: the public prefix narrows, the hash decides. */
export async function findApiKeysByPrefix(db: Db, prefix: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).execute();
}

export async function findApiKey(db: Db, accountId: string, keyId: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).where('id', '=', keyId).executeTakeFirst();
}

export async function listApiKeys(db: Db, accountId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function setApiKeyExpiry(db: Db, accountId: string, keyId: string, expiresAt: string): Promise<void> {
  await db.updateTable('api_keys').set({ expires_at: expiresAt }).where('account_id', '=', accountId).where('id', '=', keyId).execute();
}

export async function revokeApiKeyRow(db: Db, accountId: string, keyId: string, revokedAt: string): Promise<number> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: revokedAt })
    .where('account_id', '=', accountId)
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function touchApiKey(db: Db, accountId: string, keyId: string, usedAt: string, ip: string | null): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: usedAt, last_used_ip: ip }).where('account_id', '=', accountId).where('id', '=', keyId).execute();
}
