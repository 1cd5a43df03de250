/** The `/ResourceTypes` documents (RFC 7643 §6), generated from the schema registry. */
import { resourceTypes, type ResourceType } from '../schemas/registry.js';
import type { JsonObject } from '../json.js';

export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';

/** One document per resource type (User, Group), in registry order. */
export function resourceTypeDocuments(baseUrl: string): JsonObject[] {
  return resourceTypes.map((type) => resourceTypeDocument(baseUrl, type));
}

/** The document for `/ResourceTypes/{id}`, matched case-insensitively; `undefined` if unknown. */
export function findResourceTypeDocument(baseUrl: string, id: string): JsonObject | undefined {
  const type = resourceTypes.find((t) => t.id.toLowerCase() === id.toLowerCase());
  return type ? resourceTypeDocument(baseUrl, type) : undefined;
}

function resourceTypeDocument(baseUrl: string, type: ResourceType): JsonObject {
  const document: JsonObject = {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: type.id,
    name: type.name,
    endpoint: type.endpoint,
    description: type.description,
    schema: type.schema.id,
  };
  // RFC 7643 §8.6 omits schemaExtensions for Group; Entra wants no nulls (§3.11).
  if (type.extensions.length > 0) {
    document['schemaExtensions'] = type.extensions.map((e) => ({ schema: e.schema.id, required: e.required }));
  }
  document['meta'] = { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.id}` };
  return document;
}
