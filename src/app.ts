import { createAccountsModule } from './accounts/accounts-module.js';
import { DEFAULT_RATE_LIMITS, type Config } from './config.js';
import { openDatabase, type RosterDatabase } from './db/database.js';
import { ping } from './db/dialect.js';
import { migrateToLatest } from './db/migrate.js';
import type { RateLimitOptions } from './http/scim/rate-limit.js';
import { NotReady } from './http/health-routes.js';
import { redisProbe, type RedisProbe } from './http/redis-probe.js';
import { buildServer } from './http/server.js';
import { createAdminModules } from './provisioning/admin-modules.js';
import { createProvisioningModule } from './provisioning/provisioning-module.js';
import type { WorkerChannel } from './workers/worker-channel.js';

/**
 * The composition root: the only module that wires the database, the features and the
 * HTTP layer together.
 */
export interface Roster {
  readonly database: RosterDatabase;
  readonly accounts: ReturnType<typeof createAccountsModule>;
  readonly provisioning: ReturnType<typeof createProvisioningModule>;
  /** Set in a worker of `roster serve` with ROSTER_WORKERS > 1. */
  readonly worker?: WorkerChannel | undefined;
}

/** Opens the database (migrating it) and the features. `worker`: this process is one of several workers of `roster serve`. */
export async function openRoster(config: Pick<Config, 'databaseUrl' | 'databasePoolSize'>, worker?: WorkerChannel): Promise<Roster> {
  const database = openDatabase({ url: config.databaseUrl, poolSize: config.databasePoolSize, sharedSqliteFile: worker !== undefined });
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, accounts: createAccountsModule(database, worker?.cacheForgets), provisioning: createProvisioningModule(database), worker };
}

/**
 * Options of the HTTP server; rate limits default to DEFAULT_RATE_LIMITS, counted in Redis when
 * `redisUrl` is set, else by the primary's budgets in a worker, else in this process.
 */
export type ServerConfig = Pick<Config, 'publicUrl' | 'bodyLimitBytes'> & {
  logLevel: string | false;
  rateLimit?: Omit<RateLimitOptions, 'redisUrl'>;
  redisUrl?: string | undefined;
};

export async function buildRosterServer(roster: Roster, config: ServerConfig) {
  const redis = config.redisUrl ? redisProbe(config.redisUrl) : undefined;
  const app = await buildServer(
    { accounts: roster.accounts, provisioning: roster.provisioning, admin: createAdminModules(roster.database, roster.worker?.signIns), checkReady: () => checkDependencies(roster.database, redis) },
    {
      publicUrl: config.publicUrl,
      bodyLimitBytes: config.bodyLimitBytes,
      logLevel: config.logLevel,
      rateLimit: { ...(config.rateLimit ?? DEFAULT_RATE_LIMITS), redisUrl: config.redisUrl, leases: roster.worker?.rateLimitLeases },
    },
  );
  if (redis) {
    app.addHook('onReady', () => redis.firstContact());
    app.addHook('onClose', async () => redis.close());
  }
  return app;
}

/**
 * `/readyz`: PostgreSQL (or SQLite) and, when configured, Redis answer. A Redis outage fails
 * readiness as the operator asked for shared limits, although SCIM keeps being served with
 * per-instance limits meanwhile (README "Running in production").
 */
async function checkDependencies(database: RosterDatabase, redis: RedisProbe | undefined): Promise<void> {
  await ping(database.db).catch((cause: unknown) => {
    throw new NotReady('The database is not reachable.', { cause });
  });
  await redis?.check().catch((cause: unknown) => {
    throw new NotReady('Redis (ROSTER_REDIS_URL) is not reachable: SCIM rate limits are counted per instance until it is back.', { cause });
  });
}
