import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type RosterDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { lockAccount } from '../../src/db/repositories/accounts-repository.js';
import { insertMember } from '../../src/db/repositories/members-repository.js';
import { insertMemberships } from '../../src/db/repositories/memberships-repository.js';
import { insertTeam, lockTeam } from '../../src/db/repositories/teams-repository.js';
import { createTestDatabase, PG_ENABLED, type TestDatabase } from '../helpers/databases.js';
import { activeScimMember, enterpriseAccountRow } from '../helpers/member-writes.js';

const ACCOUNT = 'acct-locks';
const NOW = '2026-01-01T00:00:00.000Z';
const team = (displayName: string) => ({ displayName, externalId: null, source: 'scim' as const, version: 1, updatedAt: NOW });
/** Whether `write` finishes while `holder` keeps its lock (2 s is ages for one insert). */
async function finishesWhileLocked(roster: RosterDatabase, lock: (trx: RosterDatabase['db']) => Promise<unknown>, write: () => Promise<unknown>): Promise<boolean> {
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked = () => undefined as void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = roster.db.transaction().execute(async (trx) => {
    await lock(trx as unknown as RosterDatabase['db']);
    locked();
    await held;
  });
  await isLocked;
  const outcome = await Promise.race([write().then(() => 'done' as const), new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 2_000))]);
  release();
  await holder;
  return outcome === 'done';
}

// The row locks of writes on PostgreSQL (SQLite runs one transaction at a time). A seat claim
// or a team write holds its row until commit; writes that only reference that row (foreign
// keys) must not queue behind it.
describe('row locks on postgres', { skip: !PG_ENABLED && 'ROSTER_TEST_PG=off' }, () => {
  let database: TestDatabase;
  let roster: RosterDatabase;

  before(async () => {
    database = await createTestDatabase('postgres');
    roster = openDatabase({ url: database.url });
    await migrateToLatest(roster);
    await roster.db.insertInto('accounts').values(enterpriseAccountRow(ACCOUNT, 100, NOW)).execute();
    await insertTeam(roster.db, ACCOUNT, 'team-1', team('Ushers'), NOW);
    await insertMember(roster.db, ACCOUNT, 'member-1', activeScimMember('one@example.com', NOW), { createdAt: NOW });
  });
  after(async () => {
    await roster.close();
    await database.drop();
  });

  it('a seat claim holding the account does not hold up a write that references the account', async () => {
    const created = await finishesWhileLocked(roster, (trx) => lockAccount(trx, 'postgres', ACCOUNT), () => insertTeam(roster.db, ACCOUNT, 'team-2', team('Stewards'), NOW));
    assert.equal(created, true, 'creating a team waited for the seat claim to commit');
  });

  it('a seat claim still waits for another seat claim of the account', async () => {
    const claimed = await finishesWhileLocked(roster, (trx) => lockAccount(trx, 'postgres', ACCOUNT), () => roster.db.transaction().execute((trx) => lockAccount(trx, 'postgres', ACCOUNT)));
    assert.equal(claimed, false, 'two seat claims of one account ran at once');
  });

  it('a team write holding the team does not hold up a row that references the team, but does hold up the next team write', async () => {
    const added = await finishesWhileLocked(roster, (trx) => lockTeam(trx, 'postgres', ACCOUNT, 'team-1'), () =>
      roster.db.transaction().execute(async (trx) => {
        await insertMemberships(trx, ACCOUNT, 'team-1', ['member-1'], 'scim', NOW);
        throw new Error('roll back');
      }).catch((error: unknown) => assert.match(String(error), /roll back/)),
    );
    assert.equal(added, true, 'a membership row waited for the team lock');
    const locked = await finishesWhileLocked(roster, (trx) => lockTeam(trx, 'postgres', ACCOUNT, 'team-1'), () => roster.db.transaction().execute((trx) => lockTeam(trx, 'postgres', ACCOUNT, 'team-1')));
    assert.equal(locked, false, 'two team writes held the team at once');
  });
});
