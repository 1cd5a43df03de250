import { createAccountsModule } from './accounts/accounts-module.js';
import { DEFAULT_RATE_LIMITS, type Config } from './config.js';
import { openDatabase, type RosterDatabase } from './db/database.js';
import { ping } from './db/dialect.js';
import { migrateToLatest } from './db/migrate.js';
import type { RateLimitOptions } from './http/scim/rate-limit.js';
import { buildServer } from './http/server.js';
import { createAdminModules } from './provisioning/admin-modules.js';
import { createProvisioningModule } from './provisioning/provisioning-module.js';

/**
 * The composition root: the only module that wires the database, the features and the
 * HTTP layer together.
 */
export interface Roster {
  readonly database: RosterDatabase;
  readonly accounts: ReturnType<typeof createAccountsModule>;
  readonly provisioning: ReturnType<typeof createProvisioningModule>;
}

export async function openRoster(config: Pick<Config, 'databaseUrl' | 'databasePoolSize'>): Promise<Roster> {
  const database = openDatabase({ url: config.databaseUrl, poolSize: config.databasePoolSize });
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, accounts: createAccountsModule(database), provisioning: createProvisioningModule(database) };
}

/** Options of the HTTP server; rate limits default to DEFAULT_RATE_LIMITS, counted in process unless `redisUrl` is set. */
export type ServerConfig = Pick<Config, 'publicUrl' | 'bodyLimitBytes'> & {
  logLevel: string | false;
  rateLimit?: Omit<RateLimitOptions, 'redisUrl'>;
  redisUrl?: string | undefined;
};

export async function buildRosterServer(roster: Roster, config: ServerConfig) {
  return buildServer(
    { accounts: roster.accounts, provisioning: roster.provisioning, admin: createAdminModules(roster.database), checkReady: () => ping(roster.database.db) },
    {
      publicUrl: config.publicUrl,
      bodyLimitBytes: config.bodyLimitBytes,
      logLevel: config.logLevel,
      rateLimit: { ...(config.rateLimit ?? DEFAULT_RATE_LIMITS), redisUrl: config.redisUrl },
    },
  );
}
