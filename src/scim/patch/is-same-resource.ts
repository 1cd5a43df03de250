/** Change detection for PATCH results (style.md §6 rule 9: an unchanged PATCH writes nothing). */
import { isJsonObject, type JsonValue } from '../json.js';

const isUnassigned = (value: JsonValue | undefined): boolean =>
  value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0);

/**
 * Deep equality where an attribute that is null, `[]` or `{}` equals an absent one (RFC 7643
 * §2.5: all mean "unassigned"), so replacing `members: []` with nothing is not a change.
 */
export function isSameResource(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (isUnassigned(a) && isUnassigned(b)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => isSameResource(item, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    const own = (o: typeof a, key: string): JsonValue | undefined => (Object.hasOwn(o, key) ? o[key] : undefined);
    for (const key of keys) if (!isSameResource(own(a, key), own(b, key))) return false;
    return true;
  }
  return a === b;
}
