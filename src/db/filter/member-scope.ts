import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from '../database.js';
import { correlatedMatch } from '../dialect.js';
import type { MembersTable } from '../schema.js';
import type { ResolvedFilter, ResolvedPath } from '../../scim/filter/index.js';
import type { AttributeDefinition } from '../../scim/schemas/attribute.js';
import { compileFilter } from './compile.js';
import { booleanField, complexField, constantField, textField, unsupportedField, type Collection, type Field, type Scope, type Target } from './fields.js';
import { jsonCollection, jsonField } from './json-fields.js';
import { metaField } from './meta-fields.js';
import { predicate, TRUE } from './predicate.js';

const column = (name: keyof MembersTable & string): RawBuilder<unknown> => sql.ref(`members.${name}`);
const RESOURCE = column('resource');

/**
 * Users filters over `members` (RFC 7644 §3.4.2.2): the IdP lookups (`userName`, `externalId`,
 * `id`, `emails`) hit indexed columns; every other attribute is read from the stored SCIM JSON.
 */
export function memberScope(dialect: DialectName): Scope {
  const scope: Scope = {
    resolve(path): Target {
      const { attribute, subAttribute: sub } = path;
      if (path.extension === undefined) {
        const mapped = coreTarget(dialect, path);
        if (mapped) return mapped;
      }
      if (attribute.multiValued) return jsonCollection(dialect, RESOURCE, keysOf(path), attribute);
      if (attribute.type === 'complex' && !sub) {
        return complexField(attribute.name, (attribute.subAttributes ?? []).map((s) => asField(scope.resolve({ ...path, subAttribute: s }))));
      }
      return jsonField(dialect, RESOURCE, sub ? [...keysOf(path), sub.name] : keysOf(path), sub ?? attribute);
    },
  };
  return scope;
}

/** A sub-attribute of a single-valued complex attribute is a single value. */
function asField(target: Target): Field {
  if (target.kind === 'field') return target;
  throw new Error('a sub-attribute of a single-valued attribute resolved to a collection');
}

/** Where the attribute lives in the stored resource: extension attributes under their URN key. */
function keysOf(path: ResolvedPath): string[] {
  return path.extension === undefined ? [path.attribute.name] : [path.extension, path.attribute.name];
}

/** Core and common attributes with a dedicated column or table; undefined for the JSON ones. */
function coreTarget(dialect: DialectName, path: ResolvedPath): Target | undefined {
  const { attribute, subAttribute: sub } = path;
  switch (attribute.name) {
    case 'id':
      return textField(dialect, column('id'), { caseExact: attribute.caseExact, nullable: false });
    case 'externalId':
      return textField(dialect, column('external_id'), { caseExact: attribute.caseExact, nullable: true });
    case 'userName':
      return textField(dialect, column('user_name_lower'), { caseExact: false, lowered: true, nullable: false });
    case 'displayName':
      return textField(dialect, column('display_name'), { caseExact: attribute.caseExact, nullable: true });
    case 'active':
      // The member's status is the truth for `active`; it is not kept in the stored resource.
      return booleanField(sql`${column('status')} <> ${'deactivated'}`, sql`${column('status')} = ${'deactivated'}`, TRUE, false);
    case 'name':
      if (sub?.name === 'givenName') return textField(dialect, column('given_name'), { caseExact: sub.caseExact, nullable: true });
      if (sub?.name === 'familyName') return textField(dialect, column('family_name'), { caseExact: sub.caseExact, nullable: true });
      return undefined;
    case 'meta':
      return metaField(dialect, path, { resourceType: 'User', created: column('created_at'), lastModified: column('updated_at') });
    case 'emails':
      return emailsCollection(dialect, attribute);
    case 'groups':
      return groupsCollection(dialect);
    default:
      return undefined;
  }
}

/**
 * `emails` through the member_emails rows (value and type lower-cased, one row per email with
 * a value), whose (account_id, value_lower, member_id) index answers the IdPs' `emails.value eq`
 * lookups without reading the rows (migration 0007).
 * `is_primary = 0` also stands for an email without `primary`, so `primary eq false`, `primary
 * pr` and `display` are answered from the stored JSON instead.
 */
function emailsCollection(dialect: DialectName, definition: AttributeDefinition): Collection {
  return {
    kind: 'collection',
    some(filter) {
      if (!emailRowsAnswer(filter)) return jsonCollection(dialect, RESOURCE, ['emails'], definition).some(filter);
      const condition = compileFilter(filter, emailRowScope(dialect));
      const match = correlatedMatch(dialect, {
        outerKey: column('id'),
        innerKey: sql.ref('e.member_id'),
        from: sql`member_emails as e`,
        where: sql`e.account_id = ${column('account_id')} and ${condition.sql}`,
        selective: hasValueEquality(filter),
      });
      return predicate(match, false);
    },
  };
}

function emailRowScope(dialect: DialectName): Scope {
  return {
    resolve(path) {
      switch (path.subAttribute?.name) {
        case 'value':
          return textField(dialect, sql.ref('e.value_lower'), { caseExact: false, lowered: true, nullable: false });
        case 'type':
          return textField(dialect, sql.ref('e.type_lower'), { caseExact: false, lowered: true, nullable: true });
        case 'primary':
          // Only `primary eq true` gets here (emailRowsAnswer); false and pr need the JSON.
          return booleanField(sql`e.is_primary = 1`, sql`e.is_primary = 0`, TRUE, false);
        default:
          // The element itself (`emails pr` without `value`): every row is an email with a value.
          return unsupportedField('Invalid filter: "emails" is a complex attribute; compare one of its sub-attributes, e.g. "emails.value".');
      }
    },
  };
}

/** The member_emails rows can answer exactly: value, type, and `primary eq true` (or its negation). */
function emailRowsAnswer(filter: ResolvedFilter): boolean {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return emailRowsAnswer(filter.left) && emailRowsAnswer(filter.right);
    case 'not':
      return emailRowsAnswer(filter.filter);
    case 'valuePath':
      return false;
    case 'present':
      return filter.path.subAttribute?.name !== 'primary' && filter.path.subAttribute?.name !== 'display';
    case 'compare': {
      const sub = filter.path.subAttribute?.name;
      if (sub === 'primary') return (filter.op === 'eq' || filter.op === 'ne') && filter.value === true;
      return sub === 'value' || sub === 'type';
    }
  }
}

/** An `emails.value eq "…"` conjunct: the (account_id, value_lower) index finds the few candidate rows. */
function hasValueEquality(filter: ResolvedFilter): boolean {
  if (filter.kind === 'and') return hasValueEquality(filter.left) || hasValueEquality(filter.right);
  return filter.kind === 'compare' && filter.op === 'eq' && typeof filter.value === 'string' && filter.path.subAttribute?.name === 'value';
}

/**
 * The read-only `groups` of a user: its team memberships, rendered as
 * `{value: team id, display: team name, type: "direct"}` (provisioning/user-mapping.ts).
 */
function groupsCollection(dialect: DialectName): Collection {
  return {
    kind: 'collection',
    some(filter) {
      const condition = compileFilter(filter, teamRefScope(dialect));
      const match = correlatedMatch(dialect, {
        outerKey: column('id'),
        innerKey: sql.ref('tm.member_id'),
        from: sql`team_memberships as tm inner join teams as t on t.account_id = tm.account_id and t.id = tm.team_id`,
        where: sql`tm.account_id = ${column('account_id')} and ${condition.sql}`,
        selective: false,
      });
      return predicate(match, false);
    },
  };
}

function teamRefScope(dialect: DialectName): Scope {
  return {
    resolve(path) {
      const sub = path.subAttribute;
      if (!sub) return unsupportedField('Invalid filter: "groups" is a complex attribute; compare one of its sub-attributes, e.g. "groups.value".');
      switch (sub.name) {
        case 'value':
          return textField(dialect, sql.ref('tm.team_id'), { caseExact: sub.caseExact, nullable: false });
        case 'display':
          return textField(dialect, sql.ref('t.display_name_lower'), { caseExact: false, lowered: true, nullable: false });
        case 'type':
          return constantField(dialect, 'direct', sub.caseExact);
        case 'primary':
          return constantField(dialect, undefined, false);
        default:
          return unsupportedField(`Invalid filter: "groups.${sub.name}" cannot be filtered; filter on "groups.value" (the team id) instead.`);
      }
    },
  };
}
