import { usableCpuCount } from './shared/usable-cpus.js';

/** SCIM request limits per fixed window (README "Limits"); 0 turns a limit off. */
export interface RateLimitSettings {
  readonly perKey: number;
  readonly perAccount: number;
  readonly windowSeconds: number;
}

/**
 * Generous for real IdP traffic: Entra's gallery asks for at least 25 requests/s per tenant
 * (entra-onelogin-jumpcloud.md §1) and Okta pushes and imports in bursts; 6,000 per minute is
 * 100/s on average, and a burst may use the whole minute's allowance at once.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = { perKey: 6000, perAccount: 12000, windowSeconds: 60 };

/** The process configuration, parsed once from the environment. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** A SQLite file path or a postgres:// URL. */
  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  /** The externally visible base URL, without trailing slash; used in meta.location. */
  readonly publicUrl: string;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly redisUrl: string | undefined;
  readonly rateLimit: RateLimitSettings;
  /** Processes serving requests (ROSTER_WORKERS; `auto`: one per usable CPU core). */
  readonly workers: number;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}".`);
  return value;
}

/**
 * Workers when ROSTER_WORKERS is not set: one per core, since a single Node.js process serves on
 * one core and, on SQLite, more processes are the only way to use the others (bench/README.md,
 * finding 47). At most four: SQLite commits one transaction at a time, so workers past that add
 * reads only, and each holds its own heap and page cache (80–87 MB of PSS at 100,000 members) and,
 * on PostgreSQL, its own pool of ROSTER_DB_POOL connections.
 */
const MOST_WORKERS_BY_DEFAULT = 4;

/** ROSTER_WORKERS: a whole number, or `auto` for one per usable CPU core; unset, the default above. */
function workersOf(env: NodeJS.ProcessEnv, databaseUrl: string, usableCpus: number): number {
  const raw = env['ROSTER_WORKERS']?.trim().toLowerCase();
  if (raw === 'auto') return usableCpus;
  if (raw === undefined || raw === '') return databaseUrl === ':memory:' ? 1 : Math.min(usableCpus, MOST_WORKERS_BY_DEFAULT);
  return integer(env, 'ROSTER_WORKERS', 1, 1, 64);
}

/** `usableCpus` is for tests; by default the cores this process may use (shared/usable-cpus.ts). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, usableCpus: number = usableCpuCount()): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env['HOST'] || '127.0.0.1';
  const publicUrl = (env['PUBLIC_URL'] || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL such as https://roster.example.com, got "${publicUrl}".`);
  }
  const databaseUrl = env['ROSTER_DB'] || './data/roster.db';
  const workers = workersOf(env, databaseUrl, usableCpus);
  if (workers > 1 && databaseUrl === ':memory:') throw new ConfigError('ROSTER_WORKERS above 1 needs a database the workers can share: a SQLite file or PostgreSQL, not :memory:.');
  return {
    port,
    host,
    databaseUrl,
    databasePoolSize: integer(env, 'ROSTER_DB_POOL', 10, 1, 200),
    publicUrl,
    bodyLimitBytes: integer(env, 'ROSTER_BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
    logLevel: env['LOG_LEVEL'] || 'info',
    redisUrl: env['ROSTER_REDIS_URL'] || undefined,
    rateLimit: {
      perKey: integer(env, 'ROSTER_RATE_LIMIT_PER_KEY', DEFAULT_RATE_LIMITS.perKey, 0, 100_000_000),
      perAccount: integer(env, 'ROSTER_RATE_LIMIT_PER_ACCOUNT', DEFAULT_RATE_LIMITS.perAccount, 0, 100_000_000),
      windowSeconds: integer(env, 'ROSTER_RATE_LIMIT_WINDOW', DEFAULT_RATE_LIMITS.windowSeconds, 1, 86_400),
    },
    workers,
  };
}
