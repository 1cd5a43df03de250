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

/**
 * The same ListResponse as JSON text, for resources already serialized each: the envelope is
 * serialized with no resources, then the texts go in its `Resources` (the last member).
 */
export function listResponseJson(resourceTexts: readonly string[], totalResults: number, startIndex: number): string {
  const envelope = JSON.stringify({ ...listResponse([], totalResults, startIndex), itemsPerPage: resourceTexts.length });
  return `${envelope.slice(0, -'[]}'.length)}[${resourceTexts.join(',')}]}`;
}
