import type { TeamMemberRow } from '../../db/repositories/memberships-repository.js';
import type { TeamRow } from '../../db/schema.js';
import { badRequest } from '../../scim/errors.js';
import { isJsonObject, type JsonObject } from '../../scim/json.js';
import { GROUP_SCHEMA } from '../../scim/schemas/registry.js';
import { etagOf } from '../etag.js';

/** The writable attributes of a team ("Group" on the wire): everything but its members. */
export interface TeamAttributes {
  readonly displayName: string;
  readonly externalId: string | null;
}

/** The attributes a validated Group body (validateResource) asks for. */
export function teamAttributesOf(validated: JsonObject): TeamAttributes {
  const displayName = validated['displayName'];
  const externalId = validated['externalId'];
  // validateResource guarantees a non-empty displayName (required by the Group schema).
  if (typeof displayName !== 'string') throw badRequest('invalidValue', '"displayName" is required for a Group and must not be empty.');
  return { displayName, externalId: typeof externalId === 'string' ? externalId : null };
}

/** The attributes as they are stored now. */
export function storedTeamAttributes(row: TeamRow): TeamAttributes {
  return { displayName: row.display_name, externalId: row.external_id };
}

/**
 * The member ids of a validated Group body, without duplicates. Only users can be members
 * (nested groups are not supported); Okta omits `type` (okta.md §7.4).
 */
export function memberIdsOf(validated: JsonObject): string[] {
  const members = validated['members'];
  if (!Array.isArray(members)) return [];
  const ids = new Set<string>();
  for (const member of members) {
    if (!isJsonObject(member) || typeof member['value'] !== 'string') continue;
    const kind = member['type'];
    if (typeof kind === 'string' && kind.toLowerCase() !== 'user') {
      throw badRequest('invalidValue', `Member "${member['value']}" has type "${kind}"; teams contain only users (nested groups are not supported).`);
    }
    ids.add(member['value']);
  }
  return [...ids];
}

/** The team as the resource the PATCH engine works on: no members (they are a relation), no meta. */
export function patchableGroup(row: TeamRow): JsonObject {
  const group: JsonObject = { schemas: [GROUP_SCHEMA], id: row.id };
  if (row.external_id !== null) group['externalId'] = row.external_id;
  group['displayName'] = row.display_name;
  return group;
}

/**
 * The team as a SCIM Group (RFC 7643 §4.2) with `meta`, before projection. `members`
 * undefined means "not loaded" (the client excluded them) and leaves the attribute out.
 */
export function toScimGroup(row: TeamRow, members: readonly TeamMemberRow[] | undefined, baseUrl: string): JsonObject {
  const group = patchableGroup(row);
  if (members !== undefined) {
    group['members'] = members.map((member) => ({
      value: member.member_id,
      display: member.display_name ?? member.user_name,
      $ref: `${baseUrl}/Users/${member.member_id}`,
      type: 'User',
    }));
  }
  group['meta'] = {
    resourceType: 'Group',
    created: row.created_at,
    lastModified: row.updated_at,
    location: `${baseUrl}/Groups/${row.id}`,
    version: etagOf(row.version),
  };
  return group;
}
