/**
 * Microsoft Entra ID request shapes that bend RFC 7643/7644, accepted at the edge so the PATCH
 * engine itself stays RFC-shaped. Each rule cites entra-onelogin-jumpcloud.md (our reference
 * notes on what Entra sends); the same shapes come from OneLogin templates and JumpCloud.
 */
import { isJsonObject, type JsonValue } from '../json.js';

/**
 * Entra's default (pre-`aadOptscim062020`) mode sends booleans as the strings "True"/"False"
 * (§3.3 create, §3.6 disable, `roles[primary eq "True"]` in §3.5), field reports show "false"
 * too (§3.6), and OneLogin templates render `"active":"{$user.active}"` (§7.1). Exactly
 * "true"/"false" in any letter case is accepted; anything else (" true", "yes", "1") is not.
 */
export function parseBooleanString(value: string): boolean | undefined {
  const lowered = value.toLowerCase();
  if (lowered === 'true') return true;
  if (lowered === 'false') return false;
  return undefined;
}

/**
 * Entra wraps single values in a one-element list: `"value":[{"value":"x"}]` or `["x"]` for
 * `displayName`/`externalId` on Groups (style.md §7 "Groups", Entra shapes) and
 * `[{"$ref":…,"value":id}]` for `manager` (§3.8). For a simple attribute the element's
 * `value` is the value; for a complex one the element is. `[]` means "no value" (`null`).
 */
export function unwrapSingleValue(value: JsonValue, isComplex: boolean): JsonValue {
  if (!Array.isArray(value)) return value;
  if (value.length === 0) return null;
  if (value.length > 1) return value;
  const [only] = value as [JsonValue];
  if (!isComplex && isJsonObject(only) && Object.hasOwn(only, 'value')) return only['value'] ?? null;
  return only;
}

/**
 * Entra sends the enterprise `manager` as a bare id string, on create (§3.3) and in PATCH
 * (`"value":"<mgrId>"`, §3.8), and clears it with `""` (§3.8 SCIM_Update_Manager_Test). Any
 * single-valued complex attribute with a `value` sub-attribute (a reference) accepts this.
 */
export function referenceFromString(value: string): JsonValue {
  return value === '' ? null : { value };
}

/**
 * Entra removes group members with `{"op":"Remove","path":"members","value":[{"value":id}]}`
 * and means "remove only these" (§3.6 table, §3.9; JumpCloud too, §7.2). A literal RFC 7644
 * §3.5.2.2 reading would empty the group, so a remove that carries a value on a multi-valued
 * attribute removes only the listed values (a lone object counts as a list of one); only a
 * remove without value (or with null) removes them all. Returns the listed values, if any.
 */
export function listedValuesOfRemove(value: JsonValue | undefined): JsonValue[] | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value : [value];
}
