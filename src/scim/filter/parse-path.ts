import { badRequest, ScimError } from '../errors.js';
import { complex, type AttributeDefinition, type SchemaDefinition } from '../schemas/attribute.js';
import { findAttribute, resolveAttribute, schemaUrns, type ResourceType } from '../schemas/registry.js';
import type { Filter } from './ast.js';
import { abbreviate, tokenize, type Fail } from './lexer.js';
import { MAX_FILTER_LENGTH, Parser, type PathSyntax } from './parser.js';
import { resolveValueFilter, type ResolvedFilter, type ResolvedPath } from './resolve-filter.js';

/**
 * A resolved RFC 7644 §3.5.2 PATCH path `[urn:…:]attribute[[valueFilter]][.subAttribute]`.
 * A bare extension URN targets the whole extension object: `extension` is the URN and
 * `attribute` is a synthetic complex definition named after the URN (see `isExtensionRoot`).
 */
export interface PatchPath {
  readonly extension: string | undefined;
  readonly attribute: AttributeDefinition;
  /** The filter inside `[…]`; its paths are `{ attribute, subAttribute: <element field> }`. */
  readonly valueFilter: ResolvedFilter | undefined;
  readonly subAttribute: AttributeDefinition | undefined;
}

const extensionRoots = new WeakMap<SchemaDefinition, AttributeDefinition>();

/** The definition standing for a whole extension object, one stable object per schema. */
function extensionRootDefinition(schema: SchemaDefinition): AttributeDefinition {
  let definition = extensionRoots.get(schema);
  if (!definition) {
    definition = complex(schema.id, schema.attributes, { description: schema.description });
    extensionRoots.set(schema, definition);
  }
  return definition;
}

/** Whether a PATCH path is a bare extension URN, i.e. targets the whole extension object. */
export function isExtensionRoot(path: PatchPath): boolean {
  return path.extension !== undefined && path.attribute.name === path.extension;
}

/**
 * Parses and resolves a PATCH `path` against a resource type, case-insensitively. Throws
 * `ScimError(400, 'invalidPath')` for malformed paths, unknown attributes and forbidden
 * segments (`__proto__`, `constructor`, `prototype`).
 */
export function parsePatchPath(type: ResourceType, text: string): PatchPath {
  const failPath: Fail = (message) => badRequest('invalidPath', `Invalid PATCH path "${abbreviate(text)}": ${message}`);
  if (text.length > MAX_FILTER_LENGTH) throw failPath(`the path is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}`);
  const trimmed = text.trim();
  if (trimmed === '') throw failPath('the path is empty; omit "path" to target the whole resource');
  const lowered = trimmed.toLowerCase();
  const extension = type.extensions.find((e) => e.schema.id.toLowerCase() === lowered);
  if (extension) {
    return { extension: extension.schema.id, attribute: extensionRootDefinition(extension.schema), valueFilter: undefined, subAttribute: undefined };
  }
  if (lowered === type.schema.id.toLowerCase()) throw failPath('the core schema URN alone is not a path; omit "path" to target the whole resource');
  const leading = text.length - text.trimStart().length;
  const simplePart = trimmed.split('[', 1)[0] ?? '';
  // Whitespace is legal only inside the value filter; `name. givenName` is a typo, not a path.
  const space = simplePart.search(/\s/);
  if (space >= 0) throw failPath(`no space is allowed in a path outside "[…]" (position ${leading + space})`);
  const syntax = new Parser(tokenize(text, failPath), failPath, 'path').parsePath();
  return resolvePatchPath(type, syntax, failPath);
}

function resolvePatchPath(type: ResourceType, syntax: PathSyntax, failPath: Fail): PatchPath {
  const { path, valueFilter } = syntax;
  if (path.schema !== undefined && !schemaUrns(type).some((urn) => urn.toLowerCase() === path.schema?.toLowerCase())) {
    throw failPath(`unknown schema "${path.schema}"; ${type.name} resources use ${schemaUrns(type).join(' and ')}`);
  }
  const found = resolveAttribute(type, path.schema, path.attribute);
  if (!found) throw failPath(`unknown attribute "${path.attribute}"; ${type.name} resources have no such attribute (see /Schemas)`);
  const attribute = found.definition;
  const subName = valueFilter ? syntax.subAttribute : path.subAttribute;
  let subAttribute: AttributeDefinition | undefined;
  if (subName !== undefined) {
    subAttribute = findAttribute(attribute.subAttributes ?? [], subName);
    if (!subAttribute) throw failPath(`"${attribute.name}" has no sub-attribute "${subName}"`);
  }
  const outer: ResolvedPath = { extension: found.extension, attribute, subAttribute: undefined };
  const resolvedFilter = valueFilter ? resolveElementFilter(type, outer, valueFilter, failPath) : undefined;
  return { extension: found.extension, attribute, valueFilter: resolvedFilter, subAttribute };
}

function resolveElementFilter(type: ResourceType, outer: ResolvedPath, filter: Filter, failPath: Fail): ResolvedFilter {
  if (outer.attribute.type !== 'complex' || !outer.attribute.multiValued) {
    throw failPath(`"${outer.attribute.name}" is not a multi-valued complex attribute, so it cannot take a value filter "[…]"`);
  }
  try {
    return resolveValueFilter(type, outer, filter);
  } catch (error) {
    // RFC 7644 §3.5.2: a bad filter inside a PATCH path is a malformed path.
    if (error instanceof ScimError && error.scimType === 'invalidFilter') throw failPath(error.detail.replace(/^Invalid filter: /, ''));
    throw error;
  }
}
