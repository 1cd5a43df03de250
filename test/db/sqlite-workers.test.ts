import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RosterDatabase } from '../../src/db/database.js';
import { inTransaction } from '../../src/provisioning/transactions.js';
import { ScimError } from '../../src/scim/errors.js';
import { nameOf, twoConnections, type TwoConnections } from './sqlite-connections.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// With ROSTER_WORKERS > 1 several processes serve one SQLite file. `other` stands for another
// worker: a second connection to the file, which SQLite locks against this one as it would
// against another process.
describe('SQLite served by several workers', () => {
  let connections: TwoConnections;
  let roster: RosterDatabase;

  before(async () => {
    connections = await twoConnections({ sharedSqliteFile: true });
    roster = connections.roster;
  });
  after(() => connections.close());

  it("a read sees another worker's commit in the next task, even within the same turn of the event loop", async () => {
    // Two timers due at once run in one turn's timers phase: with a read transaction shared
    // by the whole turn the second would still see 'first' (an IdP's GET right after its POST
    // was answered by the other worker).
    const seen = await new Promise<(string | undefined)[]>((resolve) => {
      const names: (string | undefined)[] = [];
      setTimeout(() => {
        void nameOf(roster.db, 'a1').then((rows) => names.push(rows[0]?.name));
        connections.other.prepare('update accounts set name = ? where id = ?').run('from the other worker', 'a1');
      }, 0);
      setTimeout(() => {
        void nameOf(roster.db, 'a1').then((rows) => {
          names.push(rows[0]?.name);
          resolve(names);
        });
      }, 0);
    });
    assert.deepEqual(seen, ['first', 'from the other worker']);
  });

  it("a write transaction waits for another worker's write lock without blocking the event loop, then commits", async () => {
    connections.other.exec('begin immediate');
    connections.other.prepare('update accounts set name = ? where id = ?').run('held by the other worker', 'a1');
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    const write = roster.db.transaction().execute(async (trx) => {
      const [row] = await trx.selectFrom('accounts').select('name').where('id', '=', 'a1').execute();
      await trx.updateTable('accounts').set({ name: `${row?.name} → this worker` }).where('id', '=', 'a1').execute();
    });
    await sleep(60);
    connections.other.exec('commit');
    await write;
    clearInterval(ticker);
    assert.ok(ticks >= 5, `the event loop ran timers while the write waited (${ticks})`);
    // It read after the other commit, because BEGIN IMMEDIATE took the lock before its read.
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'held by the other worker → this worker');
  });

  it('a statement outside a transaction waits for the write lock as well', async () => {
    connections.other.exec('begin immediate');
    const write = roster.db.updateTable('accounts').set({ name: 'autocommitted' }).where('id', '=', 'a1').execute();
    await sleep(20);
    connections.other.exec('commit');
    await write;
    assert.equal((connections.other.prepare('select name from accounts where id = ?').get('a1') as { name: string }).name, 'autocommitted');
  });

  it('gives up after five seconds with SQLITE_BUSY', async () => {
    connections.other.exec('begin immediate');
    const started = Date.now();
    await assert.rejects(
      roster.db.transaction().execute(async (trx) => trx.updateTable('accounts').set({ name: 'never' }).where('id', '=', 'a1').execute()),
      (error: { code?: string }) => error.code === 'SQLITE_BUSY',
    );
    connections.other.exec('rollback');
    assert.ok(Date.now() - started >= 4_900);
    assert.equal((await nameOf(roster.db, 'a1'))[0]?.name, 'autocommitted', 'nothing was written');
  });

  it('a provisioning write whose wait ran out answers 409 at once, without waiting another 5 s per retry', async () => {
    connections.other.exec('begin immediate');
    const started = Date.now();
    await assert.rejects(
      inTransaction(roster, async (trx) => trx.updateTable('accounts').set({ name: 'never' }).where('id', '=', 'a1').execute()),
      (error: unknown) => error instanceof ScimError && error.status === 409,
    );
    connections.other.exec('rollback');
    assert.ok(Date.now() - started < 9_000, `gave up after ${Date.now() - started} ms`);
  });
});
