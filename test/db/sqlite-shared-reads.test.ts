import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RosterDatabase } from '../../src/db/database.js';
import { nameOf, twoConnections, type TwoConnections } from './sqlite-connections.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

// On SQLite, reads outside transactions share one read transaction per turn of the event loop
// (database.ts, sharedReads). What a client and the CLI rely on must hold regardless.
describe('SQLite reads that share a turn of the event loop', () => {
  let connections: TwoConnections;
  let roster: RosterDatabase;
  const seenByOther = (id: string) => (connections.other.prepare('select name from accounts where id = ?').get(id) as { name: string } | undefined)?.name;

  before(async () => {
    connections = await twoConnections();
    roster = connections.roster;
  });
  after(() => connections.close());

  it('a write outside a transaction is committed when it resolves, though a read of the same turn began before it', async () => {
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'first');
    await roster.db.updateTable('accounts').set({ name: 'autocommitted' }).where('id', '=', 'a1').execute();
    assert.equal(seenByOther('a1'), 'autocommitted', 'another connection sees it before the turn ends');
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'autocommitted');
  });

  it('a transaction can begin in a turn that has read, and every read after its commit sees it', async () => {
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'autocommitted');
    await roster.db.transaction().execute(async (trx) => {
      await trx.updateTable('accounts').set({ name: 'in a transaction' }).where('id', '=', 'a1').execute();
    });
    assert.equal(seenByOther('a1'), 'in a transaction');
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'in a transaction');
  });

  it('a commit of another connection is seen from the next turn on', async () => {
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'in a transaction');
    connections.other.prepare('update accounts set name = ? where id = ?').run('from the CLI', 'a1');
    await nextTurn();
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'from the CLI');
  });

  it('leaves no transaction open once the turn ends, so the other connection can checkpoint the whole WAL', async () => {
    await nameOf(roster.db, 'a1');
    await nextTurn();
    const [result] = connections.other.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    assert.deepEqual(result, { busy: 0, log: 0, checkpointed: 0 });
  });
});
