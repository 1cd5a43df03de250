/** The `remove` operation, RFC 7644 §3.5.2.2, plus Entra's member-list remove. */
import { listedValuesOfRemove } from '../compat/index.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { AttributeDefinition } from '../schemas/attribute.js';
import { checkImmutable, checkRequiredKept, isWritablePath } from './mutability.js';
import { elementsOf, withoutElements } from './multi-valued.js';
import { isEmptyElement, normalizeElements } from './normalize-value.js';
import { isExtensionRootPath, labelOf, matchesElementFilter, type PatchPath } from './patch-path.js';
import { readAttribute, writeAttribute } from './resource-access.js';
import { withSubValue } from './set-sub-attribute.js';

/** Applies a remove; a target that matches nothing is a no-op (style.md §7, Users and PATCH). */
export function applyRemove(resource: JsonObject, path: PatchPath, value: JsonValue | undefined): void {
  if (!isWritablePath(path)) return;
  if (path.extension !== undefined && isExtensionRootPath(path)) {
    delete resource[path.extension];
    return;
  }
  const { attribute, subAttribute } = path;
  const current = readAttribute(resource, path.extension, attribute.name);
  const listed = attribute.multiValued ? listedValuesOfRemove(value) : undefined;
  let next: JsonValue | undefined;
  if (path.valueFilter !== undefined || (attribute.multiValued && subAttribute)) {
    next = removeFromElements(path, elementsOf(current));
  } else if (subAttribute) {
    const updated = withSubValue(attribute, isJsonObject(current) ? current : {}, subAttribute, undefined, labelOf(path));
    next = Object.keys(updated).length === 0 ? undefined : updated;
  } else if (listed !== undefined) {
    next = removeListed(attribute, elementsOf(current), listed);
  } else {
    checkRequiredKept(attribute, undefined, true);
    checkImmutable(attribute, current, undefined, attribute.name);
    next = undefined;
  }
  writeAttribute(resource, path.extension, attribute.name, next);
}

/** `attr[filter]` drops matching elements; `attr[filter].sub` and `attr.sub` clear the sub-attribute. */
function removeFromElements(path: PatchPath, elements: JsonValue[]): JsonValue[] | undefined {
  const { attribute, valueFilter, subAttribute } = path;
  const label = labelOf(path);
  const isTarget = (e: JsonValue): e is JsonObject => isJsonObject(e) && (valueFilter === undefined || matchesElementFilter(e, valueFilter, attribute));
  const kept: JsonValue[] = [];
  for (const element of elements) {
    if (!isTarget(element)) kept.push(element);
    else if (subAttribute) {
      // An element left without its value carries nothing and is dropped.
      const updated = withSubValue(attribute, element, subAttribute, undefined, label);
      if (!isEmptyElement(attribute, updated)) kept.push(updated);
    }
  }
  return kept.length === 0 ? undefined : kept;
}

/** Entra's `{"op":"Remove","path":"members","value":[{"value":id}]}` removes only those (compat/entra.ts). */
function removeListed(attribute: AttributeDefinition, elements: JsonValue[], listed: JsonValue[]): JsonValue[] | undefined {
  const kept = withoutElements(attribute, elements, normalizeElements(attribute, listed));
  return kept.length === 0 ? undefined : kept;
}
