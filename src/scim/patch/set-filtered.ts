/**
 * `add`/`replace` with a value filter, `attr[filter]` or `attr[filter].sub`: matching elements
 * are updated in place (RFC 7644 §3.5.2.3), and when none matches an element is created from
 * the filter (filter-seed.ts).
 */
import { unwrapSingleValue } from '../compat/index.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { AttributeDefinition } from '../schemas/attribute.js';
import { findAttribute } from '../schemas/registry.js';
import { seedFromFilter } from './filter-seed.js';
import { checkImmutable } from './mutability.js';
import { elementsOf, enforceSinglePrimary } from './multi-valued.js';
import { inDefinitionOrder, isEmptyElement, normalizeComplexParts, normalizeElement, normalizeSubValue, type ComplexParts } from './normalize-value.js';
import { labelOf, matchesElementFilter, type PatchPath, type ResolvedFilter } from './patch-path.js';
import { readAttribute, writeAttribute } from './resource-access.js';
import { withSubValue } from './set-sub-attribute.js';

/** Applies an add/replace whose path has a value filter. */
export function setFiltered(resource: JsonObject, path: PatchPath & { valueFilter: ResolvedFilter }, value: JsonValue): void {
  const { attribute, valueFilter } = path;
  const label = labelOf(path);
  const update = elementUpdate(path, value, label);
  const current = elementsOf(readAttribute(resource, path.extension, attribute.name));
  const matches = current.filter((e): e is JsonObject => isJsonObject(e) && matchesElementFilter(e, valueFilter, attribute));
  let elements: JsonValue[];
  let written: JsonValue[];
  if (matches.length > 0) {
    const updated = new Map(matches.map((e) => [e, update.apply(e)] as const));
    // An element this operation emptied (its value cleared) is dropped; others stay as stored.
    written = [...updated.values()].filter((e) => !isEmptyElement(attribute, e));
    const kept = new Set(written);
    elements = current.flatMap((e) => {
      const next = isJsonObject(e) ? updated.get(e) : undefined;
      return next === undefined ? [e] : kept.has(next) ? [next] : [];
    });
  } else {
    if (update.isClear) return;
    const created = normalizeElement(attribute, { ...seedFromFilter(valueFilter, label), ...update.apply({}) }, label);
    if (created === undefined) return;
    elements = [...current, created];
    written = [created];
  }
  const result = enforceSinglePrimary(attribute, elements, written, attribute.name);
  writeAttribute(resource, path.extension, attribute.name, result.length === 0 ? undefined : result);
}

/** How each matching element changes, and whether the operation only clears values. */
function elementUpdate(path: PatchPath, value: JsonValue, label: string): { apply: (e: JsonObject) => JsonObject; isClear: boolean } {
  const { attribute, subAttribute } = path;
  if (subAttribute) {
    const next = normalizeSubValue(subAttribute, value, label);
    return { apply: (e) => withSubValue(attribute, e, subAttribute, next, label), isClear: next === undefined };
  }
  const parts = normalizeComplexParts(attribute, unwrapSingleValue(value, true), label);
  return { apply: (e) => withParts(attribute, e, parts, label), isClear: parts.set.size === 0 };
}

/** RFC 7644 §3.5.2.3: given sub-attributes replace the element's, the others are kept. */
function withParts(definition: AttributeDefinition, element: JsonObject, parts: ComplexParts, label: string): JsonObject {
  const copy: JsonObject = { ...element };
  for (const name of parts.cleared) {
    const sub = findAttribute(definition.subAttributes ?? [], name);
    if (sub) checkImmutable(sub, copy[name], undefined, `${label}.${name}`);
    delete copy[name];
  }
  for (const [name, sub] of parts.set) {
    const definitionOfSub = findAttribute(definition.subAttributes ?? [], name);
    if (definitionOfSub) checkImmutable(definitionOfSub, copy[name], sub, `${label}.${name}`);
    copy[name] = sub;
  }
  return inDefinitionOrder(definition, copy);
}
