import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DialectName } from '../../src/db/database.js';

/** The PostgreSQL server the tests use (CI and every machine run one on loopback). */
export const PG_ADMIN_URL = process.env['ROSTER_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const PG_ENABLED = process.env['ROSTER_TEST_PG'] !== 'off';

if (!PG_ENABLED) {
  process.stderr.write('\n*** ROSTER_TEST_PG=off: PostgreSQL suites are SKIPPED. CI never sets this. ***\n\n');
}

export interface TestDatabase {
  readonly dialect: DialectName;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the given dialect: a temp SQLite file or a new PG database. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'roster-test-'));
    return { dialect, url: join(dir, 'roster.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `roster_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    drop: () => withAdminClient((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The dialects every store and HTTP suite runs against. */
export const DIALECTS: readonly DialectName[] = PG_ENABLED ? ['sqlite', 'postgres'] : ['sqlite'];
