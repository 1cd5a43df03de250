import { createAccountsModule } from './accounts/accounts-module.js';
import type { Config } from './config.js';
import { openDatabase, type RosterDatabase } from './db/database.js';
import { ping } from './db/dialect.js';
import { migrateToLatest } from './db/migrate.js';
import { buildServer } from './http/server.js';

/**
 * The composition root: the only module that wires the database, the features and the
 * HTTP layer together.
 */
export interface Roster {
  readonly database: RosterDatabase;
  readonly accounts: ReturnType<typeof createAccountsModule>;
}

export async function openRoster(config: Pick<Config, 'databaseUrl' | 'databasePoolSize'>): Promise<Roster> {
  const database = openDatabase({ url: config.databaseUrl, poolSize: config.databasePoolSize });
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, accounts: createAccountsModule(database) };
}

export async function buildRosterServer(roster: Roster, config: Pick<Config, 'publicUrl' | 'bodyLimitBytes'> & { logLevel: string | false }) {
  return buildServer(
    { accounts: roster.accounts, checkReady: () => ping(roster.database.db) },
    { publicUrl: config.publicUrl, bodyLimitBytes: config.bodyLimitBytes, logLevel: config.logLevel },
  );
}
