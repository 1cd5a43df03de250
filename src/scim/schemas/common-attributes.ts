import { attribute, complex, type AttributeDefinition } from './attribute.js';

/**
 * RFC 7643 §3.1: attributes every resource has. They belong to no schema in `/Schemas`,
 * but filters, projection and PATCH must know their types and mutability.
 */
export const commonAttributes: readonly AttributeDefinition[] = [
  attribute('id', 'string', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server', description: 'Issued by Roster.' }),
  attribute('externalId', 'string', { caseExact: true, description: "The identifier of the resource in the identity provider." }),
  complex(
    'meta',
    [
      attribute('resourceType', 'string', { caseExact: true, mutability: 'readOnly' }),
      attribute('created', 'dateTime', { mutability: 'readOnly' }),
      attribute('lastModified', 'dateTime', { mutability: 'readOnly' }),
      attribute('location', 'reference', { caseExact: true, mutability: 'readOnly', referenceTypes: ['uri'] }),
      attribute('version', 'string', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly', description: 'Resource metadata.' },
  ),
];
