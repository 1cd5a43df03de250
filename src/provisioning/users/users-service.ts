import type { RosterDatabase } from '../../db/database.js';
import type { MemberRow } from '../../db/schema.js';
import { deleteMember, lockMember } from '../../db/repositories/members-repository.js';
import { touchTeamsOfMember } from '../../db/repositories/teams-repository.js';
import { notFound, ScimError } from '../../scim/errors.js';
import { nowIso } from '../../shared/clock.js';
import type { JsonObject } from '../../scim/json.js';
import { applyPatch } from '../../scim/patch/index.js';
import { userResourceType } from '../../scim/schemas/registry.js';
import { checkUniqueTypes, validateResource } from '../../scim/validate-resource.js';
import { recordEvent } from '../activity-log.js';
import { checkIfMatch } from '../etag.js';
import type { ScimContext } from '../scim-context.js';
import { inSeatTakingTransaction } from '../seats.js';
import { inTransaction } from '../transactions.js';
import { scimUserView, toScimUser, type ScimUserView } from '../user-mapping.js';
import { listTeamRefsOfMember, readUser } from './read-users.js';
import { insertScimUser, updateScimUser } from './write-user.js';

const userNotFound = (id: string) => notFound(`No user with id "${id}" exists in this account.`);

/** POST and PUT bodies: the canonical resource, with one value per `type` (checkUniqueTypes). */
function validateUserBody(body: unknown): JsonObject {
  const validated = validateResource(userResourceType, body);
  checkUniqueTypes(userResourceType, validated);
  return validated;
}

/** POST /Users (RFC 7644 §3.3). A new member is in no team yet, so `groups` is empty. */
export async function createUser(database: RosterDatabase, context: ScimContext, body: unknown): Promise<ScimUserView> {
  const validated = validateUserBody(body);
  const row = await inSeatTakingTransaction(database, context.account.id, (trx) => insertScimUser(trx, database.dialect, context, validated));
  return scimUserView(row, [], context.baseUrl);
}

/** The written member with its teams, read after commit (only when the response shows them). */
async function answerWith(database: RosterDatabase, context: ScimContext, row: MemberRow, withGroups: boolean): Promise<ScimUserView> {
  const teams = withGroups ? await listTeamRefsOfMember(database.db, context.account.id, row.id) : undefined;
  return scimUserView(row, teams, context.baseUrl);
}

/** PUT /Users/{id} (RFC 7644 §3.5.1): replaces the writable attributes. */
export async function replaceUser(database: RosterDatabase, context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, withGroups: boolean): Promise<ScimUserView> {
  const validated = validateUserBody(body);
  const row = await inSeatTakingTransaction(database, context.account.id, async (trx) => {
    const current = await lockMember(trx, database.dialect, context.account.id, id);
    if (!current) throw userNotFound(id);
    checkIfMatch(ifMatch, current.version);
    return updateScimUser(trx, database.dialect, context, current, validated, 200);
  });
  return answerWith(database, context, row, withGroups);
}

/** PATCH /Users/{id} (RFC 7644 §3.5.2): every operation applies, or none. */
export async function patchUser(database: RosterDatabase, context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, withGroups: boolean): Promise<ScimUserView> {
  const row = await inSeatTakingTransaction(database, context.account.id, async (trx) => {
    const current = await lockMember(trx, database.dialect, context.account.id, id);
    if (!current) throw userNotFound(id);
    checkIfMatch(ifMatch, current.version);
    const { meta: _meta, groups: _groups, ...resource } = toScimUser(current, undefined, context.baseUrl);
    const patched = applyPatch(userResourceType, resource, body);
    if (!patched.changed && current.source === 'scim') return current;
    return updateScimUser(trx, database.dialect, context, current, validateResource(userResourceType, patched.resource), 200);
  });
  return answerWith(database, context, row, withGroups);
}

/**
 * DELETE /Users/{id} (decision 7): the member leaves the SCIM view for good — 404 afterwards,
 * userName and seat freed, team memberships gone; the activity log keeps the record.
 */
export async function deleteUser(database: RosterDatabase, context: ScimContext, id: string, ifMatch: string | undefined): Promise<void> {
  await inTransaction(database, async (trx) => {
    const current = await lockMember(trx, database.dialect, context.account.id, id);
    if (!current) throw userNotFound(id);
    checkIfMatch(ifMatch, current.version);
    if (current.role === 'owner') {
      throw new ScimError(400, 'mutability', `${current.user_name} is the account owner and cannot be deleted by the identity provider. Transfer ownership in Roster first.`);
    }
    await touchTeamsOfMember(trx, context.account.id, id, nowIso());
    await deleteMember(trx, context.account.id, id);
    await recordEvent(trx, context, { action: 'user.deleted', resourceType: 'User', resourceId: id, targetLabel: current.user_name, outcome: 'success', httpStatus: 204 });
  });
}

/** GET /Users/{id}: the member as a SCIM User with its teams. */
export async function getUser(database: RosterDatabase, context: ScimContext, id: string, withGroups: boolean): Promise<ScimUserView> {
  const found = await readUser(database.db, context, id, withGroups);
  if (!found) throw userNotFound(id);
  return found;
}
