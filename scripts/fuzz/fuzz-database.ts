import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A throw-away database for one fuzz run; `drop` removes it. */
export interface FuzzDatabase {
  readonly url: string;
  readonly dialect: 'sqlite' | 'postgres';
  drop(): Promise<void>;
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

/**
 * `sqlite` → a file in a temp directory; a `postgres://` server URL → a fresh database
 * `roster_fuzz_<random>` on that server (never the database named in the URL itself).
 */
export async function createFuzzDatabase(target: string): Promise<FuzzDatabase> {
  if (target === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'roster-fuzz-'));
    return { url: join(dir, 'roster.db'), dialect: 'sqlite', drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = new URL(target);
  if (!/^postgres(ql)?:$/.test(admin.protocol)) throw new Error(`--db must be "sqlite" or a postgres:// URL, got "${target}"`);
  if (admin.pathname === '' || admin.pathname === '/') admin.pathname = '/postgres';
  const name = `roster_fuzz_${randomBytes(5).toString('hex')}`;
  await withClient(admin.toString(), (client) => client.query(`create database ${name}`));
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dialect: 'postgres',
    drop: () => withClient(admin.toString(), (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
