import { after, before, describe } from 'node:test';
import { buildRosterServer, openRoster, type Roster } from '../../src/app.js';
import type { DialectName } from '../../src/db/database.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './databases.js';

/** A Roster server listening on loopback with its own fresh database. */
export interface TestServer {
  readonly dialect: DialectName;
  /** Where the server really listens (loopback). */
  readonly url: string;
  readonly roster: Roster;
  /** Creates an account (Enterprise by default) and returns its id and first API key. */
  createAccount(options?: { plan?: string; seats?: number; name?: string; ownerEmail?: string }): Promise<TestAccount>;
}

export interface TestAccount {
  readonly accountId: string;
  readonly apiKey: string;
  readonly owner?: { readonly email: string; readonly password: string };
}

let accountCounter = 0;

/** The PUBLIC_URL of test servers: meta.location and Location headers start with it. */
export const TEST_PUBLIC_URL = 'https://roster.test';

export async function startTestServer(dialect: DialectName, env: { bodyLimitBytes?: number } = {}): Promise<TestServer & { close(): Promise<void> }> {
  const database: TestDatabase = await createTestDatabase(dialect);
  const roster = await openRoster({ databaseUrl: database.url, databasePoolSize: 5 });
  const app = await buildRosterServer(roster, { publicUrl: TEST_PUBLIC_URL, bodyLimitBytes: env.bodyLimitBytes ?? 1_048_576, logLevel: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    dialect,
    url,
    roster,
    async createAccount(options = {}) {
      accountCounter += 1;
      const created = await roster.accounts.createAccount({
        name: options.name ?? `Account ${accountCounter}`,
        plan: options.plan ?? 'enterprise',
        seatLimit: options.seats,
        ownerEmail: options.ownerEmail,
      });
      return { accountId: created.account.id, apiKey: created.apiKey, ...(created.owner ? { owner: created.owner } : {}) };
    },
    async close() {
      await app.close();
      await roster.database.close();
      await database.drop();
    },
  };
}

/**
 * Runs `suite` once per dialect (SQLite file and PostgreSQL database), each against its own
 * server on loopback. `server()` is valid inside tests.
 */
export function describeEachDatabase(title: string, suite: (server: () => TestServer) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${title} [${dialect}]`, () => {
      let current: (TestServer & { close(): Promise<void> }) | undefined;
      before(async () => {
        current = await startTestServer(dialect);
      });
      after(async () => {
        await current?.close();
      });
      suite(() => {
        if (!current) throw new Error('test server not started');
        return current;
      });
    });
  }
}
