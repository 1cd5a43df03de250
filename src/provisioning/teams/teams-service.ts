import type { Db, RosterDatabase } from '../../db/database.js';
import { countMembersOfTeam } from '../../db/repositories/memberships-repository.js';
import { advanceTeamVersion, deleteTeam as deleteTeamRow, findTeam, lockTeam, teamVersionAdvancesAtCommit } from '../../db/repositories/teams-repository.js';
import type { TeamRow } from '../../db/schema.js';
import { notFound } from '../../scim/errors.js';
import type { JsonObject } from '../../scim/json.js';
import { applyPatchOperations, classifyGroupPatch, type MemberChanges, type PatchOperation } from '../../scim/patch/index.js';
import { groupResourceType } from '../../scim/schemas/registry.js';
import { validateResource } from '../../scim/validate-resource.js';
import { nowIso } from '../../shared/clock.js';
import { recordEvent } from '../activity-log.js';
import { checkIfMatch } from '../etag.js';
import type { ScimContext } from '../scim-context.js';
import { inTransaction, VersionConflict } from '../transactions.js';
import { applyMemberChanges, findAccountMembers, oneMemberChangeOf } from './membership-changes.js';
import { changeOneMember } from './one-member-writes.js';
import { readTeam } from './read-teams.js';
import { memberIdsOf, patchableGroup, storedTeamAttributes, teamAttributesOf, type TeamAttributes } from './team-mapping.js';
import { insertScimTeam, saveTeam } from './write-team.js';

const teamNotFound = (id: string) => notFound(`No group with id "${id}" exists in this account.`);

const NO_MEMBER_CHANGES: MemberChanges = { add: [], remove: [], replaceWith: undefined, removeAll: false };

/** Locks the team for the rest of the transaction and checks `If-Match`. */
async function lockForWrite(database: RosterDatabase, trx: Db, context: ScimContext, id: string, ifMatch: string | undefined): Promise<TeamRow> {
  const current = await lockTeam(trx, database.dialect, context.account.id, id);
  if (!current) throw teamNotFound(id);
  checkIfMatch(ifMatch, current.version);
  return current;
}

/** POST /Groups (RFC 7644 §3.3): a team, with or without members (okta.md §7.1). Returns its id. */
export async function createTeam(database: RosterDatabase, context: ScimContext, body: unknown): Promise<string> {
  const validated = validateResource(groupResourceType, body);
  const attributes = teamAttributesOf(validated);
  const memberIds = memberIdsOf(validated);
  return inTransaction(database, async (trx) => {
    const id = await insertScimTeam(trx, context, attributes);
    await applyMemberChanges(trx, context, id, { ...NO_MEMBER_CHANGES, add: memberIds }, attributes.displayName, 201);
    return id;
  });
}

/**
 * PUT /Groups/{id} (RFC 7644 §3.5.1): name, externalId and the complete member list. Okta's
 * custom apps rename and change members this way; `members: []` or no `members` empties the
 * team (okta.md §7.4).
 */
export async function replaceTeam(database: RosterDatabase, context: ScimContext, id: string, body: unknown, ifMatch: string | undefined): Promise<void> {
  const validated = validateResource(groupResourceType, body);
  const attributes = teamAttributesOf(validated);
  const replaceWith = memberIdsOf(validated);
  await inTransaction(database, async (trx) => {
    const current = await lockForWrite(database, trx, context, id, ifMatch);
    const membership = await applyMemberChanges(trx, context, id, { ...NO_MEMBER_CHANGES, replaceWith }, attributes.displayName, 200);
    await saveTeam(trx, context, current, attributes, isChanged(membership), 200);
  });
}

/**
 * PATCH /Groups/{id} (RFC 7644 §3.5.2): attribute operations go through the PATCH engine on
 * the team without its members; membership operations become an O(k) delta on the relation
 * (classifyGroupPatch). All of it applies, or none. A one-member add or remove without
 * `If-Match` takes a shorter way (changeOneMember): on PostgreSQL a single statement, shared
 * with the other such PATCHes of the team that arrived while one was being written; on SQLite
 * one synchronous transaction.
 * `httpStatus` is the answer the route will give (for the activity log). Returns the team's
 * version afterwards, for a 204's ETag; a 200 reads the whole team for its body, so its version
 * is not read here when the commit advanced it.
 */
export async function patchTeam(
  database: RosterDatabase,
  context: ScimContext,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
  httpStatus: 200 | 204,
): Promise<number | undefined> {
  const plan = classifyGroupPatch(body);
  const membershipOnly = plan.attributeOps.length === 0 && !plan.memberChanges.replaceWith;
  const oneMember = membershipOnly && ifMatch === undefined ? oneMemberChangeOf(plan.memberChanges) : undefined;
  if (oneMember) {
    // Nothing written (an unknown team, one not yet SCIM-managed, an unknown member): the general path answers.
    const version = await changeOneMember(database, context, id, oneMember, httpStatus);
    if (version !== undefined) return version;
  }
  const version = await inTransaction(database, async (trx): Promise<number | typeof AT_COMMIT> => {
    // Before the lock, so that the lookup does not hold up other writes of the team.
    const knownAdds = plan.memberChanges.replaceWith ? undefined : await findAccountMembers(trx, context.account.id, plan.memberChanges.add);
    if (membershipOnly) {
      const changed = await changeMembersOnly(database, trx, context, id, plan.memberChanges, ifMatch, httpStatus, knownAdds);
      if (changed !== undefined) return changed;
    }
    const current = await lockForWrite(database, trx, context, id, ifMatch);
    const attributes = patchedAttributes(current, plan.attributeOps);
    const membership = await applyMemberChanges(trx, context, id, plan.memberChanges, attributes.displayName, httpStatus, knownAdds);
    return saveTeam(trx, context, current, attributes, isChanged(membership), httpStatus);
  });
  if (version !== AT_COMMIT) return version;
  // The commit advanced it: read what it is now (a later write may have advanced it further;
  // a team deleted since has none, and the answer then carries no ETag).
  return httpStatus === 204 ? (await findTeam(database.db, context.account.id, id))?.version : undefined;
}

/** What changeMembersOnly returns when the commit advances the team's version (migration 0006). */
const AT_COMMIT = Symbol('the version advances at commit');

/**
 * A PATCH that only adds or removes members, as Okta and Entra push membership (okta.md §7.3,
 * entra-onelogin-jumpcloud.md §3.9). The team row is not locked before the membership rows and
 * the activity entry are written, so parallel PATCHes of one team (okta.md §7.4) do not queue
 * for the whole request (bench/README.md, findings 23 and 27; docs/decisions/0001-concurrency.md
 * point 3). Its version advances last: on PostgreSQL without `If-Match`, inside the commit
 * (migration 0006), so the row is held only while the commit runs; otherwise with the last
 * statement, `where version =` the one `If-Match` matched. Two changes of one member still queue
 * on its membership row. Returns `undefined`, having written nothing, for a team that is not yet
 * SCIM-managed: its first SCIM write links it (saveTeam), which the general path does.
 */
async function changeMembersOnly(
  database: RosterDatabase,
  trx: Db,
  context: ScimContext,
  id: string,
  changes: MemberChanges,
  ifMatch: string | undefined,
  httpStatus: number,
  knownAdds: ReadonlySet<string> | undefined,
): Promise<number | typeof AT_COMMIT | undefined> {
  const current = await findTeam(trx, context.account.id, id);
  if (!current) throw teamNotFound(id);
  checkIfMatch(ifMatch, current.version);
  if (current.source !== 'scim') return undefined;
  const membership = await applyMemberChanges(trx, context, id, changes, current.display_name, httpStatus, knownAdds);
  if (!isChanged(membership)) return current.version;
  if (ifMatch === undefined && teamVersionAdvancesAtCommit(database.dialect)) return AT_COMMIT;
  // With If-Match the version must still be the one it matched; without, any version advances.
  const version = await advanceTeamVersion(trx, context.account.id, id, nowIso(), ifMatch === undefined ? undefined : current.version);
  // Gone or moved on since the read: the retry reads again and answers 404 or 412.
  if (version === undefined) throw new VersionConflict();
  return version;
}

function patchedAttributes(current: TeamRow, operations: readonly PatchOperation[]): TeamAttributes {
  if (operations.length === 0) return storedTeamAttributes(current);
  const patched = applyPatchOperations(groupResourceType, patchableGroup(current), operations);
  if (!patched.changed) return storedTeamAttributes(current);
  return teamAttributesOf(validateResource(groupResourceType, patched.resource));
}

const isChanged = (membership: { added: readonly string[]; removed: readonly string[] }) => membership.added.length > 0 || membership.removed.length > 0;

/**
 * DELETE /Groups/{id}: the team and its memberships go, the members stay (domain.md decision
 * 4); the activity log keeps the name and the member count.
 */
export async function deleteTeam(database: RosterDatabase, context: ScimContext, id: string, ifMatch: string | undefined): Promise<void> {
  await inTransaction(database, async (trx) => {
    const current = await lockForWrite(database, trx, context, id, ifMatch);
    const memberCount = await countMembersOfTeam(trx, context.account.id, id);
    await deleteTeamRow(trx, context.account.id, id);
    await recordEvent(trx, context, {
      action: 'group.deleted',
      resourceType: 'Group',
      resourceId: id,
      targetLabel: current.display_name,
      outcome: 'success',
      httpStatus: 204,
      changes: { memberCount },
    });
  });
}

/** GET /Groups/{id}, or a write's response: the team as SCIM JSON, with members if asked. */
export async function getTeam(database: RosterDatabase, context: ScimContext, id: string, withMembers: boolean): Promise<{ group: JsonObject; version: number }> {
  const found = await readTeam(database.db, context, id, withMembers);
  if (!found) throw teamNotFound(id);
  return found;
}
