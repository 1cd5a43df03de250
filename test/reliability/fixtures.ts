/**
 * Shared pieces of the reliability suites: URNs, request builders and bounded retry/poll
 * loops (no sleeps as synchronisation: a loop either sees the condition or gives up).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { ScimClient, TestResponse } from '../helpers/http-client.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

type Operation = { op: string; path?: string; value?: unknown };

/** A PatchOp message (RFC 7644 §3.5.2). */
export function patchOp(...operations: Operation[]): { schemas: string[]; Operations: Operation[] } {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** A minimal Okta-shaped user (okta.md §4). */
export function oktaUser(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [given = 'Test', family = 'User'] = userName.split('@')[0]?.split('.') ?? [];
  return {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `${given} ${family}`,
    active: true,
    ...extra,
  };
}

/** Asserts the RFC 7644 §3.12 error shape an IdP shows its admin. */
export function assertScimError(response: TestResponse, status: number, scimType?: string): void {
  assert.equal(response.status, status, response.text);
  assert.deepEqual(response.body?.schemas, [ERROR_SCHEMA], response.text);
  assert.equal(response.body.status, String(status));
  assert.equal(typeof response.body.detail, 'string');
  assert.ok(response.body.detail.length > 10, 'the detail is a sentence an admin can act on');
  if (scimType !== undefined) assert.equal(response.body.scimType, scimType, response.text);
}

/** Statuses a SCIM client may retry as is: a lost race (409 without scimType) or a stale ETag (412). */
export function isRetryableConflict(response: TestResponse): boolean {
  return (response.status === 409 && response.body?.scimType === undefined) || response.status === 412;
}

/**
 * Sends `send()` until it is not a retryable conflict, at most `attempts` times, the way an
 * IdP's retry queue does. Returns the last response and how many conflicts it saw.
 */
export async function withRetries(send: () => Promise<TestResponse>, attempts = 25): Promise<{ response: TestResponse; conflicts: number }> {
  let conflicts = 0;
  for (let attempt = 1; ; attempt += 1) {
    const response = await send();
    if (!isRetryableConflict(response) || attempt >= attempts) return { response, conflicts };
    conflicts += 1;
  }
}

/** Counts responses by status, e.g. `{ 201: 1, 409: 49 }`. */
export function statusCounts(responses: readonly TestResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const response of responses) counts[response.status] = (counts[response.status] ?? 0) + 1;
  return counts;
}

/** Every user of the account through the API (pages of 1000). */
export async function listAllUsers(scim: ScimClient): Promise<Record<string, unknown>[]> {
  const users: Record<string, unknown>[] = [];
  for (let startIndex = 1; ; startIndex += 1000) {
    const page = await scim.get(`/Users?startIndex=${startIndex}&count=1000`);
    assert.equal(page.status, 200, page.text);
    users.push(...(page.body.Resources as Record<string, unknown>[]));
    if (users.length >= page.body.totalResults || page.body.Resources.length === 0) return users;
  }
}

/** A TCP port that was free a moment ago, for a server started as a child process. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (typeof address !== 'object' || address === null) return reject(new Error('no address'));
      probe.close(() => resolve(address.port));
    });
  });
}
