/**
 * The element an add/replace creates when its value filter matches nothing: Entra relies on
 * `emails[type eq "work"].value` creating `{type:"work", value}` (entra-onelogin-jumpcloud.md
 * §3.5; strict `noTarget` breaks Entra), and on `roles[primary eq "True"].value` creating a
 * primary role (§3.5, style.md §7 Entra).
 */
import { badRequest } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { ResolvedFilter } from './patch-path.js';

/**
 * The sub-attribute values a filter pins down: its `eq` comparisons joined by `and`. A filter
 * with any other term (`or`, `not`, `co`, `pr`, …) does not describe one element, so nothing
 * can be created from it and the operation has no target (RFC 7644 §3.5.2.3 `noTarget`).
 */
export function seedFromFilter(filter: ResolvedFilter, label: string): JsonObject {
  const seed: JsonObject = {};
  if (!collectEqualities(filter, seed)) {
    throw badRequest(
      'noTarget',
      `No value of "${label}" matches the filter, and only filters made of "eq" comparisons joined by "and" can create one.`,
    );
  }
  return seed;
}

function collectEqualities(filter: ResolvedFilter, seed: JsonObject): boolean {
  if (filter.kind === 'and') return collectEqualities(filter.left, seed) && collectEqualities(filter.right, seed);
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return false;
  const sub = filter.path.subAttribute;
  if (sub === undefined) return false;
  seed[sub.name] = filter.value;
  return true;
}
