/**
 * JSON value types for SCIM resources and request bodies, plus the few structural helpers
 * every module needs (type guard, deep equality). Bodies are `unknown` at the edge and
 * become these types once checked.
 */

/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;
/** Any JSON value, as JSON.parse returns it. */
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
/** A JSON array. */
export type JsonArray = JsonValue[];
/** A JSON object: a SCIM resource, an extension object, a complex value. */
export type JsonObject = { [key: string]: JsonValue };

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that `value` is made only of JSON values (no `undefined`, functions, NaN or
 * class instances), at most `maxDepth` levels deep. Parsed request bodies always pass;
 * the check guards the pure core against hand-built inputs.
 */
export function isJsonValue(value: unknown, maxDepth = 64): value is JsonValue {
  if (maxDepth < 0) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, maxDepth - 1));
  if (typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => isJsonValue(item, maxDepth - 1));
}

/** Structural equality of two JSON values; object key order does not matter. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** A deep copy of a JSON value (own enumerable keys only, so `__proto__` stays a plain key). */
export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}
