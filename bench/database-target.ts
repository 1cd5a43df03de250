import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A throw-away database for one run: a SQLite file in a temp dir, or a fresh PostgreSQL database. */
export interface DatabaseTarget {
  /** What `ROSTER_DB` is set to. */
  readonly url: string;
  readonly dialect: 'sqlite' | 'postgres';
  /** Where it is, for humans (no password). */
  readonly label: string;
  drop(): Promise<void>;
}

/** A temp-dir SQLite file, removed with its WAL by `drop`. */
export function sqliteTarget(): DatabaseTarget {
  const dir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  const url = join(dir, 'roster.db');
  return { url, dialect: 'sqlite', label: url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Creates `roster_bench_<random>` on the server `serverUrl` points at (connecting to the
 * database named there, `postgres` by default) and drops it (with FORCE) afterwards.
 */
export async function postgresTarget(serverUrl: string): Promise<DatabaseTarget> {
  const admin = new URL(serverUrl);
  if (admin.pathname === '' || admin.pathname === '/') admin.pathname = '/postgres';
  const name = `roster_bench_${randomBytes(4).toString('hex')}`;
  await withClient(admin.toString(), (client) => client.query(`create database ${name}`));
  const target = new URL(admin.toString());
  target.pathname = `/${name}`;
  const label = `${target.protocol}//${target.host}/${name}`;
  return {
    url: target.toString(),
    dialect: 'postgres',
    label,
    drop: () => withClient(admin.toString(), (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
