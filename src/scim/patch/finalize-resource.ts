/** Whole-resource rules checked once all operations are applied. */
import { badRequest } from '../errors.js';
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import type { AttributeDefinition } from '../schemas/attribute.js';
import { findAttribute, type ResourceType } from '../schemas/registry.js';
import { readAttribute } from './resource-access.js';

/** Checks the patched resource against the original and keeps `schemas` in step with its extensions. */
export function finalizeResource(type: ResourceType, original: Readonly<JsonObject>, resource: JsonObject): void {
  for (const { extension, definition } of typedAttributes(type)) {
    const next = readAttribute(resource, extension, definition.name);
    if (!jsonEqual(next, readAttribute(original as JsonObject, extension, definition.name))) checkUniqueTypes(definition, next);
  }
  syncSchemas(type, original, resource);
}

/**
 * Multi-valued attributes whose `type` labels tell values apart (several canonical types):
 * emails, phoneNumbers, addresses, ims, photos. `members` (only "User") is not one.
 */
function typedAttributes(type: ResourceType): { extension: string | undefined; definition: AttributeDefinition }[] {
  const all = [
    ...type.schema.attributes.map((definition) => ({ extension: undefined, definition })),
    ...type.extensions.flatMap((e) => e.schema.attributes.map((definition) => ({ extension: e.schema.id as string | undefined, definition }))),
  ];
  return all.filter(({ definition }) => {
    const typeSub = definition.multiValued ? findAttribute(definition.subAttributes ?? [], 'type') : undefined;
    return (typeSub?.canonicalValues?.length ?? 0) > 1;
  });
}

/**
 * Entra: "values of the type sub-attribute of a multi-valued attribute must be unique" (at
 * most one work email; entra-onelogin-jumpcloud.md §1), compared case-insensitively. Only
 * attributes this request changed are checked, so old data never blocks an unrelated PATCH.
 */
function checkUniqueTypes(definition: AttributeDefinition, value: JsonValue | undefined): void {
  if (!Array.isArray(value)) return;
  const seen = new Set<string>();
  for (const element of value) {
    const label = isJsonObject(element) ? element['type'] : undefined;
    if (typeof label !== 'string') continue;
    const key = label.toLowerCase();
    if (seen.has(key)) {
      throw badRequest('invalidValue', `"${definition.name}" would have two values of type "${label}"; each type may appear only once. Change the existing value instead, e.g. with the path ${definition.name}[type eq "${label}"].`);
    }
    seen.add(key);
  }
}

/**
 * RFC 7643 §3: `schemas` lists the extensions the resource has data for (as
 * validate-resource.ts builds it). Touched only when this request added or emptied an
 * extension, so a no-op PATCH never rewrites `schemas`.
 */
function syncSchemas(type: ResourceType, original: Readonly<JsonObject>, resource: JsonObject): void {
  const schemas = resource['schemas'];
  if (!Array.isArray(schemas)) return;
  const extensions = type.extensions.map((e) => e.schema.id);
  const hasData = (r: Readonly<JsonObject>, urn: string): boolean => Object.hasOwn(r, urn) && isJsonObject(r[urn]);
  if (extensions.every((urn) => hasData(original, urn) === hasData(resource, urn))) return;
  const isExtension = (s: JsonValue): boolean => typeof s === 'string' && extensions.some((urn) => urn.toLowerCase() === s.toLowerCase());
  resource['schemas'] = [...schemas.filter((s) => !isExtension(s)), ...extensions.filter((urn) => hasData(resource, urn))];
}
