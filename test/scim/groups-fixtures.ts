/**
 * Shared set-up of the Groups suites: accounts with an IdP client, members seeded over SCIM or
 * in bulk, membership and activity-log reads straight from the database, and a second server
 * on the same database whose provisioning counts the SQL statements it issues.
 */
import { randomUUID } from 'node:crypto';
import { buildRosterServer } from '../../src/app.js';
import { insertMemberships } from '../../src/db/repositories/memberships-repository.js';
import { createProvisioningModule } from '../../src/provisioning/provisioning-module.js';
import { scimClient, type ScimClient } from '../helpers/http-client.js';
import { recordingDb } from '../helpers/query-recorder.js';
import { TEST_PUBLIC_URL, type TestServer } from '../helpers/test-server.js';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** The legacy marker Entra puts in Group `schemas` (entra-onelogin-jumpcloud.md §3.9). */
export const ENTRA_GROUP_MARKER = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

export const IDP_HEADERS = {
  okta: { 'user-agent': 'Okta SCIM Client 1.0.0' },
  entra: { 'user-agent': 'Microsoft.Identity.Provisioning.Scim/1.0' },
  onelogin: { 'user-agent': 'OneLogin SCIM' },
  jumpcloud: { 'user-agent': 'JumpCloud SCIM' },
} as const;

export interface Tenant {
  readonly accountId: string;
  readonly apiKey: string;
  readonly idp: keyof typeof IDP_HEADERS;
  readonly client: ScimClient;
}

/** A fresh Enterprise account whose key is used the way `idp` sends requests. */
export async function newTenant(server: TestServer, idp: keyof typeof IDP_HEADERS = 'okta'): Promise<Tenant> {
  const { accountId, apiKey } = await server.createAccount({ seats: 1000 });
  return { accountId, apiKey, idp, client: scimClient(server.url, apiKey, IDP_HEADERS[idp]) };
}

/** Pushes `count` users over SCIM (as an IdP would before pushing groups) and returns their ids. */
export async function pushUsers(tenant: Tenant, count: number, prefix = 'user'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const userName = `${prefix}${i}.${randomUUID().slice(0, 8)}@example.com`;
    const response = await tenant.client.post('/Users', { schemas: [USER_SCHEMA], userName, name: { givenName: 'Test', familyName: `User ${i}` } });
    if (response.status !== 201) throw new Error(`user create failed: ${response.status} ${response.text}`);
    ids.push(response.body.id);
  }
  return ids;
}

/** Creates a group and returns its id (asserting the 201 is left to the flow tests). */
export async function pushGroup(tenant: Tenant, displayName: string, memberIds: readonly string[] = []): Promise<string> {
  const response = await tenant.client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName, members: memberIds.map((value) => ({ value })) });
  if (response.status !== 201) throw new Error(`group create failed: ${response.status} ${response.text}`);
  return response.body.id;
}

/** A PatchOp body. */
export function patchOp(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** The team's member ids as stored, sorted. */
export async function storedMemberIds(server: TestServer, teamId: string): Promise<string[]> {
  const rows = await server.roster.database.db.selectFrom('team_memberships').select('member_id').where('team_id', '=', teamId).execute();
  return rows.map((row) => row.member_id).sort();
}

export async function countStoredMembers(server: TestServer, teamId: string): Promise<number> {
  const row = await server.roster.database.db
    .selectFrom('team_memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The activity log of one resource, oldest first. */
export async function eventsOf(server: TestServer, resourceId: string) {
  const rows = await server.roster.database.db.selectFrom('provisioning_events').selectAll().where('resource_id', '=', resourceId).orderBy('seq').execute();
  return rows.map((row) => ({ ...row, changes: row.changes === null ? null : (JSON.parse(row.changes) as Record<string, unknown>) }));
}

/**
 * Inserts `count` members straight into the database in large batches (for scale tests,
 * where pushing them one by one over HTTP would take minutes). Returns their ids in order.
 */
export async function seedMembers(server: TestServer, accountId: string, count: number, prefix: string): Promise<string[]> {
  const db = server.roster.database.db;
  const now = new Date().toISOString();
  const ids = Array.from({ length: count }, () => randomUUID());
  // These tests are about teams, not seats: the account gets the seats its seeded members take
  // (PostgreSQL refuses a seat past the limit at commit, migration 0005).
  const { seats_used: used, seat_limit: limit } = await db.selectFrom('accounts').select(['seats_used', 'seat_limit']).where('id', '=', accountId).executeTakeFirstOrThrow();
  if (used + count > limit) await db.updateTable('accounts').set({ seat_limit: used + count }).where('id', '=', accountId).execute();
  for (let start = 0; start < count; start += 1000) {
    const rows = ids.slice(start, start + 1000).map((id, offset) => {
      const userName = `${prefix}${start + offset}@example.com`;
      return {
        id,
        account_id: accountId,
        user_name: userName,
        user_name_lower: userName.toLowerCase(),
        external_id: null,
        display_name: null,
        given_name: null,
        family_name: null,
        primary_email: null,
        primary_phone: null,
        role: 'no_access' as const,
        status: 'active' as const,
        source: 'scim' as const,
        resource: JSON.stringify({ userName }),
        password_hash: null,
        version: 1,
        scim_linked_at: now,
        deactivated_at: null,
        deactivated_by: null,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      };
    });
    await db.insertInto('members').values(rows).execute();
  }
  return ids;
}

/** Puts `memberIds` into the team in bulk, through the memberships repository. */
export async function seedMemberships(server: TestServer, accountId: string, teamId: string, memberIds: readonly string[]): Promise<void> {
  await server.roster.database.db.transaction().execute((trx) => insertMemberships(trx, accountId, teamId, memberIds, 'scim', new Date().toISOString()));
}

/** A second server over the same database whose SCIM provisioning records every statement. */
export interface CountingServer {
  readonly url: string;
  /** The tenant's client, sending to this server. */
  clientOf(tenant: Tenant): ScimClient;
  /** Runs `work` and returns the statements provisioning issued meanwhile. */
  record(work: () => Promise<void>): Promise<string[]>;
  close(): Promise<void>;
}

export async function startCountingServer(server: TestServer): Promise<CountingServer> {
  // The operation node of every statement provisioning runs (one per SQL statement).
  const statements: string[] = [];
  const { roster } = server;
  const database = { ...roster.database, db: recordingDb(roster.database.db, (args) => statements.push(JSON.stringify(args.node))) };
  const app = await buildRosterServer({ ...roster, provisioning: createProvisioningModule(database) }, { publicUrl: TEST_PUBLIC_URL, bodyLimitBytes: 4_194_304, logLevel: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    clientOf: (tenant) => scimClient(`http://127.0.0.1:${address.port}`, tenant.apiKey, IDP_HEADERS[tenant.idp]),
    async record(work) {
      const start = statements.length;
      await work();
      return statements.slice(start);
    },
    close: () => app.close(),
  };
}

/** True when a recorded statement reads or writes the membership table. */
export const touchesMemberships = (statement: string): boolean => statement.includes('team_memberships');
