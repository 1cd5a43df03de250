import { badRequest } from '../errors.js';
import type { AttributeDefinition } from '../schemas/attribute.js';
import { findAttribute, resolveAttribute, schemaUrns, type ResourceType } from '../schemas/registry.js';
import type { AttrPath, CompareOp, Filter, FilterValue } from './ast.js';
import { checkFilterValue } from './check-value.js';

/**
 * An attribute path checked against the registry, with canonical definitions. Every path is
 * absolute: inside a value path `emails[type eq "work"]` the inner path is
 * `{ attribute: emails, subAttribute: type }`.
 */
export interface ResolvedPath {
  /** The canonical extension URN (the key of the extension object), `undefined` for core and common attributes. */
  readonly extension: string | undefined;
  readonly attribute: AttributeDefinition;
  readonly subAttribute: AttributeDefinition | undefined;
}

/**
 * A filter whose paths are resolved and whose values match the attribute types (booleans are
 * booleans, dateTimes are ISO 8601 UTC strings). Complex attributes with a `value`
 * sub-attribute are already redirected to it (`emails eq "x"` → `emails.value eq "x"`).
 */
export type ResolvedFilter =
  | { readonly kind: 'compare'; readonly path: ResolvedPath; readonly op: CompareOp; readonly value: FilterValue }
  | { readonly kind: 'present'; readonly path: ResolvedPath }
  | { readonly kind: 'and' | 'or'; readonly left: ResolvedFilter; readonly right: ResolvedFilter }
  | { readonly kind: 'not'; readonly filter: ResolvedFilter }
  | {
      readonly kind: 'valuePath';
      /** The complex attribute; `subAttribute` is undefined. */
      readonly path: ResolvedPath;
      /** Applies to one element; its paths have `attribute` = the outer attribute. */
      readonly filter: ResolvedFilter;
    };

const fail = (message: string) => badRequest('invalidFilter', message);

/** Writes a resolved path the way a client would (`urn:…:User:manager.value`), for messages. */
export function formatResolvedPath(path: ResolvedPath): string {
  const prefix = path.extension === undefined ? '' : `${path.extension}:`;
  return `${prefix}${path.attribute.name}${path.subAttribute ? `.${path.subAttribute.name}` : ''}`;
}

/**
 * Checks every attribute of a parsed filter against the resource type, case-insensitively,
 * and every value against its attribute type. Throws `ScimError(400, 'invalidFilter')`.
 */
export function resolveFilter(type: ResourceType, filter: Filter): ResolvedFilter {
  return resolveNode(type, filter, undefined);
}

/** Resolves the filter inside `attr[…]` whose paths are sub-attributes of `outer`. */
export function resolveValueFilter(type: ResourceType, outer: ResolvedPath, filter: Filter): ResolvedFilter {
  return resolveNode(type, filter, outer);
}

function resolveNode(type: ResourceType, node: Filter, outer: ResolvedPath | undefined): ResolvedFilter {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, left: resolveNode(type, node.left, outer), right: resolveNode(type, node.right, outer) };
    case 'not':
      return { kind: 'not', filter: resolveNode(type, node.filter, outer) };
    case 'present':
      return { kind: 'present', path: resolveTarget(type, node.path, outer, 'pr') };
    case 'compare': {
      const path = resolveTarget(type, node.path, outer, node.op);
      const checked = checkFilterValue(path.subAttribute ?? path.attribute, formatResolvedPath(path), node.op, node.value);
      if ('error' in checked) throw fail(`Invalid filter: ${checked.error}.`);
      return { kind: 'compare', path, op: node.op, value: checked.value };
    }
    case 'valuePath': {
      if (outer) throw fail(`Invalid filter: value filters cannot be nested inside "${outer.attribute.name}[…]".`);
      const path = resolveValuePathAttribute(type, node.path);
      return { kind: 'valuePath', path, filter: resolveNode(type, node.filter, path) };
    }
  }
}

/** Resolves the attribute in front of `[…]`; it must be multi-valued and complex (RFC 7644 §3.4.2.2 valuePath). */
function resolveValuePathAttribute(type: ResourceType, path: AttrPath): ResolvedPath {
  const resolved = resolveOuter(type, path);
  if (resolved.attribute.type !== 'complex' || !resolved.attribute.multiValued) {
    throw fail(`Invalid filter: "${formatAttrPath(path)}" is not a multi-valued complex attribute, so it cannot take a value filter "[…]".`);
  }
  return resolved;
}

function resolveTarget(type: ResourceType, path: AttrPath, outer: ResolvedPath | undefined, op: CompareOp | 'pr'): ResolvedPath {
  const resolved = outer ? resolveInner(outer, path) : resolveOuter(type, path);
  const leaf = resolved.subAttribute ?? resolved.attribute;
  if (leaf.type !== 'complex') return resolved;
  // RFC 7644 §3.4.2.2: `emails eq "x"` (and Entra's `manager eq "<id>"`) compare the `value` sub-attribute.
  const value = findAttribute(leaf.subAttributes ?? [], 'value');
  if (value && resolved.subAttribute === undefined) return { ...resolved, subAttribute: value };
  if (op === 'pr') return resolved;
  const example = leaf.subAttributes?.[0]?.name ?? 'value';
  throw fail(`Invalid filter: "${formatResolvedPath(resolved)}" is a complex attribute; compare one of its sub-attributes, e.g. "${leaf.name}.${example}".`);
}

function resolveOuter(type: ResourceType, path: AttrPath): ResolvedPath {
  const text = formatAttrPath(path);
  if (path.schema !== undefined && !schemaUrns(type).some((urn) => urn.toLowerCase() === path.schema?.toLowerCase())) {
    throw fail(`Unknown schema "${path.schema}" in filter attribute "${text}"; ${type.name} resources use ${schemaUrns(type).join(' and ')}.`);
  }
  const found = resolveAttribute(type, path.schema, path.attribute, path.subAttribute);
  if (!found) throw fail(`Unknown attribute "${text}" in filter; ${type.name} resources have no such attribute (see /Schemas).`);
  const resolved = { extension: found.extension, attribute: found.definition, subAttribute: found.subAttribute };
  rejectNeverReturned(resolved);
  return resolved;
}

function resolveInner(outer: ResolvedPath, path: AttrPath): ResolvedPath {
  const outerName = outer.attribute.name;
  const subAttributes = outer.attribute.subAttributes ?? [];
  if (path.schema !== undefined || path.subAttribute !== undefined) {
    throw fail(`Invalid filter: "${formatAttrPath(path)}" inside "${outerName}[…]" must be a sub-attribute name of ${outerName}, e.g. "${subAttributes[0]?.name ?? 'value'}".`);
  }
  const sub = findAttribute(subAttributes, path.attribute);
  if (!sub) {
    const names = subAttributes.map((a) => a.name).join(', ');
    throw fail(`Unknown attribute "${path.attribute}" in filter; "${outerName}" has the sub-attributes ${names}.`);
  }
  const resolved = { extension: outer.extension, attribute: outer.attribute, subAttribute: sub };
  rejectNeverReturned(resolved);
  return resolved;
}

/** RFC 7644 §3.4.2.2: attributes that are never returned (password) cannot be filtered on. */
function rejectNeverReturned(path: ResolvedPath): void {
  if (path.attribute.returned === 'never' || path.subAttribute?.returned === 'never') {
    throw fail(`Invalid filter: "${formatResolvedPath(path)}" is never returned, so it cannot be used in a filter.`);
  }
}

/** Writes an unresolved path as the client wrote it, for messages. */
export function formatAttrPath(path: AttrPath): string {
  return `${path.schema === undefined ? '' : `${path.schema}:`}${path.attribute}${path.subAttribute === undefined ? '' : `.${path.subAttribute}`}`;
}
