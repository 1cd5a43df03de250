import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from '../database.js';
import { correlatedMatch } from '../dialect.js';
import type { TeamsTable } from '../schema.js';
import { compileFilter } from './compile.js';
import { constantField, invalidFilter, textField, unsupportedField, type Collection, type Scope } from './fields.js';
import { metaField } from './meta-fields.js';
import { predicate } from './predicate.js';

const column = (name: keyof TeamsTable & string): RawBuilder<unknown> => sql.ref(`teams.${name}`);

/**
 * Groups filters over `teams` (RFC 7644 §3.4.2.2). `displayName eq` (Okta's and Entra's group
 * lookup) uses the (account_id, display_name_lower) unique index.
 */
export function teamScope(dialect: DialectName): Scope {
  return {
    resolve(path) {
      const { attribute } = path;
      switch (attribute.name) {
        case 'id':
          return textField(dialect, column('id'), { caseExact: attribute.caseExact, nullable: false });
        case 'externalId':
          return textField(dialect, column('external_id'), { caseExact: attribute.caseExact, nullable: true });
        case 'displayName':
          return textField(dialect, column('display_name_lower'), { caseExact: false, lowered: true, nullable: false });
        case 'meta':
          return metaField(dialect, path, { resourceType: 'Group', created: column('created_at'), lastModified: column('updated_at') });
        case 'members':
          return membersCollection(dialect);
        default:
          throw invalidFilter(`Invalid filter: Groups cannot be filtered on "${attribute.name}".`);
      }
    },
  };
}

/**
 * The `members` of a team: its memberships, rendered as `{value: member id, display: display
 * name or userName, type: "User"}` (provisioning/teams/team-mapping.ts).
 */
function membersCollection(dialect: DialectName): Collection {
  return {
    kind: 'collection',
    some(filter) {
      const condition = compileFilter(filter, memberRefScope(dialect));
      const match = correlatedMatch(dialect, {
        outerKey: column('id'),
        innerKey: sql.ref('tm.team_id'),
        from: sql`team_memberships as tm inner join members as m on m.account_id = tm.account_id and m.id = tm.member_id`,
        where: sql`tm.account_id = ${column('account_id')} and ${condition.sql}`,
        selective: false,
      });
      return predicate(match, false);
    },
  };
}

function memberRefScope(dialect: DialectName): Scope {
  return {
    resolve(path) {
      const sub = path.subAttribute;
      if (!sub) return unsupportedField('Invalid filter: "members" is a complex attribute; compare one of its sub-attributes, e.g. "members.value".');
      switch (sub.name) {
        case 'value':
          return textField(dialect, sql.ref('tm.member_id'), { caseExact: sub.caseExact, nullable: false });
        case 'display':
          return textField(dialect, sql`coalesce(m.display_name, m.user_name)`, { caseExact: sub.caseExact, nullable: false });
        case 'type':
          return constantField(dialect, 'User', sub.caseExact);
        default:
          return unsupportedField(`Invalid filter: "members.${sub.name}" cannot be filtered; filter on "members.value" (the user id) instead.`);
      }
    },
  };
}
