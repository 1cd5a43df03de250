import type { ScimMemberRow } from '../db/repositories/member-reads-repository.js';
import type { MemberRow, MemberStatus } from '../db/schema.js';
import type { JsonObject } from '../scim/json.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../scim/schemas/registry.js';
import { etagOf } from './etag.js';

/** A team as listed in a member's read-only `groups` attribute. */
export interface TeamRef {
  readonly id: string;
  readonly displayName: string;
}

/**
 * The stored part of a SCIM User: everything the client may write, without `active`, which
 * lives in the member's status (the product's truth), nor id, meta and groups.
 */
export function storedUserResource(validated: JsonObject): JsonObject {
  const { active: _active, ...rest } = validated;
  return rest;
}

/** The status a write of `active` asks for (absent on create means active, RFC 7643 §4.1.1). */
export function requestedStatus(validated: JsonObject, current: MemberStatus | undefined): MemberStatus {
  const active = validated['active'];
  if (active === false) return 'deactivated';
  if (active === true) return current === 'invited' ? 'invited' : 'active';
  return current ?? 'active';
}

/** The member as a SCIM User (RFC 7643 §4.1) with `meta`, before projection. */
export function toScimUser(row: ScimMemberRow, teams: readonly TeamRef[] | undefined, baseUrl: string): JsonObject {
  const stored = JSON.parse(row.resource) as JsonObject;
  const schemas = [USER_SCHEMA, ...(stored[ENTERPRISE_USER_SCHEMA] !== undefined ? [ENTERPRISE_USER_SCHEMA] : [])];
  const user: JsonObject = { schemas, id: row.id };
  for (const [key, value] of Object.entries(stored)) if (key !== 'schemas') user[key] = value;
  user['active'] = row.status !== 'deactivated';
  if (teams !== undefined) {
    user['groups'] = teams.map((team) => ({ value: team.id, display: team.displayName, $ref: `${baseUrl}/Groups/${team.id}`, type: 'direct' }));
  }
  user['meta'] = {
    resourceType: 'User',
    created: row.created_at,
    lastModified: row.updated_at,
    location: `${baseUrl}/Users/${row.id}`,
    version: etagOf(row.version),
  };
  return user;
}

/** The label the activity log shows for a member. */
export function memberLabel(row: Pick<MemberRow, 'user_name'>): string {
  return row.user_name;
}
