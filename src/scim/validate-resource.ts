/**
 * Parses a POST/PUT body (or a PATCH result) into the canonical stored representation of a
 * resource: canonical attribute spelling and order, typed values, no read-only or write-only
 * data. Driven entirely by the schema registry.
 */
import { parseBooleanString, referenceFromString, unwrapSingleValue } from './compat/index.js';
import { badRequest, type ScimError } from './errors.js';
import { isJsonObject as isObject, isJsonValue, type JsonObject, type JsonValue } from './json.js';
import type { AttributeDefinition } from './schemas/attribute.js';
import { coreAttributesOf, findAttribute, splitSchemaUrn, type ResourceType } from './schemas/registry.js';

/**
 * Microsoft marker URNs Entra puts in Group `schemas` (entra-onelogin-jumpcloud.md §3.9). They
 * carry no attributes: accepted and dropped. The second spelling appears in older write-ups.
 */
export const GROUP_LEGACY_SCHEMAS: readonly string[] = [
  'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
  'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group',
];

const MAX_STRING_LENGTH = 1024;
// Base64 DER certificates are far longer than ordinary strings.
const MAX_BINARY_LENGTH = 16384;
const MAX_VALUES = 20;
// Team size is bounded by the teams service, not by the generic per-attribute cap.
const UNCAPPED_ATTRIBUTES: ReadonlySet<string> = new Set(['members']);
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

type Values = Map<string, JsonValue>;

const lower = (s: string): string => s.toLowerCase();

const invalid = (detail: string): ScimError => badRequest('invalidValue', detail);

/** Validates `input` against `type` and returns the canonical resource (without id and meta). */
export function validateResource(type: ResourceType, input: unknown): JsonObject {
  if (!isObject(input) || !isJsonValue(input)) {
    throw badRequest('invalidSyntax', `The request body must be a JSON object describing a ${type.name}.`);
  }
  checkSchemas(type, input);
  const core: Values = new Map();
  const extensions = new Map<string, Values>();
  for (const [key, value] of Object.entries(input)) {
    if (lower(key) === 'schemas') continue;
    routeTopLevel(type, core, extensions, key, value);
  }
  checkRequired(type, core);
  return assemble(type, core, extensions);
}

/**
 * RFC 7643 §3 asks clients to list the resource's schema URNs in `schemas`. Real IdPs do not
 * always: Entra's documented create example misspells the enterprise URN (`…enterprise:2.0User`)
 * and OneLogin templates send `urn:scim:schemas:core:1.0` (entra-onelogin-jumpcloud.md §3.3,
 * §7.1, §8: "unknown schema URIs … ignored"). So `schemas` may be missing or list unknown URNs;
 * only a `schemas` that is not a list of strings is refused. The output's `schemas` is rebuilt
 * from the data (see assemble).
 */
function checkSchemas(type: ResourceType, body: JsonObject): void {
  const key = Object.keys(body).find((k) => lower(k) === 'schemas');
  const raw = key === undefined ? undefined : body[key];
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw) || !raw.every((s): s is string => typeof s === 'string')) {
    throw invalid(`"schemas" must be a list of schema URNs such as "${type.schema.id}".`);
  }
}

/** Sends one top-level key to the core attributes or to an extension. */
function routeTopLevel(type: ResourceType, core: Values, extensions: Map<string, Values>, key: string, value: JsonValue): void {
  const coreDefinitions = coreAttributesOf(type);
  const extension = type.extensions.find((e) => lower(e.schema.id) === lower(key));
  if (extension) {
    if (value === null) return;
    if (!isObject(value)) throw invalid(`"${extension.schema.id}" must be a JSON object of ${extension.schema.name} attributes.`);
    const target = valuesOf(extensions, extension.schema.id);
    for (const [name, inner] of Object.entries(value)) setAttribute(target, extension.schema.attributes, name, inner, `${extension.schema.id}:`);
    return;
  }
  // URN-qualified top-level keys, e.g. "urn:…:enterprise:2.0:User:department" (RFC 7644 §3.10).
  const { schemaUrn, rest } = splitSchemaUrn(type, key);
  if (schemaUrn === undefined) return setAttribute(core, coreDefinitions, key, value, '');
  if (rest === '') return;
  const qualified = type.extensions.find((e) => e.schema.id === schemaUrn);
  if (!qualified) return setAttribute(core, coreDefinitions, rest, value, '');
  setAttribute(valuesOf(extensions, qualified.schema.id), qualified.schema.attributes, rest, value, `${qualified.schema.id}:`);
}

function valuesOf(extensions: Map<string, Values>, urn: string): Values {
  const existing = extensions.get(urn);
  if (existing) return existing;
  const created: Values = new Map();
  extensions.set(urn, created);
  return created;
}

/**
 * Stores one attribute under its canonical name. Unknown names are ignored (RFC 7644 §3.3
 * lets servers ignore them; Microsoft's tests expect it), read-only ones too (RFC 7644 §3.3
 * "SHALL be ignored"), and write-only ones are dropped because Roster keeps no secrets.
 */
function setAttribute(target: Values, definitions: readonly AttributeDefinition[], name: string, value: JsonValue, prefix: string): void {
  const definition = findAttribute(definitions, name);
  if (!definition || definition.mutability === 'readOnly' || definition.mutability === 'writeOnly') return;
  const path = `${prefix}${definition.name}`;
  if (target.has(definition.name)) throw invalid(`"${path}" is given more than once (attribute names are case-insensitive).`);
  const cleaned = cleanValue(definition, value, path);
  if (cleaned !== undefined) target.set(definition.name, cleaned);
}

/** RFC 7643 §2.5: null, "" and [] mean "unassigned", so they come back as `undefined`. */
function cleanValue(definition: AttributeDefinition, raw: JsonValue, path: string): JsonValue | undefined {
  if (definition.multiValued) return raw === null ? undefined : cleanMultiValued(definition, raw, path);
  // Entra wraps single values in a one-element list (entra-onelogin-jumpcloud.md §3.8 manager).
  const value = unwrapSingleValue(raw, definition.type === 'complex');
  if (value === null) return undefined;
  if (Array.isArray(value)) throw invalid(`"${path}" takes a single value, but a list of ${value.length} values was given.`);
  return definition.type === 'complex' ? cleanComplex(definition, value, path) : cleanSimple(definition, value, path);
}

function cleanMultiValued(definition: AttributeDefinition, value: JsonValue, path: string): JsonValue[] | undefined {
  // Some IdPs send one object where RFC 7643 wants a list of one: wrap it.
  const items = Array.isArray(value) ? value : [value];
  const cleaned: JsonValue[] = [];
  for (const item of items) {
    if (item === null) continue;
    const element = definition.type === 'complex' ? cleanComplex(definition, item, path) : cleanSimple(definition, item, path);
    if (element !== undefined && !isLabelOnly(definition, element)) cleaned.push(element);
  }
  if (cleaned.length === 0) return undefined;
  if (!UNCAPPED_ATTRIBUTES.has(definition.name) && cleaned.length > MAX_VALUES) {
    throw invalid(`"${path}" has ${cleaned.length} values; at most ${MAX_VALUES} are accepted.`);
  }
  const primaries = cleaned.filter((e) => isObject(e) && e['primary'] === true).length;
  if (primaries > 1) throw invalid(`"${path}" has ${primaries} values marked primary; at most one may be primary (RFC 7643 §2.4).`);
  return cleaned;
}

/**
 * An entry with no value, or (for addresses) nothing but labels, carries nothing to store:
 * Okta pushes empty values (okta.md §5). Same rule as patch/normalize-value.ts.
 */
function isLabelOnly(definition: AttributeDefinition, element: JsonValue): boolean {
  if (!isObject(element)) return false;
  if (findAttribute(definition.subAttributes ?? [], 'value')) return element['value'] === undefined;
  return Object.keys(element).every((key) => key === 'type' || key === 'primary' || key === 'display');
}

function cleanComplex(definition: AttributeDefinition, value: JsonValue, path: string): JsonObject | undefined {
  const subAttributes = definition.subAttributes ?? [];
  if (typeof value === 'string' && !definition.multiValued && findAttribute(subAttributes, 'value')) {
    // Entra sends the enterprise manager as a bare id (entra-onelogin-jumpcloud.md §3.3).
    const reference = referenceFromString(value);
    return reference === null ? undefined : cleanComplex(definition, reference, path);
  }
  if (!isObject(value)) {
    throw invalid(`"${path}" must be a JSON object with the sub-attributes ${subAttributes.map((s) => s.name).join(', ')}.`);
  }
  const values: Values = new Map();
  for (const [name, inner] of Object.entries(value)) setAttribute(values, subAttributes, name, inner, `${path}.`);
  return values.size === 0 ? undefined : inDefinitionOrder(subAttributes, values);
}

function cleanSimple(definition: AttributeDefinition, value: JsonValue, path: string): JsonValue | undefined {
  switch (definition.type) {
    case 'boolean':
      return parseBoolean(value, path);
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      throw invalid(`"${path}" must be an integer.`);
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(`"${path}" must be a number.`);
    case 'dateTime':
      return parseDateTime(value, path);
    default:
      return parseString(value, path, definition.type === 'binary' ? MAX_BINARY_LENGTH : MAX_STRING_LENGTH);
  }
}

/** Entra sends "True"/"False" as strings (entra-onelogin-jumpcloud.md §3.3, §3.6). */
function parseBoolean(value: JsonValue, path: string): boolean {
  if (typeof value === 'boolean') return value;
  const parsed = typeof value === 'string' ? parseBooleanString(value) : undefined;
  if (parsed !== undefined) return parsed;
  throw invalid(`"${path}" must be true or false, but ${JSON.stringify(value)} was given.`);
}

function parseString(value: JsonValue, path: string, maxLength: number): string | undefined {
  if (typeof value !== 'string') throw invalid(`"${path}" must be a string, but ${JSON.stringify(value)} was given.`);
  if (value === '') return undefined;
  // Length in characters (code points), checked only when the UTF-16 length could exceed it.
  if (value.length > maxLength && [...value].length > maxLength) {
    throw invalid(`"${path}" is longer than ${maxLength} characters.`);
  }
  return value;
}

/** RFC 7643 §2.3.5: xsd:dateTime, stored as sent. */
function parseDateTime(value: JsonValue, path: string): string | undefined {
  const text = parseString(value, path, MAX_STRING_LENGTH);
  if (text === undefined) return undefined;
  if (!DATE_TIME.test(text) || Number.isNaN(Date.parse(text))) {
    throw invalid(`"${path}" must be a date and time such as "2024-05-01T12:00:00Z", but "${text}" was given.`);
  }
  return text;
}

function checkRequired(type: ResourceType, core: Values): void {
  for (const definition of type.schema.attributes) {
    if (!definition.required) continue;
    const value = core.get(definition.name);
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
      throw invalid(`"${definition.name}" is required for a ${type.name} and must not be empty.`);
    }
  }
}

function inDefinitionOrder(definitions: readonly AttributeDefinition[], values: Values): JsonObject {
  const out: JsonObject = {};
  for (const definition of definitions) {
    const value = values.get(definition.name);
    if (value !== undefined) out[definition.name] = value;
  }
  return out;
}

/**
 * `schemas` lists the core URN plus every extension that has data: IdPs send enterprise data
 * without declaring its URN, and a declared extension without data says nothing.
 */
function assemble(type: ResourceType, core: Values, extensions: Map<string, Values>): JsonObject {
  const withData = type.extensions.filter((e) => (extensions.get(e.schema.id)?.size ?? 0) > 0);
  const out: JsonObject = { schemas: [type.schema.id, ...withData.map((e) => e.schema.id)] };
  Object.assign(out, inDefinitionOrder(coreAttributesOf(type), core));
  for (const extension of withData) {
    out[extension.schema.id] = inDefinitionOrder(extension.schema.attributes, extensions.get(extension.schema.id) ?? new Map());
  }
  return out;
}

/**
 * Entra: "values of the type sub-attribute of a multi-valued attribute must be unique" (at most
 * one work email; entra-onelogin-jumpcloud.md §1), compared case-insensitively. POST and PUT
 * refuse a repeated type, because the PATCH engine refuses to write one: a user created with two
 * work emails could never take Entra's `Replace emails[type eq "work"].value` again. Kept out of
 * validateResource, which also re-validates PATCH results, where old stored data must not block
 * an unrelated change (patch/finalize-resource.ts).
 */
export function checkUniqueTypes(type: ResourceType, resource: JsonObject): void {
  const locations = [
    { values: resource, definitions: type.schema.attributes },
    ...type.extensions.map((e) => ({ values: resource[e.schema.id], definitions: e.schema.attributes })),
  ];
  for (const { values, definitions } of locations) {
    if (!isObject(values)) continue;
    for (const definition of definitions.filter(hasTypeLabels)) {
      const list = values[definition.name];
      if (Array.isArray(list)) checkTypeLabels(definition.name, list);
    }
  }
}

/** Multi-valued attributes whose `type` tells values apart (several canonical types). */
function hasTypeLabels(definition: AttributeDefinition): boolean {
  const typeSub = definition.multiValued ? findAttribute(definition.subAttributes ?? [], 'type') : undefined;
  return (typeSub?.canonicalValues?.length ?? 0) > 1;
}

function checkTypeLabels(name: string, list: readonly JsonValue[]): void {
  const seen = new Set<string>();
  for (const element of list) {
    const label = isObject(element) ? element['type'] : undefined;
    if (typeof label !== 'string') continue;
    if (seen.has(label.toLowerCase())) {
      throw invalid(`"${name}" has more than one value of type "${label}"; each type may appear only once. Send one ${name} value per type.`);
    }
    seen.add(label.toLowerCase());
  }
}
