import { attribute, complex, type SchemaDefinition } from './attribute.js';

export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** RFC 7643 §4.3: the enterprise User extension. */
export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise attributes of a member.',
  attributes: [
    attribute('employeeNumber', 'string', { description: 'A string identifier, typically numeric or alphanumeric, assigned to the member.' }),
    attribute('costCenter', 'string', { description: 'The name of a cost center.' }),
    attribute('organization', 'string', { description: 'The name of an organization.' }),
    attribute('division', 'string', { description: 'The name of a division.' }),
    attribute('department', 'string', { description: 'The name of a department.' }),
    complex(
      'manager',
      [
        attribute('value', 'string', { description: 'The id of the SCIM resource representing the manager.' }),
        attribute('$ref', 'reference', { referenceTypes: ['User'], description: 'The URI of the manager.' }),
        attribute('displayName', 'string', { mutability: 'readOnly', description: 'The display name of the manager.' }),
      ],
      { description: "The member's manager." },
    ),
  ],
};
