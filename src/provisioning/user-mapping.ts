import type { ScimMemberRow } from '../db/repositories/member-reads-repository.js';
import type { MemberRow, MemberStatus } from '../db/schema.js';
import type { JsonObject } from '../scim/json.js';
import { hiddenNamesOf, projectResource } from '../scim/projection.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, userResourceType } from '../scim/schemas/registry.js';
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
  Object.assign(user, userTail(row, teams, baseUrl));
  return user;
}

/** What toScimUser adds after the stored attributes: `active`, `groups` when read, `meta`. */
function userTail(row: ScimMemberRow, teams: readonly TeamRef[] | undefined, baseUrl: string): JsonObject {
  const tail: JsonObject = { active: row.status !== 'deactivated' };
  if (teams !== undefined) {
    tail['groups'] = teams.map((team) => ({ value: team.id, display: team.displayName, $ref: `${baseUrl}/Groups/${team.id}`, type: 'direct' }));
  }
  tail['meta'] = {
    resourceType: 'User',
    created: row.created_at,
    lastModified: row.updated_at,
    location: `${baseUrl}/Users/${row.id}`,
    version: etagOf(row.version),
  };
  return tail;
}

/** A member as a SCIM answer shows it: as a User to project, or as the JSON text of the default projection. */
export interface ScimUserView {
  readonly version: number;
  /** `meta.location`. */
  readonly location: string;
  /** The User with `meta`, before projection (toScimUser). */
  resource(): JsonObject;
  /** The JSON text of the User as a request with neither `attributes` nor `excludedAttributes` sees it. */
  defaultJson(): string;
}

export function scimUserView(row: ScimMemberRow, teams: readonly TeamRef[] | undefined, baseUrl: string): ScimUserView {
  return {
    version: row.version,
    location: `${baseUrl}/Users/${row.id}`,
    resource: () => toScimUser(row, teams, baseUrl),
    defaultJson: () => storedTextJson(row, teams, baseUrl) ?? JSON.stringify(projectResource(userResourceType, toScimUser(row, teams, baseUrl), {})),
  };
}

/**
 * How the stored text of a validated User begins (validate-resource.ts `assemble`): its
 * `schemas`, with the enterprise URN exactly when enterprise attributes follow. `head` is the
 * same `schemas` as toScimUser writes them, up to the `id` value.
 */
const STORED_SHAPES = [[USER_SCHEMA], [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]].map((schemas) => ({
  prefix: `{"schemas":${JSON.stringify(schemas)},`,
  head: `{"schemas":${JSON.stringify(schemas)},"id":`,
  enterprise: schemas.includes(ENTERPRISE_USER_SCHEMA),
}));

const ENTERPRISE_KEY = `${JSON.stringify(ENTERPRISE_USER_SCHEMA)}:`;

/**
 * A key the stored attributes must not hold for the text to be spliced: one toScimUser writes
 * itself, or one the default projection hides (`password`). SCIM names are case-insensitive.
 * In JSON text a quote followed by a colon ends a key; inside a string value it is escaped.
 */
const FOREIGN_KEY = new RegExp(`"(?:${['schemas', 'id', 'active', 'groups', 'meta', ...hiddenNamesOf(userResourceType)].map(escapeRegExp).join('|')})":`, 'i');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * toScimUser's User, default projection, as JSON text, without parsing the stored resource and
 * serializing it again: that was about a tenth of the instructions of a GET /Users/{id}
 * (bench/README.md, finding 35). The stored text is what JSON.stringify wrote for a validated
 * User (or the console's manual member, manual-members-service.ts): its `schemas`, then the
 * other attributes, which are spliced between `id` and `active`, where toScimUser puts them.
 * Text of any other shape takes the parsing path (undefined here).
 */
function storedTextJson(row: ScimMemberRow, teams: readonly TeamRef[] | undefined, baseUrl: string): string | undefined {
  const text = row.resource;
  const shape = STORED_SHAPES.find(({ prefix }) => text.startsWith(prefix));
  if (!shape || !text.endsWith('}')) return undefined;
  const attributes = text.slice(shape.prefix.length, -1);
  if (attributes.includes(ENTERPRISE_KEY) !== shape.enterprise || FOREIGN_KEY.test(attributes)) return undefined;
  return `${shape.head}${JSON.stringify(row.id)},${attributes},${JSON.stringify(userTail(row, teams, baseUrl)).slice(1)}`;
}

/** The label the activity log shows for a member. */
export function memberLabel(row: Pick<MemberRow, 'user_name'>): string {
  return row.user_name;
}
