import SqliteDatabase from 'better-sqlite3';
import { openDatabase, type DatabaseOptions, type RosterDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { preparedQuery } from '../../src/db/prepared-query.js';
import { createTestDatabase } from '../helpers/databases.js';

const NOW = '2026-01-01T00:00:00.000Z';

/** Account a1's name, read the way GET /Users/{id} reads (a prepared statement, the direct reader). */
export const nameOf = preparedQuery((db, id: string) => db.selectFrom('accounts').select('name').where('id', '=', id));

export interface TwoConnections {
  /** Roster's connection, holding account a1 named 'first'. */
  readonly roster: RosterDatabase;
  /** Another connection to the same file: the CLI, or another worker. SQLite locks it against Roster's as it would another process. */
  readonly other: SqliteDatabase.Database;
  close(): Promise<void>;
}

/** A fresh SQLite file opened by Roster (with `options`) and by a second connection. */
export async function twoConnections(options: Omit<DatabaseOptions, 'url'> = {}): Promise<TwoConnections> {
  const database = await createTestDatabase('sqlite');
  const roster = openDatabase({ ...options, url: database.url });
  await migrateToLatest(roster);
  await roster.db.insertInto('accounts').values({ id: 'a1', name: 'first', plan: 'enterprise', seat_limit: 5, phone_validation: 'strict', default_role: 'no_access', owner_member_id: null, created_at: NOW, updated_at: NOW }).execute();
  const other = new SqliteDatabase(database.url);
  return {
    roster,
    other,
    async close() {
      other.close();
      await roster.close();
      await database.drop();
    },
  };
}
