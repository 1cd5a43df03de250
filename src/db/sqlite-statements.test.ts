import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { withStatementCache } from './sqlite-statements.js';

/** A database with a few rows, its cached statements, and better-sqlite3's own row objects to compare with. */
function fixture() {
  const sqlite = new SqliteDatabase(':memory:');
  sqlite.exec(`create table people (id integer primary key, name text, note text, score real);
    insert into people (name, note, score) values ('Ada', null, 1.5), ('Grace', 'n"o\\te', 2), ('Émilie', '', -3)`);
  let writes = 0;
  const cache = withStatementCache(sqlite, () => (writes += 1));
  const native = (text: string, parameters: unknown[] = []) => sqlite.prepare(text).all(parameters);
  return { sqlite, cache, native, writes: () => writes };
}

describe('cached SQLite statements', () => {
  it('read rows as the same objects better-sqlite3 makes, key order included', () => {
    const { cache, native } = fixture();
    for (const [text, parameters] of [
      ['select * from people order by id', []],
      ['select id, name as label, score * 2 as doubled from people where id > ? order by id', [1]],
      // Two columns of one name: the later value wins, as in better-sqlite3's objects.
      ['select a.id, b.id from people a join people b on b.id = a.id + 1', []],
      ['select id from people where id < 0', []],
      ['select 1 as "quote""d", 2 as "back\\slash"', []],
    ] as const) {
      const rows = cache.prepare(text).all(parameters);
      assert.deepEqual(rows, native(text, [...parameters]), text);
      assert.deepEqual(rows.map((row) => Object.keys(row as object)), native(text, [...parameters]).map((row) => Object.keys(row as object)), text);
    }
  });

  // better-sqlite3's own objects take such a column as a prototype (and drop it).
  it('an alias named __proto__ is a property, not the prototype', () => {
    const { cache } = fixture();
    const [row] = cache.prepare('select 1 as "__proto__"').all([]) as Record<string, unknown>[];
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
    assert.ok(Object.hasOwn(row ?? {}, '__proto__'));
  });

  it('iterate yields the same objects as all', () => {
    const { cache, native } = fixture();
    assert.deepEqual([...cache.prepare('select id, name from people order by id desc').iterate([])], native('select id, name from people order by id desc'));
  });

  it('a cached select * follows a column added after it was first run', () => {
    const { sqlite, cache, native } = fixture();
    cache.prepare('select * from people order by id').all([]);
    sqlite.exec("alter table people add column team text default 'crew'");
    const rows = cache.prepare('select * from people order by id').all([]);
    assert.deepEqual(rows, native('select * from people order by id'));
    assert.equal((rows[0] as Record<string, unknown>)['team'], 'crew');
  });

  it('writes run and report changes, and only statements that may write end the shared read', () => {
    const { cache, native, writes } = fixture();
    cache.prepare('select count(*) as n from people').all([]);
    assert.equal(writes(), 0);
    const result = cache.prepare('update people set score = score + 1 where id = ?').run([2]);
    assert.equal(result.changes, 1);
    assert.equal(writes(), 1);
    const returned = cache.prepare('insert into people (name) values (?) returning id, name').all(['Hedy']);
    assert.deepEqual(returned, [{ id: 4, name: 'Hedy' }]);
    assert.equal(writes(), 2, 'INSERT … RETURNING is a reader that writes');
    assert.deepEqual(native('select score from people where id = 2'), [{ score: 3 }]);
  });
});
