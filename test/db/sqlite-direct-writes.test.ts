import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RosterDatabase } from '../../src/db/database.js';
import { isLockWaitExhausted } from '../../src/db/dialect.js';
import { directStatement, directWriterOf, type DirectWriter } from '../../src/db/prepared-query.js';
import { nameOf, twoConnections, type TwoConnections } from './sqlite-connections.js';

const rename = directStatement((db, id: string, name: string) => db.updateTable('accounts').set({ name }).where('id', '=', id).returning('name'));

// A one-member PATCH on SQLite is a direct write: one synchronous transaction outside Kysely
// (prepared-query.ts, DirectWriter; bench/README.md, finding 49). What it must keep of a Kysely
// transaction: all or nothing, no interleaving with one that is open, and waiting for the lock.
describe('SQLite direct writes', () => {
  let connections: TwoConnections;
  let roster: RosterDatabase;
  let writer: DirectWriter;
  const seenByOther = (id: string) => (connections.other.prepare('select name from accounts where id = ?').get(id) as { name: string } | undefined)?.name;

  before(async () => {
    connections = await twoConnections();
    roster = connections.roster;
    const found = directWriterOf(roster.db);
    assert.ok(found, 'SQLite has a direct writer');
    writer = found;
  });
  after(() => connections.close());

  it('commits what its body wrote, and answers what the body returned', async () => {
    const written = await writer((run) => rename(roster.db, run, 'a1', 'direct'));
    assert.deepEqual(written, { result: [{ name: 'direct' }] });
    assert.equal(seenByOther('a1'), 'direct', 'committed when it resolves');
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'direct');
  });

  it('writes nothing when its body throws, and the connection goes on', async () => {
    await assert.rejects(
      writer((run) => {
        rename(roster.db, run, 'a1', 'half-written');
        throw new Error('the second statement failed');
      }),
      /the second statement failed/,
    );
    assert.equal(seenByOther('a1'), 'direct');
    await roster.db.updateTable('accounts').set({ name: 'after the failure' }).where('id', '=', 'a1').execute();
    assert.equal(seenByOther('a1'), 'after the failure');
  });

  it('runs nothing while a Kysely transaction of this process is open, so that it never writes into one', async () => {
    let answered: unknown = 'not yet';
    await roster.db.transaction().execute(async (trx) => {
      await trx.updateTable('accounts').set({ name: 'in the transaction' }).where('id', '=', 'a1').execute();
      answered = await writer((run) => rename(roster.db, run, 'a1', 'interleaved'));
    });
    assert.equal(answered, undefined);
    assert.equal(seenByOther('a1'), 'in the transaction');
  });

  it('is not offered inside a transaction', async () => {
    await roster.db.transaction().execute(async (trx) => {
      assert.equal(directWriterOf(trx), undefined);
    });
  });

  it('waits without blocking while another process holds the write lock, then writes', async () => {
    const before = seenByOther('a1');
    connections.other.exec('begin immediate');
    const pending = writer((run) => rename(roster.db, run, 'a1', 'after the lock'));
    // The event loop runs on meanwhile: a read is answered, the write is still waiting.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, before);
    connections.other.exec('commit');
    assert.deepEqual(await pending, { result: [{ name: 'after the lock' }] });
    assert.equal(seenByOther('a1'), 'after the lock');
  });

  it('fails as a lock wait that ran out when another process keeps the write lock, having written nothing', async () => {
    connections.other.exec('begin immediate');
    try {
      await assert.rejects(
        writer((run) => rename(roster.db, run, 'a1', 'never')),
        (error: unknown) => isLockWaitExhausted(error),
      );
    } finally {
      connections.other.exec('rollback');
    }
    assert.equal(seenByOther('a1'), 'after the lock');
  });
});
