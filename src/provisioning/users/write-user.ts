import type { Db, DialectName } from '../../db/database.js';
import { fitsIndex, isUniqueViolation, MAX_INDEXED_TEXT_BYTES } from '../../db/dialect.js';
import { findMemberByUserName, insertMemberLogged, updateMemberLogged, updateMemberLoggedAtOnce, type MemberWrite } from '../../db/repositories/members-repository.js';
import type { AccountRole, MemberRow, MemberStatus, NewProvisioningEventRow } from '../../db/schema.js';
import { badRequest, ScimError } from '../../scim/errors.js';
import { isJsonObject, type JsonObject } from '../../scim/json.js';
import { nowIso } from '../../shared/clock.js';
import { newMemberId } from '../../shared/member-ids.js';
import { eventRow, type ProvisioningAction } from '../activity-log.js';
import { diffResources } from '../change-diff.js';
import { checkPhoneNumbers } from '../phone-numbers.js';
import type { ScimContext } from '../scim-context.js';
import { claimSeat, takingSeatAtOnce } from '../seats.js';
import { VersionConflict } from '../transactions.js';
import { requestedStatus, storedUserResource } from '../user-mapping.js';

const duplicateUserName = (userName: string) =>
  new ScimError(409, 'uniqueness', `A user with the userName "${userName}" already exists in this account (userNames are compared case-insensitively).`);

/**
 * userName, externalId and email addresses are indexed columns; a value an index entry cannot
 * hold would fail the write on PostgreSQL (dialect.ts MAX_INDEXED_TEXT_BYTES), so it is a 400.
 */
function checkIndexedValues(resource: JsonObject): void {
  const emails = Array.isArray(resource['emails']) ? resource['emails'] : [];
  const indexed: [string, unknown][] = [
    ['userName', resource['userName']],
    ['externalId', resource['externalId']],
    ...emails.map((email, i): [string, unknown] => [`emails[${i}].value`, isJsonObject(email) ? email['value'] : undefined]),
  ];
  for (const [name, value] of indexed) {
    if (typeof value !== 'string' || fitsIndex(value)) continue;
    throw badRequest('invalidValue', `"${name}" is too long: userName, externalId and email addresses may have at most ${MAX_INDEXED_TEXT_BYTES} bytes in UTF-8.`);
  }
}

/** The first state of a member created by SCIM (decision 6: the account's default role). */
export function newScimMemberWrite(resource: JsonObject, status: MemberStatus, role: AccountRole, now: string): MemberWrite {
  const deactivated = status === 'deactivated';
  return {
    resource,
    role,
    status,
    source: 'scim',
    version: 1,
    updatedAt: now,
    scimLinkedAt: now,
    deactivatedAt: deactivated ? now : null,
    deactivatedBy: deactivated ? 'scim' : null,
  };
}

/** A new SCIM member (POST /Users), checked, and its activity entry. */
interface MemberInsert {
  readonly id: string;
  readonly createdAt: string;
  readonly write: MemberWrite;
  readonly entry: NewProvisioningEventRow;
}

function planUserInsert(context: ScimContext, validated: JsonObject): MemberInsert {
  const resource = storedUserResource(validated);
  checkIndexedValues(resource);
  checkPhoneNumbers(resource, context.account.phone_validation);
  const status = requestedStatus(validated, undefined);
  const id = newMemberId();
  const createdAt = nowIso();
  const write = newScimMemberWrite(resource, status, context.account.default_role, createdAt);
  const entry = eventRow(context, {
    action: 'user.created',
    resourceType: 'User',
    resourceId: id,
    targetLabel: String(resource['userName']),
    outcome: 'success',
    httpStatus: 201,
    changes: diffResources(undefined, { ...resource, active: status !== 'deactivated' }),
  });
  return { id, createdAt, write, entry };
}

/** Inserts a SCIM-created member (POST /Users) in a transaction; seat, phone and uniqueness rules apply. */
export async function insertScimUser(trx: Db, dialect: DialectName, context: ScimContext, validated: JsonObject): Promise<MemberRow> {
  const { id, createdAt, write, entry } = planUserInsert(context, validated);
  // A duplicate is a 409 even when the account is full: that is the actual problem.
  if (await findMemberByUserName(trx, context.account.id, String(write.resource['userName']))) throw duplicateUserName(String(write.resource['userName']));
  if (write.status !== 'deactivated') await claimSeat(trx, context.account.id);
  return withUniqueUserName(write, () => insertMemberLogged(trx, dialect, context.account.id, id, write, createdAt, entry));
}

/**
 * insertScimUser outside a transaction, on PostgreSQL: one statement that commits by itself
 * (insertMemberLogged), with no read first. The unique index refuses a duplicate userName while
 * the statement runs, before its commit could refuse a seat, so a duplicate is still a 409 when
 * the account is full.
 */
export async function insertScimUserAtOnce(db: Db, dialect: DialectName, context: ScimContext, validated: JsonObject): Promise<MemberRow> {
  const { id, createdAt, write, entry } = planUserInsert(context, validated);
  return takingSeatAtOnce(db, context.account.id, () => withUniqueUserName(write, () => insertMemberLogged(db, dialect, context.account.id, id, write, createdAt, entry)));
}

function actionFor(current: MemberRow, status: MemberStatus, linking: boolean): ProvisioningAction {
  if (current.status !== 'deactivated' && status === 'deactivated') return 'user.deactivated';
  if (current.status === 'deactivated' && status !== 'deactivated') return 'user.reactivated';
  return linking ? 'user.linked' : 'user.updated';
}

/** What a PUT or PATCH writes to an existing member. */
interface MemberUpdate {
  readonly write: MemberWrite;
  readonly entry: NewProvisioningEventRow;
  /** A reactivation: it takes a seat. */
  readonly takesSeat: boolean;
}

/**
 * The new state of an existing member that a PUT or PATCH asks for, checked; `undefined` when it
 * changes nothing, so that nothing is written and `meta.lastModified` and `meta.version` stay
 * (RFC 7644 §3.5.2). The first SCIM write to a manually created member links it (decision 2).
 */
function planUserUpdate(context: ScimContext, current: MemberRow, validated: JsonObject, httpStatus: number): MemberUpdate | undefined {
  const resource = storedUserResource(validated);
  const status = requestedStatus(validated, current.status);
  const linking = current.source !== 'scim';
  const before = JSON.parse(current.resource) as JsonObject;
  const changes = diffResources({ ...before, active: current.status !== 'deactivated' }, { ...resource, active: status !== 'deactivated' });
  if (changes.length === 0 && !linking) return undefined;
  checkIndexedValues(resource);
  checkPhoneNumbers(resource, context.account.phone_validation);
  if (status === 'deactivated' && current.role === 'owner') {
    throw new ScimError(400, 'mutability', `${current.user_name} is the account owner and cannot be deactivated by the identity provider. Transfer ownership in Roster first.`);
  }
  const now = nowIso();
  const write: MemberWrite = {
    resource,
    role: current.role,
    status,
    source: 'scim',
    version: current.version + 1,
    updatedAt: now,
    scimLinkedAt: current.scim_linked_at ?? now,
    deactivatedAt: status === 'deactivated' ? (current.deactivated_at ?? now) : null,
    deactivatedBy: status === 'deactivated' ? (current.deactivated_by ?? 'scim') : null,
  };
  const entry = eventRow(context, {
    action: actionFor(current, status, linking),
    resourceType: 'User',
    resourceId: current.id,
    targetLabel: String(resource['userName']),
    outcome: 'success',
    httpStatus,
    changes,
  });
  return { write, entry, takesSeat: current.status === 'deactivated' && status !== 'deactivated' };
}

/** `write`, with a taken userName answered as SCIM's 409. */
async function withUniqueUserName<T>(write: MemberWrite, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateUserName(String(write.resource['userName']));
    throw error;
  }
}

/** Writes a new state of an existing member (PUT and PATCH) in a transaction and returns the member as it now is. */
export async function updateScimUser(trx: Db, dialect: DialectName, context: ScimContext, current: MemberRow, validated: JsonObject, httpStatus: number): Promise<MemberRow> {
  const update = planUserUpdate(context, current, validated, httpStatus);
  if (!update) return current;
  if (update.takesSeat) await claimSeat(trx, context.account.id);
  const updated = await withUniqueUserName(update.write, () => updateMemberLogged(trx, dialect, current, update.write, update.entry));
  if (!updated) throw new VersionConflict();
  return updated;
}

/**
 * updateScimUser outside a transaction, on PostgreSQL: one statement that commits by itself, if
 * the member is still as `current` was read (updateMemberLoggedAtOnce). A reactivation reads no
 * seat count first; the commit refuses a seat past the limit. `undefined`: nothing was written.
 */
export async function updateScimUserAtOnce(db: Db, context: ScimContext, current: MemberRow, validated: JsonObject, httpStatus: number): Promise<MemberRow | undefined> {
  const update = planUserUpdate(context, current, validated, httpStatus);
  if (!update) return current;
  return takingSeatAtOnce(db, context.account.id, () => withUniqueUserName(update.write, () => updateMemberLoggedAtOnce(db, current, update.write, update.entry)));
}
