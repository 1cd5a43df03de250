/** The RFC 7644 §3.4.2 ListResponse message. */
import type { JsonObject } from './json.js';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/**
 * Wraps one page of resources. The paging fields are JSON integers and `Resources` is always
 * present, `[]` when empty: Okta's spec test reads it (okta.md §8).
 */
export function listResponse(resources: JsonObject[], totalResults: number, startIndex: number): JsonObject {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
