import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type RosterDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { recordConsoleLogin } from '../../src/db/repositories/console-sessions-repository.js';
import { findMember, insertMember, updateMemberLoggedAtOnce, type MemberWrite } from '../../src/db/repositories/members-repository.js';
import type { MemberRow, NewProvisioningEventRow } from '../../src/db/schema.js';
import { createTestDatabase, PG_ENABLED, type TestDatabase } from '../helpers/databases.js';
import { activeScimMember, enterpriseAccountRow } from '../helpers/member-writes.js';

const ACCOUNT = 'acct-at-once';
const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';

const entryFor = (memberId: string): NewProvisioningEventRow => ({
  account_id: ACCOUNT,
  occurred_at: LATER,
  actor: 'scim',
  idp: null,
  request_id: null,
  method: 'PATCH',
  path: `/scim/v2/Users/${memberId}`,
  resource_type: 'User',
  resource_id: memberId,
  target_label: null,
  action: 'user.updated',
  outcome: 'success',
  http_status: 200,
  scim_type: null,
  detail: null,
  changes: null,
  duration_ms: null,
});

/** The next state of `current` as a PUT would write it: a new title, its own status kept, or other emails. */
function nextOf(current: MemberRow, change: Record<string, unknown>): MemberWrite {
  return { ...activeScimMember(current.user_name, LATER, { ...(JSON.parse(current.resource) as object), ...change }), status: current.status, version: current.version + 1 };
}

// The write of a PUT or PATCH outside a transaction (users-service.ts writeUserAtOnce) trusts a
// read made without a lock: it must write nothing when the member is no longer as read.
describe('a member update outside a transaction, on postgres', { skip: !PG_ENABLED && 'ROSTER_TEST_PG=off' }, () => {
  let database: TestDatabase;
  let roster: RosterDatabase;
  const eventsOf = async (memberId: string) => (await roster.db.selectFrom('provisioning_events').select('seq').where('resource_id', '=', memberId).execute()).length;

  before(async () => {
    database = await createTestDatabase('postgres');
    roster = openDatabase({ url: database.url });
    await migrateToLatest(roster);
    await roster.db.insertInto('accounts').values(enterpriseAccountRow(ACCOUNT, 100, NOW)).execute();
  });
  after(async () => {
    await roster.close();
    await database.drop();
  });

  async function member(id: string, status: MemberRow['status'] = 'active'): Promise<MemberRow> {
    await insertMember(roster.db, ACCOUNT, id, { ...activeScimMember(`${id}@example.com`, NOW, { emails: [{ value: `${id}@example.com` }] }), status }, { createdAt: NOW });
    const row = await findMember(roster.db, ACCOUNT, id);
    assert.ok(row);
    return row;
  }

  it('writes the member and its entry when the member is as read', async () => {
    const read = await member('as-read');
    const written = await updateMemberLoggedAtOnce(roster.db, read, nextOf(read, { title: 'Usher' }), entryFor(read.id));
    assert.equal(written?.version, 2);
    assert.equal((JSON.parse(written?.resource ?? '{}') as { title?: string }).title, 'Usher');
    assert.equal(await eventsOf(read.id), 1);
  });

  it('writes nothing when another write advanced the version after the read', async () => {
    const read = await member('moved');
    assert.ok(await updateMemberLoggedAtOnce(roster.db, read, nextOf(read, { title: 'First' }), entryFor(read.id)));
    assert.equal(await updateMemberLoggedAtOnce(roster.db, read, nextOf(read, { title: 'Second' }), entryFor(read.id)), undefined);
    const stored = await findMember(roster.db, ACCOUNT, read.id);
    assert.equal((JSON.parse(stored?.resource ?? '{}') as { title?: string }).title, 'First');
    assert.equal(await eventsOf(read.id), 1);
  });

  it('writes nothing when a console sign-in made the invited member active after the read (same version)', async () => {
    const read = await member('invited', 'invited');
    await recordConsoleLogin(roster.db, ACCOUNT, read.id, LATER);
    assert.equal(await updateMemberLoggedAtOnce(roster.db, read, nextOf(read, { title: 'Steward' }), entryFor(read.id)), undefined);
    const stored = await findMember(roster.db, ACCOUNT, read.id);
    assert.equal(stored?.status, 'active', 'the sign-in was not undone by the stale read');
    assert.equal(stored?.version, 1);
    assert.equal(await eventsOf(read.id), 0);
  });

  it('leaves a change of emails to the transaction: their rows take more statements', async () => {
    const read = await member('new-email');
    assert.equal(await updateMemberLoggedAtOnce(roster.db, read, nextOf(read, { emails: [{ value: 'other@example.com' }] }), entryFor(read.id)), undefined);
    assert.equal((await findMember(roster.db, ACCOUNT, read.id))?.version, 1);
    assert.equal(await eventsOf(read.id), 0);
  });
});
