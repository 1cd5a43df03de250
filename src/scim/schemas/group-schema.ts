import { attribute, complex, type SchemaDefinition } from './attribute.js';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** RFC 7643 §4.2: a Group is a Roster team. */
export const groupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'A team of account members.',
  attributes: [
    attribute('displayName', 'string', {
      required: true,
      uniqueness: 'server',
      description: 'The team name, unique within the account (compared case-insensitively).',
    }),
    complex(
      'members',
      [
        attribute('value', 'string', { mutability: 'immutable', description: 'The id of a member.' }),
        attribute('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User'], description: 'The URI of the member.' }),
        attribute('display', 'string', { mutability: 'readOnly', description: 'The display name of the member.' }),
        attribute('type', 'string', { mutability: 'immutable', canonicalValues: ['User'], description: 'The type of member; only User.' }),
      ],
      { multiValued: true, description: 'The members of the team.' },
    ),
  ],
};
