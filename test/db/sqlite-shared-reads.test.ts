import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { openDatabase, type RosterDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { preparedQuery } from '../../src/db/prepared-query.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

const NOW = '2026-01-01T00:00:00.000Z';
const nameOf = preparedQuery((db, id: string) => db.selectFrom('accounts').select('name').where('id', '=', id));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

// On SQLite, reads outside transactions share one read transaction per turn of the event loop
// (database.ts, sharedReads). What a client and the CLI rely on must hold regardless.
describe('SQLite reads that share a turn of the event loop', () => {
  let database: TestDatabase;
  let roster: RosterDatabase;
  /** Another connection to the same file: the CLI, or anyone reading the file meanwhile. */
  let other: SqliteDatabase.Database;
  const seenByOther = (id: string) => (other.prepare('select name from accounts where id = ?').get(id) as { name: string } | undefined)?.name;

  before(async () => {
    database = await createTestDatabase('sqlite');
    roster = openDatabase({ url: database.url });
    await migrateToLatest(roster);
    await roster.db.insertInto('accounts').values({ id: 'a1', name: 'first', plan: 'enterprise', seat_limit: 5, phone_validation: 'strict', default_role: 'no_access', owner_member_id: null, created_at: NOW, updated_at: NOW }).execute();
    other = new SqliteDatabase(database.url);
  });
  after(async () => {
    other.close();
    await roster.close();
    await database.drop();
  });

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
    other.prepare('update accounts set name = ? where id = ?').run('from the CLI', 'a1');
    await nextTurn();
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'from the CLI');
  });

  it('leaves no transaction open once the turn ends, so the other connection can checkpoint the whole WAL', async () => {
    await nameOf(roster.db, 'a1');
    await nextTurn();
    const [result] = other.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    assert.deepEqual(result, { busy: 0, log: 0, checkpointed: 0 });
  });
});
