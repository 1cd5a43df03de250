/**
 * Shared fixtures for the PATCH engine's tests (imported only by *.test.ts files): stored
 * resources in the canonical form validate-resource.ts produces, deep-frozen so any
 * mutation of an input fails loudly.
 */
import { ScimError, type ScimType } from '../errors.js';
import { cloneJson, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA, groupResourceType, userResourceType } from '../schemas/registry.js';
import { applyPatch, type PatchResult } from './apply-patch.js';
import { PATCH_OP_SCHEMA } from './parse-patch-request.js';

/** The enterprise User extension URN, the key of its object in a stored user. */
export const ENTERPRISE = ENTERPRISE_USER_SCHEMA;
/** The id of every fixture user. */
export const USER_ID = '2819c223-7f76-453a-919d-413861904646';
/** The id of every fixture team. */
export const GROUP_ID = 'e9e30dba-f08f-4109-8486-d5c6a331660a';

/** A PatchOp body with the given operations. */
export function patchBody(...operations: unknown[]): JsonObject {
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations as JsonValue[] };
}

/** Freezes a JSON value and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const meta = (resourceType: string, id: string): JsonObject => ({
  resourceType,
  created: '2024-05-01T12:00:00.000Z',
  lastModified: '2024-05-01T12:00:00.000Z',
  location: `https://roster.example/scim/v2/${resourceType}s/${id}`,
  version: 'W/"1"',
});

/** Okta's test user (okta.md §3.2) as Roster stores it, with `overrides` merged on top. */
export function storedUser(overrides: JsonObject = {}): JsonObject {
  return deepFreeze({
    schemas: [USER_SCHEMA],
    id: USER_ID,
    externalId: '00ujl29u0le5T6Aj10h7',
    meta: meta('User', USER_ID),
    userName: 'test.user@okta.local',
    name: { familyName: 'User', givenName: 'Test' },
    displayName: 'Test User',
    locale: 'en-US',
    active: true,
    emails: [{ value: 'test.user@okta.local', type: 'work', primary: true }],
    ...overrides,
  });
}

/** A user with only the required attributes (what Entra creates before patching). */
export function minimalUser(overrides: JsonObject = {}): JsonObject {
  return deepFreeze({ schemas: [USER_SCHEMA], id: USER_ID, meta: meta('User', USER_ID), userName: 'Test_User_00aa@testuser.com', active: true, ...overrides });
}

/** A stored user with enterprise data. */
export function enterpriseUser(extension: JsonObject): JsonObject {
  return storedUser({ schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: extension });
}

/** A stored team; `memberIds` become `members` elements. */
export function storedGroup(memberIds: readonly string[] = [], overrides: JsonObject = {}): JsonObject {
  const members = memberIds.map((value): JsonObject => ({ value, display: `${value}@example.com` }));
  return deepFreeze({
    schemas: [GROUP_SCHEMA],
    id: GROUP_ID,
    externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
    meta: meta('Group', GROUP_ID),
    displayName: 'Test SCIMv2',
    ...(members.length > 0 ? { members } : {}),
    ...overrides,
  });
}

/** Applies operations to a stored user. */
export function patchUser(resource: JsonObject, ...operations: unknown[]): PatchResult {
  return applyPatch(userResourceType, resource, patchBody(...operations));
}

/** Applies operations to a stored team. */
export function patchGroup(resource: JsonObject, ...operations: unknown[]): PatchResult {
  return applyPatch(groupResourceType, resource, patchBody(...operations));
}

/**
 * Asserts `run` throws a ScimError with this status and scimType and a real sentence as
 * detail, and that `input` is untouched. Returns the error for further checks.
 */
export function assertScimError(run: () => unknown, status: number, scimType: ScimType, input?: JsonObject): ScimError {
  const before = input === undefined ? undefined : cloneJson(input);
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof ScimError)) throw new Error(`expected a ScimError ${status} ${scimType}, got ${String(caught)}`);
  if (caught.status !== status || caught.scimType !== scimType) {
    throw new Error(`expected ${status} ${scimType}, got ${caught.status} ${String(caught.scimType)}: ${caught.detail}`);
  }
  if (caught.detail.length < 20) throw new Error(`the detail "${caught.detail}" is not a sentence an IdP admin can act on`);
  if (input !== undefined && !jsonEqual(input, before)) throw new Error('the input resource was modified');
  return caught;
}

/** The ids in a team's `members`. */
export function memberIdsOf(resource: JsonObject): string[] {
  const members = resource['members'];
  if (!Array.isArray(members)) return [];
  return members.map((m) => (typeof m === 'object' && m !== null && !Array.isArray(m) ? String(m['value']) : String(m)));
}
