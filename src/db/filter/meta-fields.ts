import type { Expression } from 'kysely';
import type { DialectName } from '../database.js';
import type { ResolvedPath } from '../../scim/filter/index.js';
import { complexField, constantField, dateTimeField, unsupportedField, type Field } from './fields.js';

/** The `meta` columns of a table (RFC 7643 §3.1). */
export interface MetaColumns {
  readonly resourceType: 'User' | 'Group';
  readonly created: Expression<unknown>;
  readonly lastModified: Expression<unknown>;
}

/**
 * `meta.*` of a member or team. `location` and `version` are derived from the request's base
 * URL and the row version, so they cannot be compared in SQL; they are always present.
 */
export function metaField(dialect: DialectName, path: ResolvedPath, columns: MetaColumns): Field {
  const sub = path.subAttribute;
  if (sub === undefined) {
    const subs = path.attribute.subAttributes ?? [];
    return complexField('meta', subs.map((s) => metaField(dialect, { ...path, subAttribute: s }, columns)));
  }
  switch (sub.name) {
    case 'created':
      return dateTimeField(dialect, columns.created, false);
    case 'lastModified':
      return dateTimeField(dialect, columns.lastModified, false);
    case 'resourceType':
      return constantField(dialect, columns.resourceType, sub.caseExact);
    case 'location':
      return unsupportedField('Invalid filter: "meta.location" cannot be filtered; filter on "id" instead.');
    default:
      return unsupportedField(`Invalid filter: "meta.${sub.name}" cannot be filtered; filter on "meta.lastModified" instead.`);
  }
}
