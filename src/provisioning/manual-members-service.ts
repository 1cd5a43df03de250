import { generatePassword, hashPassword } from '../accounts/passwords.js';
import type { Db, RosterDatabase } from '../db/database.js';
import { isUniqueViolation } from '../db/dialect.js';
import { findAccount } from '../db/repositories/accounts-repository.js';
import { deleteMemberConsoleSessions } from '../db/repositories/console-sessions-repository.js';
import { findMember, insertMember, setMemberPasswordHash, updateMember, type MemberWrite } from '../db/repositories/members-repository.js';
import type { AccountRole, MemberRow, MemberStatus } from '../db/schema.js';
import type { JsonObject } from '../scim/json.js';
import { USER_SCHEMA } from '../scim/schemas/registry.js';
import { AppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { newMemberId } from '../shared/member-ids.js';
import { isValidPhoneNumber } from './phone-numbers.js';
import { findSeatShortage } from './seats.js';

/**
 * What an admin does to members in the console. Manual members are fully editable; members
 * managed by the identity provider (source scim) keep their profile and status from it — only
 * their role is the account's to choose (domain.md §3.4, §5.3). Seats used = invited + active,
 * checked inside the write's transaction after locking the account (decision 1).
 */

/** Roles an admin may give; ownership is transferred, never assigned. */
export type AssignableRole = Exclude<AccountRole, 'owner'>;

export interface ManualMemberInput {
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly phone?: string | null | undefined;
  readonly role: AssignableRole;
}

export type MemberChanges = Partial<ManualMemberInput>;

/** Who acts: the signed-in member. */
export interface Actor {
  readonly accountId: string;
  readonly memberId: string;
}

export interface MemberWriteResult {
  readonly memberId: string;
  /** Set when the member just became an admin without a console password: shown once. */
  readonly initialPassword?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IDP_MANAGED = 'This member is managed by your identity provider: change their name, email, phone and status there. Only the role can be changed in Roster.';

function cleanProfile(input: ManualMemberInput, lenientPhone: boolean): ManualMemberInput {
  const email = input.email.trim();
  const givenName = input.givenName.trim();
  const familyName = input.familyName.trim();
  const phone = input.phone?.trim() || null;
  if (!EMAIL.test(email) || email.length > 254) throw new AppError('invalid', `"${email}" is not an email address.`);
  if (!givenName || !familyName || givenName.length > 100 || familyName.length > 100) throw new AppError('invalid', 'First and last name are required (at most 100 characters each).');
  if (phone && !lenientPhone && !isValidPhoneNumber(phone)) {
    throw new AppError('invalid', `The phone number "${phone}" must read "<country_prefix> <telephone_number>", for example "+41 441234567".`);
  }
  return { email, givenName, familyName, phone, role: input.role };
}

/** The SCIM resource of a manual member (stored without `active`, like SCIM-written ones). */
function manualResource(profile: ManualMemberInput, previous: JsonObject = { schemas: [USER_SCHEMA] }): JsonObject {
  const { phoneNumbers: _phones, ...rest } = previous;
  return {
    ...rest,
    userName: profile.email,
    name: { givenName: profile.givenName, familyName: profile.familyName, formatted: `${profile.givenName} ${profile.familyName}` },
    displayName: `${profile.givenName} ${profile.familyName}`,
    emails: [{ value: profile.email, type: 'work', primary: true }],
    ...(profile.phone ? { phoneNumbers: [{ value: profile.phone, type: 'work', primary: true }] } : {}),
  };
}

/** The console's refusal of an add or reactivation past the limit (same rule as SCIM, seats.ts). */
async function claimSeat(trx: Db, dialect: RosterDatabase['dialect'], accountId: string): Promise<void> {
  const shortage = await findSeatShortage(trx, dialect, accountId);
  if (!shortage) return;
  const { account, planLabel } = shortage;
  throw new AppError(
    'conflict',
    `Seat limit reached: the ${planLabel} plan allows ${account.seat_limit} account users and ${account.seats_used} are in use. Deactivate a user or upgrade the plan.`,
  );
}

async function issuePasswordIfAdmin(trx: Db, accountId: string, memberId: string, role: AccountRole, hasPassword: boolean): Promise<string | undefined> {
  if (role !== 'admin' || hasPassword) return undefined;
  const password = generatePassword();
  await setMemberPasswordHash(trx, accountId, memberId, await hashPassword(password));
  return password;
}

const duplicate = (email: string) => new AppError('conflict', `A member with the email ${email} already exists in this account.`);

/** Adds a manual member as invited (they take a seat at once). */
export async function addManualMember(database: RosterDatabase, actor: Actor, input: ManualMemberInput): Promise<MemberWriteResult> {
  const account = await findAccount(database.db, actor.accountId);
  if (!account) throw new AppError('not_found', 'This account no longer exists.');
  const profile = cleanProfile(input, account.phone_validation === 'lenient');
  const memberId = newMemberId();
  const now = nowIso();
  const write: MemberWrite = { resource: manualResource(profile), role: profile.role, status: 'invited', source: 'manual', version: 1, updatedAt: now, scimLinkedAt: null, deactivatedAt: null, deactivatedBy: null };
  try {
    return await database.db.transaction().execute(async (trx) => {
      await claimSeat(trx, database.dialect, actor.accountId);
      await insertMember(trx, actor.accountId, memberId, write, { createdAt: now });
      const initialPassword = await issuePasswordIfAdmin(trx, actor.accountId, memberId, profile.role, false);
      return { memberId, ...(initialPassword ? { initialPassword } : {}) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate(profile.email);
    throw error;
  }
}

async function requireMember(trx: Db, accountId: string, memberId: string): Promise<MemberRow> {
  const row = await findMember(trx, accountId, memberId);
  if (!row) throw new AppError('not_found', 'No such member in this account.');
  return row;
}

function writeOf(row: MemberRow, changes: Partial<MemberWrite>): MemberWrite {
  return {
    resource: JSON.parse(row.resource) as JsonObject,
    role: row.role,
    status: row.status,
    source: row.source,
    version: row.version + 1,
    updatedAt: nowIso(),
    scimLinkedAt: row.scim_linked_at,
    deactivatedAt: row.deactivated_at,
    deactivatedBy: row.deactivated_by,
    ...changes,
  };
}

async function save(trx: Db, row: MemberRow, write: MemberWrite): Promise<void> {
  if (!(await updateMember(trx, row, write))) {
    throw new AppError('conflict', 'The member was changed at the same time by someone else. Reload and try again.');
  }
}

function checkRoleChange(actor: Actor, row: MemberRow, role: AccountRole | undefined): void {
  if (role === undefined || role === row.role) return;
  if ((role as string) === 'owner') throw new AppError('invalid', 'Ownership cannot be assigned here.');
  if (row.role === 'owner') throw new AppError('forbidden', 'The account owner keeps the owner role. Transfer ownership first.');
  if (row.id === actor.memberId) throw new AppError('forbidden', 'You cannot change your own role; ask another admin or the owner.');
}

function profileChanged(row: MemberRow, changes: MemberChanges): boolean {
  const current = { email: row.user_name, givenName: row.given_name, familyName: row.family_name, phone: row.primary_phone };
  return (Object.keys(current) as (keyof typeof current)[]).some((key) => changes[key] !== undefined && (changes[key] || null) !== current[key]);
}

/** Edits a member: the profile of a manual member, the role of any member but the owner. */
export async function editMember(database: RosterDatabase, actor: Actor, memberId: string, changes: MemberChanges): Promise<MemberWriteResult> {
  const account = await findAccount(database.db, actor.accountId);
  if (!account) throw new AppError('not_found', 'This account no longer exists.');
  try {
    return await database.db.transaction().execute(async (trx) => {
      const row = await requireMember(trx, actor.accountId, memberId);
      checkRoleChange(actor, row, changes.role);
      const touchesProfile = profileChanged(row, changes);
      if (touchesProfile && row.source === 'scim') throw new AppError('forbidden', IDP_MANAGED);
      const role = changes.role ?? row.role;
      let resource = JSON.parse(row.resource) as JsonObject;
      if (touchesProfile) {
        const merged = { email: row.user_name, givenName: row.given_name ?? '', familyName: row.family_name ?? '', phone: row.primary_phone, role: 'no_access' as const, ...changes };
        resource = manualResource(cleanProfile({ ...merged, role: 'no_access' }, account.phone_validation === 'lenient'), resource);
      }
      if (!touchesProfile && role === row.role) return { memberId };
      await save(trx, row, writeOf(row, { resource, role }));
      if (row.role === 'admin' && role !== 'admin') await deleteMemberConsoleSessions(trx, actor.accountId, memberId);
      const initialPassword = await issuePasswordIfAdmin(trx, actor.accountId, memberId, role, row.password_hash !== null);
      return { memberId, ...(initialPassword ? { initialPassword } : {}) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate(changes.email ?? '');
    throw error;
  }
}

function checkStatusChange(actor: Actor, row: MemberRow): void {
  if (row.source === 'scim') throw new AppError('forbidden', 'This member is managed by your identity provider: deactivate or reactivate them there (unassign or assign the app).');
  if (row.role === 'owner') throw new AppError('forbidden', 'The account owner cannot be deactivated.');
  if (row.id === actor.memberId) throw new AppError('forbidden', 'You cannot deactivate yourself.');
}

/** Deactivates a manual member: their seat is freed and their console sessions end. */
export async function deactivateMember(database: RosterDatabase, actor: Actor, memberId: string): Promise<MemberWriteResult> {
  return database.db.transaction().execute(async (trx) => {
    const row = await requireMember(trx, actor.accountId, memberId);
    checkStatusChange(actor, row);
    if (row.status === 'deactivated') return { memberId };
    await save(trx, row, writeOf(row, { status: 'deactivated', deactivatedAt: nowIso(), deactivatedBy: 'admin' }));
    await deleteMemberConsoleSessions(trx, actor.accountId, memberId);
    return { memberId };
  });
}

/** Reactivates a manual member if a seat is free (invited again if they never signed in). */
export async function reactivateMember(database: RosterDatabase, actor: Actor, memberId: string): Promise<MemberWriteResult> {
  return database.db.transaction().execute(async (trx) => {
    const row = await requireMember(trx, actor.accountId, memberId);
    checkStatusChange(actor, row);
    if (row.status !== 'deactivated') return { memberId };
    await claimSeat(trx, database.dialect, actor.accountId);
    const status: MemberStatus = row.last_login_at ? 'active' : 'invited';
    await save(trx, row, writeOf(row, { status, deactivatedAt: null, deactivatedBy: null }));
    return { memberId };
  });
}
