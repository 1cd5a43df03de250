import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from '../database.js';
import { jsonBooleanIs, jsonElements, jsonText, textSortKey } from '../dialect.js';
import { badRequest, type ScimError } from '../../scim/errors.js';
import { formatResolvedPath, type ResolvedPath } from '../../scim/filter/index.js';
import type { AttributeDefinition } from '../../scim/schemas/attribute.js';
import { findAttribute } from '../../scim/schemas/registry.js';

const RESOURCE = sql.ref('members.resource');

const cannotSort = (path: ResolvedPath, reason: string): ScimError =>
  badRequest('invalidValue', `Cannot sort by "${formatResolvedPath(path)}": ${reason}`);

/**
 * The attribute a sortBy names, down to a simple value: `emails` and `manager` mean their
 * `value` (RFC 7644 §3.4.2.3 sorts multi-valued attributes by the primary value).
 */
function sortLeaf(path: ResolvedPath): { path: ResolvedPath; leaf: AttributeDefinition } {
  if (path.attribute.returned === 'never' || path.subAttribute?.returned === 'never') throw cannotSort(path, 'it is never returned.');
  const leaf = path.subAttribute ?? path.attribute;
  if (leaf.type !== 'complex') return { path, leaf };
  const value = path.subAttribute === undefined ? findAttribute(leaf.subAttributes ?? [], 'value') : undefined;
  if (value) return { path: { ...path, subAttribute: value }, leaf: value };
  const example = leaf.subAttributes?.[0]?.name ?? 'value';
  throw cannotSort(path, `it is a complex attribute; sort by one of its sub-attributes, e.g. "${leaf.name}.${example}".`);
}

/** Missing values last when ascending, first when descending; case-insensitive unless caseExact. */
function textKey(dialect: DialectName, text: RawBuilder<unknown>, leaf: AttributeDefinition, lowered = false): RawBuilder<unknown> {
  return textSortKey(dialect, leaf.caseExact || lowered ? text : sql`lower(${text})`);
}

/** `meta.created`, `meta.lastModified` (ISO text, so text order is time order) and the constant `meta.resourceType`. */
function metaKey(dialect: DialectName, table: 'members' | 'teams', path: ResolvedPath, leaf: AttributeDefinition): RawBuilder<unknown> {
  switch (leaf.name) {
    case 'created':
      return textKey(dialect, sql.ref(`${table}.created_at`), leaf);
    case 'lastModified':
      return textKey(dialect, sql.ref(`${table}.updated_at`), leaf);
    case 'resourceType':
      return sql`0`;
    default:
      throw cannotSort(path, 'sorting by it is not supported; sort by "meta.lastModified" or "id".');
  }
}

/** An ORDER BY key over `members` for a sortBy path (RFC 7644 §3.4.2.3). */
export function memberSortKey(dialect: DialectName, sortBy: ResolvedPath): RawBuilder<unknown> {
  const { path, leaf } = sortLeaf(sortBy);
  const column = (name: string, lowered = false) => textKey(dialect, sql.ref(`members.${name}`), leaf, lowered);
  if (path.extension === undefined) {
    switch (`${path.attribute.name}.${path.subAttribute?.name ?? ''}`) {
      case 'id.':
        return column('id');
      case 'externalId.':
        return column('external_id');
      case 'userName.':
        return column('user_name_lower', true);
      case 'displayName.':
        return column('display_name');
      case 'name.givenName':
        return column('given_name');
      case 'name.familyName':
        return column('family_name');
      case 'active.':
        return sql`case when members.status = ${'deactivated'} then 0 else 1 end`;
      // The primary (or else first) value, kept in a column when the member is written.
      case 'emails.value':
        return column('primary_email');
      case 'phoneNumbers.value':
        return column('primary_phone');
    }
    if (path.attribute.name === 'meta') return metaKey(dialect, 'members', path, leaf);
    if (path.attribute.name === 'groups') throw cannotSort(path, 'sorting by team membership is not supported.');
  }
  const keys = path.extension === undefined ? [path.attribute.name] : [path.extension, path.attribute.name];
  if (path.attribute.multiValued) return textKey(dialect, primaryOrFirst(dialect, keys, leaf.name), leaf);
  return textKey(dialect, jsonText(dialect, RESOURCE, path.subAttribute ? [...keys, leaf.name] : keys), leaf);
}

/** `sub` of the primary element of the JSON array at `keys`, or else of its first element. */
function primaryOrFirst(dialect: DialectName, keys: readonly string[], sub: string): RawBuilder<unknown> {
  const elements = jsonElements(dialect, RESOURCE, keys, 'j');
  const isPrimary = jsonBooleanIs(dialect, elements.element, ['primary'], true);
  return sql`(select ${jsonText(dialect, elements.element, [sub])} from ${elements.source} where ${elements.isObject} order by coalesce(${isPrimary}, false) desc, ${elements.position} limit 1)`;
}

/** An ORDER BY key over `teams` for a sortBy path (RFC 7644 §3.4.2.3). */
export function teamSortKey(dialect: DialectName, sortBy: ResolvedPath): RawBuilder<unknown> {
  const { path, leaf } = sortLeaf(sortBy);
  const column = (name: string, lowered = false) => textKey(dialect, sql.ref(`teams.${name}`), leaf, lowered);
  switch (path.attribute.name) {
    case 'id':
      return column('id');
    case 'externalId':
      return column('external_id');
    case 'displayName':
      return column('display_name_lower', true);
    case 'meta':
      return metaKey(dialect, 'teams', path, leaf);
    default:
      throw cannotSort(path, 'sorting by team membership is not supported; sort by "displayName" or "id".');
  }
}
