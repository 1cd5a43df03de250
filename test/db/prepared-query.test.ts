import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type RosterDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { preparedQuery } from '../../src/db/prepared-query.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { recordingDb } from '../helpers/query-recorder.js';

const NOW = '2026-01-01T00:00:00.000Z';
const accountNamed = preparedQuery((db, id: string) => db.selectFrom('accounts').select(['id', 'name']).where('id', '=', id));
const accountsBetween = preparedQuery((db, low: string, high: string, limit: number) =>
  db.selectFrom('accounts').select('id').where('id', '>=', low).where('id', '<=', high).where('plan', '=', 'enterprise').orderBy('id').limit(limit),
);

for (const dialect of DIALECTS) {
  describe(`prepared queries on ${dialect}`, () => {
    let database: TestDatabase;
    let roster: RosterDatabase;

    before(async () => {
      database = await createTestDatabase(dialect);
      roster = openDatabase({ url: database.url });
      await migrateToLatest(roster);
      for (const id of ['a1', 'a2', 'a3', 'a4']) {
        await roster.db.insertInto('accounts').values({ id, name: `name-${id}`, plan: id === 'a3' ? 'essentials' : 'enterprise', seat_limit: 5, phone_validation: 'strict', default_role: 'no_access', owner_member_id: null, created_at: NOW, updated_at: NOW }).execute();
      }
    });
    after(async () => {
      await roster.close();
      await database.drop();
    });

    it('runs with each call\'s values, keeping the constants the builder wrote', async () => {
      assert.deepEqual(await accountNamed(roster.db, 'a2'), [{ id: 'a2', name: 'name-a2' }]);
      assert.deepEqual(await accountNamed(roster.db, 'a4'), [{ id: 'a4', name: 'name-a4' }]);
      assert.deepEqual(await accountNamed(roster.db, 'nope'), []);
      assert.deepEqual((await accountsBetween(roster.db, 'a1', 'a4', 10)).map((r) => r.id), ['a1', 'a2', 'a4']);
      assert.deepEqual((await accountsBetween(roster.db, 'a2', 'a4', 1)).map((r) => r.id), ['a2']);
    });

    it('runs inside the transaction it is given', async () => {
      await roster.db.transaction().execute(async (trx) => {
        await trx.updateTable('accounts').set({ name: 'renamed' }).where('id', '=', 'a1').execute();
        assert.equal((await accountNamed(trx, 'a1'))[0]?.name, 'renamed');
        throw new Error('roll back');
      }).catch((error: unknown) => assert.match(String(error), /roll back/));
      assert.equal((await accountNamed(roster.db, 'a1'))[0]?.name, 'name-a1');
    });

    it('never reads into a transaction that another request has open', async () => {
      let readOutside: Promise<{ name: string }[]> | undefined;
      await roster.db.transaction().execute(async (trx) => {
        await trx.updateTable('accounts').set({ name: 'uncommitted' }).where('id', '=', 'a1').execute();
        readOutside = accountNamed(roster.db, 'a1');
        // Give the outside read every chance to run while the update is still uncommitted.
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      }).catch((error: unknown) => assert.match(String(error), /roll back/));
      assert.equal((await readOutside)?.[0]?.name, 'name-a1');
    });

    it('passes every call through the plugins of a db that has them', async () => {
      const seen: string[] = [];
      const recording = recordingDb(roster.db, (args) => seen.push(args.node.kind));
      await accountNamed(roster.db, 'a2');
      assert.deepEqual(await accountNamed(recording, 'a2'), [{ id: 'a2', name: 'name-a2' }]);
      assert.deepEqual(await accountNamed(recording, 'a4'), [{ id: 'a4', name: 'name-a4' }]);
      assert.deepEqual(seen, ['SelectQueryNode', 'SelectQueryNode']);
    });

    it('refuses a builder that changes a parameter before it reaches the SQL', async () => {
      const lowered = preparedQuery((db, name: string) => db.selectFrom('accounts').select('id').where('name', '=', name.toUpperCase()));
      await assert.rejects(lowered(roster.db, 'x'), /each of its 1 parameters to the SQL unchanged/);
    });
  });
}
