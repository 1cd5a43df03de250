import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type RosterDatabase } from '../../src/db/database.js';
import { isSeatLimitViolation } from '../../src/db/dialect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { findAccount } from '../../src/db/repositories/accounts-repository.js';
import { insertMember, lockMember, updateMember } from '../../src/db/repositories/members-repository.js';
import { createTestDatabase, PG_ENABLED, type TestDatabase } from '../helpers/databases.js';
import { activeScimMember, enterpriseAccountRow } from '../helpers/member-writes.js';

const NOW = '2026-01-01T00:00:00.000Z';

// On PostgreSQL the seat counters are updated, and the limit enforced, when a transaction
// commits (migration 0005): requests take no lock on the account while they run, so two of
// them can both see the last seat free, and the second commit must be refused.
describe('seat limit at commit on postgres', { skip: !PG_ENABLED && 'ROSTER_TEST_PG=off' }, () => {
  let database: TestDatabase;
  let roster: RosterDatabase;
  let accounts = 0;

  async function account(seatLimit: number): Promise<string> {
    const id = `acct-seats-${(accounts += 1)}`;
    await roster.db.insertInto('accounts').values(enterpriseAccountRow(id, seatLimit, NOW)).execute();
    return id;
  }
  const seatsUsed = async (accountId: string) => (await findAccount(roster.db, accountId))?.seats_used;

  before(async () => {
    database = await createTestDatabase('postgres');
    roster = openDatabase({ url: database.url });
    await migrateToLatest(roster);
  });
  after(async () => {
    await roster.close();
    await database.drop();
  });

  it('two transactions that both take the last free seat: the first commits, the second is refused and writes nothing', async () => {
    const accountId = await account(1);
    let bothWritten = () => undefined as void;
    const written = new Promise<void>((resolve) => (bothWritten = resolve));
    let count = 0;
    const take = (userName: string) =>
      roster.db.transaction().execute(async (trx) => {
        await insertMember(trx, accountId, userName, activeScimMember(userName, NOW), { createdAt: NOW });
        if ((count += 1) === 2) bothWritten();
        await written;
      });
    const outcomes = await Promise.allSettled([take('first'), take('second')]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(refused.length, 1, 'exactly one of the two commits is refused');
    assert.equal(isSeatLimitViolation((refused[0] as PromiseRejectedResult).reason), true, String((refused[0] as PromiseRejectedResult).reason));
    assert.equal(await seatsUsed(accountId), 1);
    const stored = await roster.db.selectFrom('members').select('id').where('account_id', '=', accountId).execute();
    assert.equal(stored.length, 1, 'the refused member was not stored');
  });

  it('an account over its limit after a downgrade can still free seats, but not take one', async () => {
    const accountId = await account(2);
    for (const userName of ['a', 'b']) await insertMember(roster.db, accountId, userName, activeScimMember(userName, NOW), { createdAt: NOW });
    await roster.db.updateTable('accounts').set({ seat_limit: 1 }).where('id', '=', accountId).execute();
    const setStatus = (id: string, status: 'active' | 'deactivated') =>
      roster.db.transaction().execute(async (trx) => {
        const row = await lockMember(trx, 'postgres', accountId, id);
        assert.ok(row);
        await updateMember(trx, row, { ...activeScimMember(id, NOW), status, version: row.version + 1 });
      });
    await setStatus('a', 'deactivated');
    assert.equal(await seatsUsed(accountId), 1);
    await assert.rejects(setStatus('a', 'active'), (error: unknown) => isSeatLimitViolation(error));
    assert.equal(await seatsUsed(accountId), 1, 'the refused reactivation took no seat');
  });
});
