/**
 * Turns a PATCH `value` into the stored form of one attribute: canonical sub-attribute names
 * in definition order, checked JSON types, IdP spellings accepted (see ../compat). `undefined`
 * means "no value" (RFC 7643 §2.5: null and "" are unassigned), i.e. the attribute is cleared.
 */
import { parseBooleanString, referenceFromString, unwrapSingleValue } from '../compat/index.js';
import { badRequest, type ScimError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonPrimitive, type JsonValue } from '../json.js';
import type { AttributeDefinition } from '../schemas/attribute.js';
import { findAttribute } from '../schemas/registry.js';

/** A complex value split into the sub-attributes it sets and those it explicitly clears. */
export interface ComplexParts {
  readonly set: ReadonlyMap<string, JsonValue>;
  readonly cleared: ReadonlySet<string>;
}

const invalid = (message: string): ScimError => badRequest('invalidValue', message);
const shown = (value: JsonValue): string => {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Normalises the value of a whole attribute (single- or multi-valued). */
export function normalizeAttributeValue(definition: AttributeDefinition, raw: JsonValue, label = definition.name): JsonValue | undefined {
  if (definition.multiValued) {
    const elements = normalizeElements(definition, raw, label);
    return elements.length === 0 ? undefined : elements;
  }
  const value = unwrapSingleValue(raw, definition.type === 'complex');
  if (Array.isArray(value)) throw invalid(`"${label}" takes a single value, but a list of ${value.length} values was given.`);
  if (definition.type !== 'complex') return normalizeSimpleValue(definition, value, label);
  return toObject(definition, normalizeComplexParts(definition, value, label));
}

/** Normalises a multi-valued attribute's value to its list of elements (a lone element is wrapped). */
export function normalizeElements(definition: AttributeDefinition, raw: JsonValue, label = definition.name): JsonValue[] {
  if (raw === null) return [];
  // RFC 7644 §3.5.2.1 adds "a value" to a multi-valued attribute; a single element is read as a list of one.
  const items = Array.isArray(raw) ? raw : [raw];
  const elements: JsonValue[] = [];
  for (const item of items) {
    const element = normalizeElement(definition, item, label);
    if (element !== undefined) elements.push(element);
  }
  return elements;
}

/** Normalises one element of a multi-valued attribute; `undefined` when it carries nothing. */
export function normalizeElement(definition: AttributeDefinition, raw: JsonValue, label = definition.name): JsonValue | undefined {
  if (raw === null) return undefined;
  if (definition.type !== 'complex') return normalizeSimpleValue(definition, raw, label);
  const element = toObject(definition, normalizeComplexParts(definition, raw, label));
  return element === undefined || isEmptyElement(definition, element) ? undefined : element;
}

/**
 * Splits a complex value into set and cleared sub-attributes. Read-only sub-attributes are
 * dropped, as RFC 7644 §3.3 says clients' read-only values are ignored: Okta sends
 * `members[].display` (okta.md §7.4), Entra `manager.displayName` (style.md §7).
 */
export function normalizeComplexParts(definition: AttributeDefinition, raw: JsonValue, label = definition.name): ComplexParts {
  const subAttributes = definition.subAttributes ?? [];
  const value = typeof raw === 'string' && !definition.multiValued && findAttribute(subAttributes, 'value') ? referenceFromString(raw) : raw;
  if (value === null) return { set: new Map(), cleared: new Set(subAttributes.map((s) => s.name)) };
  if (!isJsonObject(value)) {
    const names = subAttributes.map((s) => s.name).join(', ');
    throw invalid(`"${label}" must be a JSON object with the sub-attributes ${names}, but ${shown(value)} was given.`);
  }
  const set = new Map<string, JsonValue>();
  const cleared = new Set<string>();
  for (const [key, inner] of Object.entries(value)) {
    const sub = findAttribute(subAttributes, key);
    if (!sub) throw invalid(`"${label}" has no sub-attribute "${key}"; its sub-attributes are ${subAttributes.map((s) => s.name).join(', ')}.`);
    if (sub.mutability === 'readOnly' || sub.mutability === 'writeOnly') continue;
    const normalized = normalizeSubValue(sub, inner, `${label}.${sub.name}`);
    if (normalized === undefined) {
      set.delete(sub.name);
      cleared.add(sub.name);
    } else {
      set.set(sub.name, normalized);
      cleared.delete(sub.name);
    }
  }
  return { set, cleared };
}

/** Normalises the value of one sub-attribute (always simple in RFC 7643 schemas). */
export function normalizeSubValue(sub: AttributeDefinition, raw: JsonValue, label: string): JsonPrimitive | undefined {
  if (Array.isArray(raw) || isJsonObject(raw)) throw invalid(`"${label}" takes a single ${sub.type} value, but ${shown(raw)} was given.`);
  if (raw === null && sub.type === 'boolean') return undefined;
  return normalizeSimpleValue(sub, raw, label);
}

/** Checks and normalises a simple value against its attribute type. */
export function normalizeSimpleValue(definition: AttributeDefinition, raw: JsonValue, label = definition.name): JsonPrimitive | undefined {
  if (definition.type === 'boolean') return normalizeBoolean(raw, label);
  if (raw === null) return undefined;
  switch (definition.type) {
    case 'integer':
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
      throw invalid(`"${label}" must be an integer, but ${shown(raw)} was given.`);
    case 'decimal':
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      throw invalid(`"${label}" must be a number, but ${shown(raw)} was given.`);
    case 'complex':
      throw invalid(`"${label}" must be a JSON object, but ${shown(raw)} was given.`);
    default:
      if (typeof raw !== 'string') throw invalid(`"${label}" must be a string, but ${shown(raw)} was given.`);
      return raw === '' ? undefined : raw;
  }
}

/**
 * Booleans must be JSON booleans or Entra's "True"/"False" strings (compat/entra.ts). Unlike
 * other attributes, null and "" are rejected: clearing `active` is never what an IdP means.
 */
function normalizeBoolean(raw: JsonValue, label: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const parsed = typeof raw === 'string' ? parseBooleanString(raw) : undefined;
  if (parsed === undefined) throw invalid(`"${label}" must be true or false, but ${shown(raw)} was given.`);
  return parsed;
}

/** Builds the stored object (definition order) from set parts; `undefined` when empty. */
function toObject(definition: AttributeDefinition, parts: ComplexParts): JsonObject | undefined {
  const out: JsonObject = {};
  for (const sub of definition.subAttributes ?? []) {
    const value = parts.set.get(sub.name);
    if (value !== undefined) out[sub.name] = value;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * An element that carries nothing worth storing: no `value` where the attribute has one
 * (validate-resource.ts drops these too), or only labels (`type`, `primary`, `display`).
 */
export function isEmptyElement(definition: AttributeDefinition, element: JsonValue): boolean {
  if (!isJsonObject(element)) return false;
  const hasValueSub = findAttribute(definition.subAttributes ?? [], 'value') !== undefined;
  if (hasValueSub) return element['value'] === undefined;
  return Object.keys(element).every((key) => key === 'type' || key === 'primary' || key === 'display');
}

/** Orders an object's keys like the definition's sub-attributes (stable stored form). */
export function inDefinitionOrder(definition: AttributeDefinition, object: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const sub of definition.subAttributes ?? []) {
    const value = object[sub.name];
    if (value !== undefined) out[sub.name] = value;
  }
  return out;
}
