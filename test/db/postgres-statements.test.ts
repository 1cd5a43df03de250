import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type RosterDatabase } from '../../src/db/database.js';
import { createStatementNamer, HOT_AFTER_RUNS, MAX_HOT_TEXTS } from '../../src/db/postgres-statements.js';
import { createTestDatabase, PG_ENABLED, type TestDatabase } from '../helpers/databases.js';

describe('PostgreSQL statement names', () => {
  it('names a text once it has run often, and only then', () => {
    const nameFor = createStatementNamer();
    const runs = Array.from({ length: HOT_AFTER_RUNS + 2 }, () => nameFor('select 1'));
    assert.deepEqual(runs.slice(0, HOT_AFTER_RUNS - 1), Array(HOT_AFTER_RUNS - 1).fill(undefined));
    assert.match(runs[HOT_AFTER_RUNS - 1] ?? '', /^roster_hot_\d+$/);
    assert.equal(new Set(runs.slice(HOT_AFTER_RUNS - 1)).size, 1, 'the same text keeps its name');
    assert.equal(nameFor('select 2'), undefined, 'another text starts from zero');
  });

  it('stops naming new texts at the bound, so a connection holds a bounded number of statements', () => {
    const nameFor = createStatementNamer();
    const hot = (text: string) => Array.from({ length: HOT_AFTER_RUNS }, () => nameFor(text)).at(-1);
    const names = Array.from({ length: MAX_HOT_TEXTS }, (_, i) => hot(`select ${i}`));
    assert.equal(new Set(names).size, MAX_HOT_TEXTS);
    assert.equal(hot('select past the bound'), undefined);
    assert.equal(hot('select 0'), names[0], 'texts named before the bound keep their names');
  });
});

describe('PostgreSQL named statements after a schema change', { skip: !PG_ENABLED && 'ROSTER_TEST_PG=off' }, () => {
  let database: TestDatabase;
  let roster: RosterDatabase;

  before(async () => {
    database = await createTestDatabase('postgres');
    // One connection, so the statement prepared before the change is the one run after it.
    roster = openDatabase({ url: database.url, poolSize: 1 });
    await sql`create table scratch (id int primary key, name text)`.execute(roster.db);
    await sql`insert into scratch values (1, 'one')`.execute(roster.db);
  });
  after(async () => {
    await roster.close();
    await database.drop();
  });

  it('a named statement returns the same row objects as the unnamed first runs, key order included', async () => {
    const read = () =>
      sql<Record<string, unknown>>`select s.id, s.name, null::text as "nothing", 2.5::float8 as "quote""d", '2026-12-05T10:00:00Z'::timestamptz as at, s.id as "__proto__"
        from scratch s, generate_series(1, 3) g where s.id = ${1} order by g`.execute(roster.db);
    const unnamed = (await read()).rows;
    for (let i = 1; i < HOT_AFTER_RUNS; i += 1) await read();
    const named = (await read()).rows;
    assert.equal(named.length, 3);
    assert.deepEqual(named, unnamed);
    assert.deepEqual(named.map((row) => Object.keys(row)), unnamed.map((row) => Object.keys(row)));
    assert.equal(Object.getPrototypeOf(named[0]), Object.prototype, 'a column named __proto__ is a property');
  });

  it('fails one query when another instance adds a column under a prepared select *, then prepares it anew', async () => {
    const read = () => sql<{ id: number; name: string }>`select * from scratch where id = ${1}`.execute(roster.db);
    for (let i = 0; i < HOT_AFTER_RUNS + 1; i += 1) assert.equal((await read()).rows[0]?.name, 'one');
    // What a newer instance's migration does while this one runs.
    const other = openDatabase({ url: database.url, poolSize: 1 });
    await sql`alter table scratch add column added text`.execute(other.db);
    await other.close();
    await assert.rejects(read(), (error: { code?: string }) => error.code === '0A000');
    assert.deepEqual((await read()).rows[0], { id: 1, name: 'one', added: null });
    assert.deepEqual((await read()).rows[0], { id: 1, name: 'one', added: null });
  });
});
