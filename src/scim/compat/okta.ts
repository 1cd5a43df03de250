/**
 * Okta request shapes that need a tolerant reading, each citing okta.md (our reference notes
 * on what Okta sends). Okta's other PATCH shapes (path-less `{"active":false}`, members
 * without `type`, `members[value eq "id"]` removes) are plain RFC 7644 and need no rule.
 */
import type { JsonValue } from '../json.js';

/**
 * Okta's group rename is a path-less replace whose value repeats the group's own `id`
 * (okta.md §7.3: `{"id":"<groupId>","displayName":"New Name"}`); `id` is read-only, so the
 * echo is ignored when it equals the resource's id. A different id is still a mutability error.
 */
export function isIdEcho(value: JsonValue | undefined, resourceId: JsonValue | undefined): boolean {
  return typeof value === 'string' && typeof resourceId === 'string' && value === resourceId;
}
