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
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}".`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env['HOST'] || '127.0.0.1';
  const publicUrl = (env['PUBLIC_URL'] || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL such as https://roster.example.com, got "${publicUrl}".`);
  }
  return {
    port,
    host,
    databaseUrl: env['ROSTER_DB'] || './data/roster.db',
    databasePoolSize: integer(env, 'ROSTER_DB_POOL', 10, 1, 200),
    publicUrl,
    bodyLimitBytes: integer(env, 'ROSTER_BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
    logLevel: env['LOG_LEVEL'] || 'info',
    redisUrl: env['ROSTER_REDIS_URL'] || undefined,
  };
}
