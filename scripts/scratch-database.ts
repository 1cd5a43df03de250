import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throw-away database for one test run, benchmark or fuzz run: a SQLite file in a temp
 * directory, or a fresh database on a PostgreSQL server. `drop` removes it.
 */
export interface ScratchDatabase {
  /** What `ROSTER_DB` is set to. */
  readonly url: string;
  readonly dialect: 'sqlite' | 'postgres';
  /** Where it is, for humans (never the password). */
  readonly label: string;
  drop(): Promise<void>;
}

/** A SQLite file in a new temp directory named `<prefix>-…`; `drop` removes it with its WAL. */
export function createScratchSqlite(prefix: string): ScratchDatabase {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const url = join(dir, 'roster.db');
  return { url, dialect: 'sqlite', label: url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Creates `<prefix>_<random>` on the server `serverUrl` points at (connecting to the database
 * named there, `postgres` when none is) — never touching that database itself — and drops it
 * with FORCE afterwards.
 */
export async function createScratchPostgres(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const admin = new URL(serverUrl);
  if (!/^postgres(ql)?:$/.test(admin.protocol)) throw new Error(`Expected a postgres:// URL, got "${serverUrl}".`);
  if (admin.pathname === '' || admin.pathname === '/') admin.pathname = '/postgres';
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withPostgresClient(admin.toString(), (client) => client.query(`create database ${name}`));
  const target = new URL(admin.toString());
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    dialect: 'postgres',
    label: `${target.protocol}//${target.host}/${name}`,
    drop: () => withPostgresClient(admin.toString(), (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** Runs `work` on one short-lived connection to `url`. */
export async function withPostgresClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
