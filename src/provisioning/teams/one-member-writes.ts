import type { Db, RosterDatabase } from '../../db/database.js';
import { fitsIndex, isRetryableConflict } from '../../db/dialect.js';
import { directWriterOf } from '../../db/prepared-query.js';
import { changeMembershipsLogged, changeOneMembershipDirectly, changeOneMembershipLogged, MemberVanishedError } from '../../db/repositories/memberships-repository.js';
import { writesLogThemselves } from '../../db/repositories/provisioning-events-repository.js';
import type { NewProvisioningEventRow } from '../../db/schema.js';
import { KeyedBatcher } from '../../shared/keyed-batcher.js';
import { nowIso } from '../../shared/clock.js';
import { eventRow } from '../activity-log.js';
import type { ScimContext } from '../scim-context.js';
import { lockWaitExhausted } from '../transactions.js';
import { membershipChange, type OneMemberChange } from './membership-changes.js';

/** One membership PATCH as it is written: the change, its time and its activity entry. */
interface OneMemberWrite {
  readonly accountId: string;
  readonly teamId: string;
  readonly change: OneMemberChange;
  readonly at: string;
  readonly event: NewProvisioningEventRow;
}

/**
 * What a write did: the team's version afterwards (advanced, or as it was for a re-sent add or
 * a remove of a non-member); `refused` when nothing was written because the team is not a
 * SCIM-managed team of the account (none, deleted, or not yet linked), the foreign key refused
 * the member (unknown, of another account, or deleted since), or PostgreSQL aborted the
 * statement as a deadlock: the caller's transaction then answers; or the error of its
 * statement, which fails that PATCH (and not those of the batch whose statements committed).
 */
type Written = number | 'refused' | { readonly failed: unknown };

/** PATCHes of one team that one batch takes at most. */
const MAX_BATCH = 64;

/**
 * Every change of a team's members advances the team's version, and on PostgreSQL a row's
 * update holds its lock until the commit is flushed to disk. Parallel one-member PATCHes of one
 * team (okta.md §7.4; the benchmark's 8 connections) therefore queued on the team's row for a
 * WAL flush each: 1,100–1,300 a second on the benchmark's machine, and 1,850–2,150 with the
 * version update left out (bench/README.md, finding 39). So PATCHes of one team that arrive
 * while an earlier one is being written wait for it and are written together: their changes,
 * their entries and the team's version in one statement, so one flush under the team's lock for
 * all of them. Each PATCH still gets its own version (the team's versions step by one per
 * change, as if written one by one). A lone PATCH waits for nothing. Batches are per Roster
 * process: another instance's PATCHes of the team queue on the row lock as before.
 */
const batchers = new WeakMap<Db, KeyedBatcher<OneMemberWrite, Written>>();

function batcherOf(db: Db): KeyedBatcher<OneMemberWrite, Written> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new KeyedBatcher((_key, writes) => writeTogether(db, writes), MAX_BATCH);
    batchers.set(db, batcher);
  }
  return batcher;
}

/**
 * A one-member change of a team without `If-Match` (okta.md §7.3: how Okta and Entra push
 * membership), written only if the team is SCIM-managed: a no-op (no entry, same version) for a
 * re-sent add or a remove of a non-member. Neither the team nor the member of an add is read
 * before the write: the write reads the team (bench/README.md, finding 48), and the membership's
 * foreign key to (account, member) refuses an id that is not a member of this account (finding
 * 37). On PostgreSQL one statement, shared by the team's PATCHes that arrive meanwhile; on
 * SQLite one synchronous transaction (finding 49). Returns the team's version afterwards, or
 * `undefined` when nothing was written (see Written), the id is too long to be a member's, or
 * the database has neither way: the caller's transaction then answers, with the 404 of an
 * unknown team, the link of a team not yet SCIM-managed, or the 400 naming an unknown member,
 * as applyMemberChanges gives it.
 */
export async function changeOneMember(database: RosterDatabase, context: ScimContext, teamId: string, change: OneMemberChange, httpStatus: number): Promise<number | undefined> {
  // An id longer than an index entry can hold is no member, and its insert would fail on the
  // index rather than on the key: the transaction's lookup answers the 400.
  if (change.kind === 'add' && !fitsIndex(change.memberId)) return undefined;
  const accountId = context.account.id;
  const action = change.kind === 'add' ? 'group.members_added' : 'group.members_removed';
  // No target label: the write labels the entry with the team's name.
  const event = eventRow(context, { action, resourceType: 'Group', resourceId: teamId, targetLabel: null, outcome: 'success', httpStatus, changes: membershipChange([change.memberId]) });
  const { db } = database;
  if (writesLogThemselves(database.dialect)) {
    const written = await batcherOf(db).submit(`${accountId}/${teamId}`, { accountId, teamId, change, at: nowIso(), event });
    if (written === 'refused') return undefined;
    if (typeof written === 'number') return written;
    throw written.failed;
  }
  const writer = directWriterOf(db);
  if (!writer) return undefined;
  try {
    const outcome = await changeOneMembershipDirectly(db, writer, accountId, teamId, { kind: change.kind, memberId: change.memberId, at: nowIso(), event });
    return outcome?.version ?? outcome?.current;
  } catch (error) {
    if (error instanceof MemberVanishedError) return undefined;
    throw lockWaitExhausted(error) ?? error;
  }
}

/**
 * The writes of one batch: each run of writes of distinct members in one statement (a member
 * named twice starts a new run, since a statement's adds and removes are sets); a run of one by
 * the single-member statement, whose text is compiled once and has no arrays: a lone PATCH then
 * costs Roster 85–103 µs of CPU for its write instead of 154–159 (2,000 in a row, measured
 * against a benchmark database). A run the database refuses (see Written) is refused as a whole,
 * and each of its PATCHes then takes the transactional path by itself, where one PATCH's unknown
 * member is its own 400 and not its neighbours'.
 */
async function writeTogether(db: Db, writes: readonly OneMemberWrite[]): Promise<Written[]> {
  const written: Written[] = [];
  for (const run of runsOfDistinctMembers(writes)) {
    try {
      written.push(...(await writeRun(db, run)));
    } catch (error) {
      // Also a deadlock with a transaction that locked the team first (a PUT).
      const refused = error instanceof MemberVanishedError || isRetryableConflict(error);
      written.push(...run.map((): Written => (refused ? 'refused' : { failed: error })));
    }
  }
  return written;
}

async function writeRun(db: Db, run: readonly OneMemberWrite[]): Promise<Written[]> {
  const [first] = run as [OneMemberWrite, ...OneMemberWrite[]];
  const { accountId, teamId } = first;
  if (run.length === 1) {
    const { change, at, event } = first;
    const { version, current } = await changeOneMembershipLogged(db, change.kind, accountId, teamId, change.memberId, at, event);
    return [version ?? current ?? 'refused'];
  }
  const { version: last, current, changed } = await changeMembershipsLogged(db, accountId, teamId, run.map(({ change, at, event }) => ({ kind: change.kind, memberId: change.memberId, at, event })), nowIso());
  if (current === undefined) return run.map((): Written => 'refused');
  // Nothing changed: every PATCH was a no-op.
  if (last === undefined) return run.map((): Written => current);
  // Each change is a version of its own, in arrival order.
  let version = last - changed.size;
  return run.map(({ change }) => (changed.has(change.memberId) ? (version += 1) : version));
}

function runsOfDistinctMembers(writes: readonly OneMemberWrite[]): OneMemberWrite[][] {
  const runs: OneMemberWrite[][] = [];
  let run: OneMemberWrite[] = [];
  const named = new Set<string>();
  for (const write of writes) {
    if (named.has(write.change.memberId)) {
      runs.push(run);
      run = [];
      named.clear();
    }
    named.add(write.change.memberId);
    run.push(write);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
