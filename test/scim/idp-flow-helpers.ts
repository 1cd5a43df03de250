/**
 * Shared pieces of the IdP contract tests (Entra, OneLogin, JumpCloud): URNs, the request
 * shapes' envelopes, Entra's query encoding and tenant-URL flags, and the assertions every
 * IdP relies on (SCIM error shape, media type).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { scimClient, type ScimClient, type TestResponse } from '../helpers/http-client.js';
import type { TestServer } from '../helpers/test-server.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** User-Agents of the three clients (identifyIdp names them from these). */
export const ENTRA_UA = 'Microsoft Entra ID Provisioning Service (contract test)';
export const ONELOGIN_UA = 'OneLogin SCIM Provisioner (contract test)';
export const JUMPCLOUD_UA = 'JumpCloud SCIM Client (contract test)';

type Operation = { op: string; path?: string; value?: unknown };

/** A PatchOp message (RFC 7644 §3.5.2) with the given operations. */
export function patchOp(...operations: Operation[]): { schemas: string[]; Operations: Operation[] } {
  return { schemas: [PATCH_OP], Operations: operations };
}

/**
 * A query value encoded the way Entra sends it: form-encoded, spaces as `+`, quotes as `%22`
 * (entra-onelogin-jumpcloud.md §1, e.g. `filter=userName+eq+%22a%40b.com%22`).
 */
export function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/** `/Users?filter=…` as Entra writes it. */
export function usersFilter(filter: string, extra = ''): string {
  return `/Users?filter=${formEncode(filter)}${extra}`;
}

/**
 * The admin typed `…/scim/v2?aadOptscim062020` as Tenant URL (§3.6), so every request of the
 * job carries the flag as a query parameter, which the server must ignore (§1, §9).
 */
export function withTenantUrlFlag(scim: ScimClient, flag = 'aadOptscim062020'): ScimClient {
  const flagged = (path: string): string => {
    const q = path.indexOf('?');
    return q < 0 ? `${path}?${flag}` : `${path.slice(0, q)}?${flag}&${path.slice(q + 1)}`;
  };
  return {
    get: (path, options) => scim.get(flagged(path), options),
    post: (path, body, options) => scim.post(flagged(path), body, options),
    put: (path, body, options) => scim.put(flagged(path), body, options),
    patch: (path, body, options) => scim.patch(flagged(path), body, options),
    delete: (path, options) => scim.delete(flagged(path), options),
    send: (method, path, options) => scim.send(method, flagged(path), options),
  };
}

/** Every SCIM response Entra reads must be application/scim+json (§1). */
export function assertScimJson(response: TestResponse): void {
  assert.match(response.headers.get('content-type') ?? '', /^application\/scim\+json/, `content-type of a ${response.status}`);
}

/** RFC 7644 §3.12 error: Error URN, `status` as a string, scimType, an actionable detail. */
export function assertScimError(response: TestResponse, status: number, scimType?: string): void {
  assert.equal(response.status, status, response.text);
  assertScimJson(response);
  assert.deepEqual(response.body.schemas, [ERROR_SCHEMA]);
  assert.equal(response.body.status, String(status));
  assert.equal(typeof response.body.detail, 'string');
  assert.ok(response.body.detail.length > 10, 'detail explains the error');
  if (scimType !== undefined) assert.equal(response.body.scimType, scimType);
}

/** An empty ListResponse, the only correct answer to a filter that matches nothing (§3.1). */
export function assertEmptyList(response: TestResponse): void {
  assert.equal(response.status, 200, response.text);
  assertScimJson(response);
  assert.deepEqual(response.body.schemas, [LIST_RESPONSE]);
  assert.equal(response.body.totalResults, 0);
  assert.deepEqual(response.body.Resources, []);
  assert.equal(response.body.startIndex, 1);
}

/** POSTs a user, asserts 201 and returns the created resource. */
export async function createUser(scim: ScimClient, body: Record<string, unknown>): Promise<TestResponse['body']> {
  const response = await scim.post('/Users', { schemas: [USER_SCHEMA], ...body });
  assert.equal(response.status, 201, response.text);
  assert.equal(typeof response.body.id, 'string');
  return response.body;
}

/** A unique userName in the shape of Entra's test users (`Test_User_<guid>`). */
export function testUserName(domain = 'testuser.com'): string {
  return `Test_User_${randomUUID()}@${domain}`;
}

/** The enterprise extension object of a User resource. */
export function enterpriseOf(user: Record<string, unknown>): Record<string, unknown> | undefined {
  return user[ENTERPRISE] as Record<string, unknown> | undefined;
}

/**
 * Puts a member into a team directly in the database: team membership over SCIM is the Groups
 * issue's, and Entra's rule that a disabled user keeps its memberships concerns the user (§3.7).
 */
export async function addToNewTeam(server: TestServer, accountId: string, memberId: string, displayName: string): Promise<string> {
  const db = server.roster.database.db;
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('teams')
    .values({ id, account_id: accountId, display_name: displayName, display_name_lower: displayName.toLowerCase(), external_id: null, source: 'manual', version: 1, created_at: now, updated_at: now })
    .execute();
  await db.insertInto('team_memberships').values({ account_id: accountId, team_id: id, member_id: memberId, source: 'manual', added_at: now }).execute();
  return id;
}

/** Finds the value of the first element of a multi-valued attribute with the given `type`. */
export function typed(user: Record<string, unknown>, attribute: string, type: string): Record<string, unknown> | undefined {
  const list = user[attribute];
  if (!Array.isArray(list)) return undefined;
  return list.find((e: Record<string, unknown>) => e['type'] === type) as Record<string, unknown> | undefined;
}

/** An Entra provisioning job: a fresh account and a client with Entra's User-Agent (and flag). */
export async function entraJob(server: TestServer, options: { seats?: number; flag?: boolean } = {}) {
  const account = await server.createAccount(options.seats === undefined ? {} : { seats: options.seats });
  const plain = scimClient(server.url, account.apiKey, { 'user-agent': ENTRA_UA });
  return { ...account, scim: options.flag ? withTenantUrlFlag(plain) : plain };
}

/** The tutorial's "Create User" request (MS-TUT, entra-onelogin-jumpcloud.md §3.3). */
export function entraCreateBody(userName: string, email = `${userName.split('@')[0]}@testuser.com`) {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: randomUUID(),
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: email }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
  };
}

/** A user as Entra's create leaves it (work email, names, externalId), plus `extra`. */
export async function provisionedUser(scim: ScimClient, extra: Record<string, unknown> = {}): Promise<TestResponse['body']> {
  return createUser(scim, {
    externalId: randomUUID(),
    userName: testUserName(),
    active: true,
    displayName: 'Joy Young',
    emails: [{ primary: true, type: 'work', value: `joy.${randomUUID().slice(0, 8)}@contoso.com` }],
    name: { familyName: 'Young', givenName: 'Joy' },
    ...extra,
  });
}

/** GET /Users/{id}, asserting 200. */
export async function readUser(scim: ScimClient, id: string): Promise<TestResponse['body']> {
  const response = await scim.get(`/Users/${id}`);
  assert.equal(response.status, 200, response.text);
  return response.body;
}

/** PATCHes, asserts Entra's accepted answer (200 with the resource) and returns the body. */
export async function patchOk(scim: ScimClient, id: string, ...operations: Operation[]): Promise<TestResponse['body']> {
  const response = await scim.patch(`/Users/${id}`, patchOp(...operations));
  assert.equal(response.status, 200, response.text);
  assertScimJson(response);
  assert.equal(response.body.id, id);
  return response.body;
}
