/**
 * A console API client for tests: signs in like the browser does (cookie + CSRF token) and
 * sends JSON over real HTTP.
 */
import { randomUUID } from 'node:crypto';
import { request, scimClient, type ScimClient, type TestResponse } from '../helpers/http-client.js';
import type { TestServer } from '../helpers/test-server.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface ConsoleClient {
  readonly accountId: string;
  readonly memberId: string;
  readonly cookie: string;
  readonly csrfToken: string;
  get(path: string): Promise<TestResponse>;
  post(path: string, body?: unknown): Promise<TestResponse>;
  patch(path: string, body: unknown): Promise<TestResponse>;
  delete(path: string): Promise<TestResponse>;
}

/** The `name=value` part of the session cookie in a Set-Cookie header. */
export function sessionCookieOf(response: TestResponse): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /roster_session=([^;]*)/.exec(header);
  if (!match) throw new Error(`no session cookie in: ${header}`);
  return `roster_session=${match[1]}`;
}

export async function signInRequest(server: TestServer, email: string, password: string): Promise<TestResponse> {
  return request(server.url, 'POST', '/api/v1/session', { body: { email, password }, headers: { 'content-type': 'application/json' } });
}

/** Signs in and returns a client that sends the cookie and, on writes, the CSRF token. */
export async function signIn(server: TestServer, email: string, password: string): Promise<ConsoleClient> {
  const response = await signInRequest(server, email, password);
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${response.text}`);
  const cookie = sessionCookieOf(response);
  const csrfToken: string = response.body.csrfToken;
  const send = (method: string, path: string, body?: unknown) =>
    request(server.url, method, `/api/v1${path}`, {
      ...(body !== undefined ? { body } : {}),
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }) },
    });
  return {
    accountId: response.body.account.id,
    memberId: response.body.user.id,
    cookie,
    csrfToken,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    patch: (path, body) => send('PATCH', path, body),
    delete: (path) => send('DELETE', path),
  };
}

export interface AdminTenant {
  readonly accountId: string;
  readonly apiKey: string;
  readonly owner: { readonly email: string; readonly password: string };
  readonly console: ConsoleClient;
  readonly scim: ScimClient;
}

/** A fresh account with an owner who is signed in to the console, and an Okta-like SCIM client. */
export async function newAdminTenant(server: TestServer, options: { plan?: string; seats?: number } = {}): Promise<AdminTenant> {
  const ownerEmail = `owner.${randomUUID().slice(0, 8)}@example.com`;
  const created = await server.createAccount({ ...options, ownerEmail });
  if (!created.owner) throw new Error('no owner created');
  const console = await signIn(server, created.owner.email, created.owner.password);
  return { accountId: created.accountId, apiKey: created.apiKey, owner: created.owner, console, scim: scimClient(server.url, created.apiKey) };
}

/** Adds a manual member through the console API and returns it. */
export async function addMember(client: ConsoleClient, overrides: Record<string, unknown> = {}) {
  const suffix = randomUUID().slice(0, 8);
  const response = await client.post('/members', { email: `m.${suffix}@example.com`, givenName: 'Mia', familyName: `Member ${suffix}`, role: 'no_access', ...overrides });
  if (response.status !== 201) throw new Error(`add member failed: ${response.status} ${response.text}`);
  return response.body.member as { id: string; userName: string; status: string; name: string };
}

/** Provisions a user over SCIM like Okta and returns its id. */
export async function pushUser(scim: ScimClient, userName = `scim.${randomUUID().slice(0, 8)}@example.com`, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await scim.post('/Users', { schemas: [USER_SCHEMA], userName, name: { givenName: 'Sam', familyName: 'Scim' }, emails: [{ value: userName, type: 'work', primary: true }], active: true, ...extra });
  if (response.status !== 201) throw new Error(`SCIM create failed: ${response.status} ${response.text}`);
  return response.body.id;
}
