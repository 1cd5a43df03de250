/**
 * The `/Schemas` documents (RFC 7643 §7), generated from the schema registry. Google and the
 * Microsoft validators read the flags, so every characteristic is spelled out.
 */
import type { AttributeDefinition, SchemaDefinition } from '../schemas/attribute.js';
import { schemas } from '../schemas/registry.js';
import type { JsonObject } from '../json.js';

export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/**
 * User, Enterprise User and Group. The common attributes (id, externalId, meta) are not
 * listed: RFC 7643 §3.1 says they belong to no schema.
 */
export function schemaDocuments(baseUrl: string): JsonObject[] {
  return schemas.map((schema) => schemaDocument(baseUrl, schema));
}

/** The document for `/Schemas/{urn}`, matched case-insensitively; `undefined` if unknown. */
export function findSchemaDocument(baseUrl: string, id: string): JsonObject | undefined {
  const schema = schemas.find((s) => s.id.toLowerCase() === id.toLowerCase());
  return schema ? schemaDocument(baseUrl, schema) : undefined;
}

function schemaDocument(baseUrl: string, schema: SchemaDefinition): JsonObject {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(describeAttribute),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

/** Every RFC 7643 §7 characteristic; optional ones only when the registry defines them. */
function describeAttribute(definition: AttributeDefinition): JsonObject {
  const described: JsonObject = {
    name: definition.name,
    type: definition.type,
    multiValued: definition.multiValued,
    description: definition.description,
    required: definition.required,
    caseExact: definition.caseExact,
    mutability: definition.mutability,
    returned: definition.returned,
    uniqueness: definition.uniqueness,
  };
  if (definition.canonicalValues) described['canonicalValues'] = [...definition.canonicalValues];
  if (definition.referenceTypes) described['referenceTypes'] = [...definition.referenceTypes];
  if (definition.subAttributes) described['subAttributes'] = definition.subAttributes.map(describeAttribute);
  return described;
}
