import { randomUUID } from 'node:crypto';
import type { Db, RosterDatabase } from '../db/database.js';
import { findAccount, insertAccount, listAccounts, updateAccount } from '../db/repositories/accounts-repository.js';
import { insertMember } from '../db/repositories/members-repository.js';
import type { AccountRow, PlanCode } from '../db/schema.js';
import { USER_SCHEMA } from '../scim/schemas/registry.js';
import { AppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { newMemberId } from '../shared/member-ids.js';
import { issueApiKey } from './api-keys-service.js';
import { generatePassword, hashPassword } from './passwords.js';
import { PLANS, isPlanCode } from './plans.js';

export interface NewAccount {
  readonly name: string;
  readonly plan: string;
  readonly seatLimit?: number | undefined;
  readonly ownerEmail?: string | undefined;
}

export interface CreatedAccount {
  readonly account: AccountRow;
  /** The first API key, shown once. */
  readonly apiKey: string;
  readonly owner?: { readonly id: string; readonly email: string; readonly password: string };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseNewAccount(input: NewAccount): { name: string; plan: PlanCode; seatLimit: number; ownerEmail: string | undefined } {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new AppError('invalid', 'The account name must be 1 to 200 characters.');
  const plan = input.plan.trim().toLowerCase();
  if (!isPlanCode(plan)) throw new AppError('invalid', `Unknown plan "${input.plan}". Choose essentials, professional or enterprise.`);
  const seatLimit = input.seatLimit ?? PLANS[plan].defaultSeatLimit;
  if (!Number.isInteger(seatLimit) || seatLimit < 1 || seatLimit > 1_000_000) {
    throw new AppError('invalid', 'The seat limit must be a whole number between 1 and 1000000.');
  }
  const ownerEmail = input.ownerEmail?.trim();
  if (ownerEmail !== undefined && !EMAIL_PATTERN.test(ownerEmail)) throw new AppError('invalid', `"${ownerEmail}" is not an email address.`);
  return { name, plan, seatLimit, ownerEmail };
}

/** Creates an account, its first API key and (optionally) its owner, in one transaction. */
export async function createAccount(database: RosterDatabase, input: NewAccount): Promise<CreatedAccount> {
  const parsed = parseNewAccount(input);
  const password = parsed.ownerEmail ? generatePassword() : undefined;
  const passwordHash = password ? await hashPassword(password) : null;
  const accountId = randomUUID();
  const now = nowIso();
  const newAccount = {
    id: accountId,
    name: parsed.name,
    plan: parsed.plan,
    seat_limit: parsed.seatLimit,
    phone_validation: 'strict',
    default_role: 'no_access',
    owner_member_id: null,
    created_at: now,
    updated_at: now,
  } as const;
  const { account, key } = await database.db.transaction().execute(async (trx) => {
    await insertAccount(trx, newAccount);
    if (parsed.ownerEmail) await insertOwner(trx, accountId, parsed.ownerEmail, passwordHash, now);
    const issued = await issueApiKey(trx, accountId, { name: 'SCIM provisioning' });
    return { account: await requireAccount(trx, accountId), key: issued };
  });
  const result: CreatedAccount = { account, apiKey: key.key };
  return parsed.ownerEmail && password && account.owner_member_id
    ? { ...result, owner: { id: account.owner_member_id, email: parsed.ownerEmail, password } }
    : result;
}

async function requireAccount(db: Db, accountId: string): Promise<AccountRow> {
  const account = await findAccount(db, accountId);
  if (!account) throw new AppError('not_found', `No account with id ${accountId}.`);
  return account;
}

async function insertOwner(trx: Db, accountId: string, email: string, passwordHash: string | null, now: string): Promise<void> {
  const ownerId = newMemberId();
  const resource = { schemas: [USER_SCHEMA], userName: email, emails: [{ value: email, type: 'work', primary: true }], active: true };
  const write = { resource, role: 'owner', status: 'active', source: 'manual', version: 1, updatedAt: now, scimLinkedAt: null, deactivatedAt: null, deactivatedBy: null } as const;
  await insertMember(trx, accountId, ownerId, write, { createdAt: now, passwordHash });
  await updateAccount(trx, accountId, { owner_member_id: ownerId });
}

export interface AccountSettings {
  readonly plan?: string | undefined;
  readonly seatLimit?: number | undefined;
  readonly phoneValidation?: string | undefined;
}

/**
 * Changes an account's plan, seat limit or phone rule (operators, e.g. a contract upgrade, or
 * lenient phones for a migration). Lowering the limit below the seats in use is allowed:
 * nobody is deactivated, but no seat can be taken until enough are freed.
 */
export async function updateAccountSettings(database: RosterDatabase, accountId: string, settings: AccountSettings): Promise<AccountRow> {
  const changes: Parameters<typeof updateAccount>[2] = { updated_at: nowIso() };
  if (settings.plan !== undefined) {
    const plan = settings.plan.trim().toLowerCase();
    if (!isPlanCode(plan)) throw new AppError('invalid', `Unknown plan "${settings.plan}". Choose essentials, professional or enterprise.`);
    changes.plan = plan;
  }
  if (settings.seatLimit !== undefined) {
    if (!Number.isInteger(settings.seatLimit) || settings.seatLimit < 1 || settings.seatLimit > 1_000_000) {
      throw new AppError('invalid', 'The seat limit must be a whole number between 1 and 1000000.');
    }
    changes.seat_limit = settings.seatLimit;
  }
  if (settings.phoneValidation !== undefined) {
    if (settings.phoneValidation !== 'strict' && settings.phoneValidation !== 'lenient') {
      throw new AppError('invalid', 'Phone validation must be "strict" (the "<country_prefix> <telephone_number>" rule) or "lenient" (store as sent).');
    }
    changes.phone_validation = settings.phoneValidation;
  }
  await getAccount(database, accountId);
  await updateAccount(database.db, accountId, changes);
  return getAccount(database, accountId);
}

export async function getAccount(database: RosterDatabase, accountId: string): Promise<AccountRow> {
  return requireAccount(database.db, accountId);
}

export async function listAllAccounts(database: RosterDatabase): Promise<AccountRow[]> {
  return listAccounts(database.db);
}
