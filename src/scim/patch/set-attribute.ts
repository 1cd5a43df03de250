/**
 * `add` and `replace` of a whole attribute (`path` = `attr`, or a key of a path-less value):
 * RFC 7644 §3.5.2.1 and §3.5.2.3.
 */
import { unwrapSingleValue } from '../compat/index.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { AttributeDefinition } from '../schemas/attribute.js';
import { findAttribute } from '../schemas/registry.js';
import { checkImmutable, checkRequiredKept } from './mutability.js';
import { addElements, dedupeElements, elementsOf, enforceSinglePrimary } from './multi-valued.js';
import { inDefinitionOrder, normalizeAttributeValue, normalizeComplexParts, normalizeElements } from './normalize-value.js';
import type { PatchPath } from './patch-path.js';
import { readAttribute, writeAttribute } from './resource-access.js';

/** Whether an add/replace appends to multi-valued attributes (`add`) or replaces them (`replace`). */
export type WriteMode = 'add' | 'replace';

/** Applies an add/replace whose path names a whole attribute. */
export function setAttribute(resource: JsonObject, path: PatchPath, value: JsonValue, mode: WriteMode): void {
  const definition = path.attribute;
  const current = readAttribute(resource, path.extension, definition.name);
  let next: JsonValue | undefined;
  if (definition.multiValued) next = nextElements(definition, current, value, mode);
  else if (definition.type === 'complex') next = nextComplex(definition, current, value);
  else next = normalizeAttributeValue(definition, value);
  checkImmutable(definition, current, next, definition.name);
  checkRequiredKept(definition, next, false);
  writeAttribute(resource, path.extension, definition.name, next);
}

function nextElements(definition: AttributeDefinition, current: JsonValue | undefined, value: JsonValue, mode: WriteMode): JsonValue[] | undefined {
  const incoming = normalizeElements(definition, value);
  const { elements, written } = mode === 'add' ? addElements(definition, elementsOf(current), incoming) : dedupeElements(definition, incoming);
  const result = enforceSinglePrimary(definition, elements, written, definition.name);
  return result.length === 0 ? undefined : result;
}

/**
 * RFC 7644 §3.5.2.1/§3.5.2.3: the given sub-attributes of a complex value are set and the
 * others kept. A reference (a complex attribute with `value`, like `manager`) is replaced as
 * a whole instead: its `$ref` and `displayName` describe the old target, not the new one.
 */
function nextComplex(definition: AttributeDefinition, current: JsonValue | undefined, value: JsonValue): JsonValue | undefined {
  const isReference = findAttribute(definition.subAttributes ?? [], 'value') !== undefined;
  const unwrapped = unwrapSingleValue(value, true);
  if (isReference || !isJsonObject(current) || Array.isArray(unwrapped)) return normalizeAttributeValue(definition, value);
  const parts = normalizeComplexParts(definition, unwrapped);
  const merged: JsonObject = { ...current };
  for (const name of parts.cleared) delete merged[name];
  for (const [name, sub] of parts.set) merged[name] = sub;
  const ordered = inDefinitionOrder(definition, merged);
  return Object.keys(ordered).length === 0 ? undefined : ordered;
}
