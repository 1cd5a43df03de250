/**
 * `add`/`replace` of `attr.sub` without a value filter: one sub-attribute of a complex
 * attribute (`name.givenName`, `manager.value`), or of every element of a multi-valued one
 * (`emails.value`, RFC 7644 §3.5.2.3 "all matching record values").
 */
import { isJsonObject, type JsonObject, type JsonPrimitive, type JsonValue } from '../json.js';
import type { AttributeDefinition } from '../schemas/attribute.js';
import { checkImmutable } from './mutability.js';
import { elementsOf, enforceSinglePrimary } from './multi-valued.js';
import { inDefinitionOrder, isEmptyElement, normalizeSubValue } from './normalize-value.js';
import { labelOf, type PatchPath } from './patch-path.js';
import { readAttribute, writeAttribute } from './resource-access.js';

/** Applies an add/replace whose path is `attr.sub`. */
export function setSubAttribute(resource: JsonObject, path: PatchPath & { subAttribute: AttributeDefinition }, value: JsonValue): void {
  const { attribute, subAttribute } = path;
  const label = labelOf(path);
  const next = normalizeSubValue(subAttribute, value, label);
  const current = readAttribute(resource, path.extension, attribute.name);
  if (!attribute.multiValued) {
    const updated = withSubValue(attribute, isJsonObject(current) ? current : {}, subAttribute, next, label);
    writeAttribute(resource, path.extension, attribute.name, Object.keys(updated).length === 0 ? undefined : updated);
    return;
  }
  const elements = elementsOf(current);
  // RFC 7644 §3.5.2.1: when there is no element yet, the sub-attribute starts one.
  const targets = elements.length > 0 ? elements : next === undefined ? [] : [{}];
  const written = targets.map((e) => withSubValue(attribute, isJsonObject(e) ? e : {}, subAttribute, next, label));
  const kept = written.filter((e) => !isEmptyElement(attribute, e));
  const promoted = subAttribute.name === 'primary' && next === true ? kept : [];
  const result = enforceSinglePrimary(attribute, kept, promoted, label);
  writeAttribute(resource, path.extension, attribute.name, result.length === 0 ? undefined : result);
}

/** A copy of `object` with one sub-attribute set (or cleared when `next` is undefined). */
export function withSubValue(
  definition: AttributeDefinition,
  object: JsonObject,
  sub: AttributeDefinition,
  next: JsonPrimitive | undefined,
  label: string,
): JsonObject {
  checkImmutable(sub, object[sub.name], next, label);
  const copy: JsonObject = { ...object };
  if (next === undefined) delete copy[sub.name];
  else copy[sub.name] = next;
  return inDefinitionOrder(definition, copy);
}
