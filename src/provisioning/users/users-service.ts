import type { RosterDatabase } from '../../db/database.js';
import type { MemberRow } from '../../db/schema.js';
import { deleteMember, lockMember } from '../../db/repositories/members-repository.js';
import { writesLogThemselves } from '../../db/repositories/provisioning-events-repository.js';
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
import { listTeamRefsOfMember, readMemberForWrite, readUser } from './read-users.js';
import { insertScimUser, insertScimUserAtOnce, updateScimUser, updateScimUserAtOnce } from './write-user.js';

const userNotFound = (id: string) => notFound(`No user with id "${id}" exists in this account.`);

/** POST and PUT bodies: the canonical resource, with one value per `type` (checkUniqueTypes). */
function validateUserBody(body: unknown): JsonObject {
  const validated = validateResource(userResourceType, body);
  checkUniqueTypes(userResourceType, validated);
  return validated;
}

/**
 * POST /Users (RFC 7644 §3.3). A new member is in no team yet, so `groups` is empty. On
 * PostgreSQL one statement outside a transaction (insertScimUserAtOnce); on SQLite, whose
 * statements cost no round trip, a transaction that reads for a duplicate and a free seat first.
 */
export async function createUser(database: RosterDatabase, context: ScimContext, body: unknown): Promise<ScimUserView> {
  const validated = validateUserBody(body);
  const row = writesLogThemselves(database.dialect)
    ? await insertScimUserAtOnce(database.db, database.dialect, context, validated)
    : await inSeatTakingTransaction(database, context.account.id, (trx) => insertScimUser(trx, database.dialect, context, validated));
  return scimUserView(row, [], context.baseUrl);
}

/** The written member with its teams, read after commit (only when the response shows them). */
async function answerWith(database: RosterDatabase, context: ScimContext, row: MemberRow, withGroups: boolean): Promise<ScimUserView> {
  const teams = withGroups ? await listTeamRefsOfMember(database.db, context.account.id, row.id) : undefined;
  return scimUserView(row, teams, context.baseUrl);
}

/** The state a PUT or PATCH asks of a member, from its current one; `undefined` when the request changes nothing. */
type RequestedState = (current: MemberRow) => JsonObject | undefined;

/** PUT /Users/{id} (RFC 7644 §3.5.1): replaces the writable attributes. */
export async function replaceUser(database: RosterDatabase, context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, withGroups: boolean): Promise<ScimUserView> {
  const validated = validateUserBody(body);
  return writeUser(database, context, id, ifMatch, withGroups, () => validated);
}

/** PATCH /Users/{id} (RFC 7644 §3.5.2): every operation applies, or none. */
export async function patchUser(database: RosterDatabase, context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, withGroups: boolean): Promise<ScimUserView> {
  return writeUser(database, context, id, ifMatch, withGroups, (current) => {
    const { meta: _meta, groups: _groups, ...resource } = toScimUser(current, undefined, context.baseUrl);
    const patched = applyPatch(userResourceType, resource, body);
    // A member not yet SCIM-managed is linked even by a PATCH that changes nothing (decision 2).
    if (!patched.changed && current.source === 'scim') return undefined;
    return validateResource(userResourceType, patched.resource);
  });
}

/**
 * A PUT or PATCH of a member. On PostgreSQL it is tried outside a transaction first
 * (writeUserAtOnce). Otherwise, and when that did not write, the member's row is locked, so that
 * concurrent writes of one user queue instead of answering 409 (lockMember).
 */
async function writeUser(database: RosterDatabase, context: ScimContext, id: string, ifMatch: string | undefined, withGroups: boolean, requested: RequestedState): Promise<ScimUserView> {
  if (writesLogThemselves(database.dialect)) {
    const answer = await writeUserAtOnce(database, context, id, ifMatch, withGroups, requested);
    if (answer) return answer;
  }
  const row = await inSeatTakingTransaction(database, context.account.id, async (trx) => {
    const current = await lockMember(trx, database.dialect, context.account.id, id);
    if (!current) throw userNotFound(id);
    checkIfMatch(ifMatch, current.version);
    const validated = requested(current);
    return validated ? updateScimUser(trx, database.dialect, context, current, validated, 200) : current;
  });
  return answerWith(database, context, row, withGroups);
}

/**
 * PostgreSQL, where every statement is a round trip: one read of the member (with the teams its
 * answer lists), then one statement that writes it and its activity entry if it is still as read,
 * and commits by itself. That replaces BEGIN, the row lock, the seat read of a reactivation, the
 * write, COMMIT and the teams' read after it (bench/README.md, finding 40). A member another write
 * changed meanwhile, a change of emails and a member's first SCIM write (its link) answer
 * `undefined`, having written nothing: the locked transaction does those.
 */
async function writeUserAtOnce(database: RosterDatabase, context: ScimContext, id: string, ifMatch: string | undefined, withGroups: boolean, requested: RequestedState): Promise<ScimUserView | undefined> {
  const found = await readMemberForWrite(database.db, context.account.id, id, withGroups);
  if (!found) throw userNotFound(id);
  const current = found.member;
  if (current.source !== 'scim') return undefined;
  checkIfMatch(ifMatch, current.version);
  const validated = requested(current);
  const row = validated ? await updateScimUserAtOnce(database.db, context, current, validated, 200) : current;
  return row && scimUserView(row, found.teams, context.baseUrl);
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
