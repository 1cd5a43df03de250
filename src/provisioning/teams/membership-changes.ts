import type { Db } from '../../db/database.js';
import { deleteMemberships, findMemberIdsInAccount, insertMemberships, listMemberIdsOfTeam, MemberVanishedError } from '../../db/repositories/memberships-repository.js';
import { badRequest } from '../../scim/errors.js';
import type { MemberChanges } from '../../scim/patch/index.js';
import { nowIso } from '../../shared/clock.js';
import { recordEvent } from '../activity-log.js';
import type { ScimContext } from '../scim-context.js';
import { VersionConflict } from '../transactions.js';

/** What a request did to a team's membership. */
export interface MembershipResult {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Ids listed in one activity-log entry; the count is always exact. */
const LOGGED_IDS = 1000;
/** Unknown ids quoted in an error detail (Okta shows it in its task list). */
const QUOTED_IDS = 10;

/**
 * Applies a membership delta to a team. Adds and removes cost O(k) statements for k named ids
 * and never read the member list; only a full replacement (Okta's Push Now, PUT) reads the
 * current ids, since its cost is O(n) by nature. The caller holds the team's row lock, or (a
 * membership-only PATCH, changeMembersOnly) takes it afterwards: with the version update, or
 * on PostgreSQL in the commit (migration 0006).
 * `knownAdds`, when given, is what findAccountMembers answered for `changes.add` before the team
 * was locked: the lookup then does not lengthen the time the team is held (parallel PATCHes of
 * one team queue on that lock, okta.md §7.4). A member deleted since fails the insert, and the
 * retry looks again (addMembers).
 */
export async function applyMemberChanges(
  trx: Db,
  context: ScimContext,
  teamId: string,
  changes: MemberChanges,
  label: string,
  httpStatus: number,
  knownAdds?: ReadonlySet<string>,
): Promise<MembershipResult> {
  const accountId = context.account.id;
  const { toAdd, toRemove } = changes.replaceWith ? await replacementDelta(trx, accountId, teamId, changes.replaceWith) : { toAdd: changes.add, toRemove: changes.remove };
  requireAccountMembers(toAdd, changes.replaceWith || !knownAdds ? await findAccountMembers(trx, accountId, toAdd) : knownAdds);
  // Removing someone who is not in the team is a no-op, like re-adding a member: IdPs resend
  // changes after retries and may remove a user they have just deleted (decision 7).
  const removed = toRemove.length === 0 ? [] : await deleteMemberships(trx, accountId, teamId, toRemove);
  const added = toAdd.length === 0 ? [] : await addMembers(trx, accountId, teamId, toAdd);
  const log = (action: 'group.members_added' | 'group.members_removed', ids: readonly string[]) =>
    recordEvent(trx, context, { action, resourceType: 'Group', resourceId: teamId, targetLabel: label, outcome: 'success', httpStatus, changes: membershipChange(ids) });
  if (added.length > 0) await log('group.members_added', added);
  if (removed.length > 0) await log('group.members_removed', removed);
  return { added, removed };
}

/** One member added or removed: how Okta and Entra push membership (okta.md §7.3, entra-onelogin-jumpcloud.md §3.9). */
export interface OneMemberChange {
  readonly kind: 'add' | 'remove';
  readonly memberId: string;
}

/** The change if `changes` adds or removes exactly one member and does nothing else. */
export function oneMemberChangeOf(changes: MemberChanges): OneMemberChange | undefined {
  const { add, remove } = changes;
  if (changes.replaceWith || add.length + remove.length !== 1) return undefined;
  return add[0] !== undefined ? { kind: 'add', memberId: add[0] } : remove[0] !== undefined ? { kind: 'remove', memberId: remove[0] } : undefined;
}

/** A user or the team deleted between the check and the insert makes the whole request retry (and then fail cleanly). */
async function addMembers(trx: Db, accountId: string, teamId: string, ids: readonly string[]): Promise<string[]> {
  try {
    return await insertMemberships(trx, accountId, teamId, ids, 'scim', nowIso());
  } catch (error) {
    if (error instanceof MemberVanishedError) throw new VersionConflict();
    throw error;
  }
}

async function replacementDelta(trx: Db, accountId: string, teamId: string, replaceWith: readonly string[]): Promise<{ toAdd: string[]; toRemove: string[] }> {
  const current = new Set(await listMemberIdsOfTeam(trx, accountId, teamId));
  const desired = new Set(replaceWith);
  return { toAdd: [...desired].filter((id) => !current.has(id)), toRemove: [...current].filter((id) => !desired.has(id)) };
}

/** Which of `ids` are members of the account (none looked up when there are none). */
export async function findAccountMembers(trx: Db, accountId: string, ids: readonly string[]): Promise<ReadonlySet<string>> {
  return ids.length === 0 ? new Set() : findMemberIdsInAccount(trx, accountId, ids);
}

/**
 * Every id to add must be a member of this account, active or deactivated (a disabled user
 * keeps its group memberships, entra-onelogin-jumpcloud.md §3.7). An id of another account is indistinguishable
 * from an unknown one. One unknown id fails the whole request: nothing partial.
 */
function requireAccountMembers(ids: readonly string[], found: ReadonlySet<string>): void {
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length === 0) return;
  const quoted = unknown.slice(0, QUOTED_IDS).map((id) => `"${id}"`).join(', ');
  const more = unknown.length > QUOTED_IDS ? ` and ${unknown.length - QUOTED_IDS} more` : '';
  const noun = unknown.length === 1 ? 'is not a user' : 'are not users';
  throw badRequest('invalidValue', `${quoted}${more} ${noun} of this account, so the team was not changed. Provision the users first (push them to Roster), then push the group again.`);
}

export function membershipChange(ids: readonly string[]): Record<string, unknown> {
  const listed = ids.slice(0, LOGGED_IDS);
  return { count: ids.length, memberIds: listed, ...(listed.length < ids.length ? { truncated: true } : {}) };
}
