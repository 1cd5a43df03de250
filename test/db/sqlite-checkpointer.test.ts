import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase } from '../helpers/databases.js';

const NOW = '2026-01-01T00:00:00.000Z';

describe('SQLite WAL checkpoints in a worker thread', () => {
  it('copies committed pages into the database file without a checkpoint on the request connection, and stops on close', async () => {
    const database = await createTestDatabase('sqlite');
    const roster = openDatabase({ url: database.url });
    try {
      await migrateToLatest(roster);
      await sleep(500);
      const before = statSync(database.url).size;
      // About 2 MB of WAL: far below the 16,000 pages at which a commit would checkpoint itself.
      for (let batch = 0; batch < 20; batch++) {
        const rows = Array.from({ length: 100 }, (_, i) => ({ id: `a-${batch}-${i}`, name: `Account ${'x'.repeat(800)} ${batch}-${i}`, plan: 'enterprise' as const, seat_limit: 5, phone_validation: 'strict' as const, default_role: 'no_access' as const, owner_member_id: null, created_at: NOW, updated_at: NOW }));
        await roster.db.insertInto('accounts').values(rows).execute();
      }
      let size = statSync(database.url).size;
      for (let waited = 0; size < before + 1_000_000 && waited < 5_000; waited += 100) {
        await sleep(100);
        size = statSync(database.url).size;
      }
      assert.ok(size >= before + 1_000_000, `the database file grew from ${before} to ${size} bytes: the worker copied the WAL into it`);
    } finally {
      await roster.close();
      await database.drop();
    }
  });
});
