/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) applied to a serialised
 * resource, using the `returned` flags of the schema registry.
 */
import type { AttributeDefinition } from './schemas/attribute.js';
import { coreAttributesOf, findAttribute, resolveAttribute, splitSchemaUrn, type ResourceType } from './schemas/registry.js';
import { isJsonObject as isObject, type JsonObject, type JsonValue } from './json.js';

/** The attribute lists of a request; at most one of them is set (see parseListQuery). */
export interface AttributeSelection {
  attributes?: string[] | undefined;
  excludedAttributes?: string[] | undefined;
}

/** What to do with one attribute: drop it, keep it whole, or keep/drop some sub-attributes. */
type Decision =
  | { readonly kind: 'none' }
  | { readonly kind: 'all' }
  | { readonly kind: 'only'; readonly subs: ReadonlySet<string> }
  | { readonly kind: 'except'; readonly subs: ReadonlySet<string> };

/** Requested names, keyed by location; the value is 'all' or the requested sub-attributes. */
interface CompiledSelection {
  readonly mode: 'include' | 'exclude' | 'default';
  readonly entries: ReadonlyMap<string, 'all' | Set<string>>;
}

interface Target {
  readonly extension: string | undefined;
  readonly definition: AttributeDefinition;
  readonly subAttribute: AttributeDefinition | undefined;
}

const lower = (s: string): string => s.toLowerCase();
const locationKey = (extension: string | undefined, name: string): string => `${extension ?? ''}#${lower(name)}`;

/** Splits a comma-separated attribute list; `undefined` when nothing is named. */
export function parseAttributeList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  return names.length === 0 ? undefined : names;
}

/** Returns the resource as the client asked to see it; `schemas` and `id` always stay. */
export function projectResource(type: ResourceType, resource: JsonObject, selection: AttributeSelection): JsonObject {
  if (isDefaultSelection(selection) && !hasHiddenAttribute(type, resource)) return resource;
  const compiled = compileSelection(type, selection);
  const core = coreAttributesOf(type);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    if (lower(key) === 'schemas') {
      out[key] = value;
      continue;
    }
    const extension = type.extensions.find((e) => lower(e.schema.id) === lower(key));
    const projected = extension
      ? projectObject(compiled, extension.schema.id, extension.schema.attributes, value)
      : projectMember(compiled, undefined, core, key, value);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

/**
 * Whether `attributeName` will appear in the projected resource, so services can skip loading
 * it (Entra reads teams with `excludedAttributes=members`, entra-onelogin-jumpcloud.md §3.9).
 */
export function wantsAttribute(type: ResourceType, selection: AttributeSelection, attributeName: string): boolean {
  const compiled = compileSelection(type, selection);
  return resolvedName(type, attributeName).some((t) => decide(compiled, t.extension, t.definition).kind !== 'none');
}

/** resolvePath of the names services ask wantsAttribute about: a few fixed names, asked on every read. */
const resolvedNames = new WeakMap<ResourceType, Map<string, readonly Target[]>>();

function resolvedName(type: ResourceType, name: string): readonly Target[] {
  let names = resolvedNames.get(type);
  if (!names) resolvedNames.set(type, (names = new Map()));
  let targets = names.get(name);
  if (!targets) names.set(name, (targets = resolvePath(type, name)));
  return targets;
}

function projectObject(compiled: CompiledSelection, extension: string, definitions: readonly AttributeDefinition[], value: JsonValue): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    const projected = projectMember(compiled, extension, definitions, key, inner);
    if (projected !== undefined) out[key] = projected;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Projects one attribute; the registry is the allowlist, so keys it does not describe are dropped. */
function projectMember(compiled: CompiledSelection, extension: string | undefined, definitions: readonly AttributeDefinition[], key: string, value: JsonValue): JsonValue | undefined {
  const definition = findAttribute(definitions, key);
  if (!definition) return undefined;
  const decision = decide(compiled, extension, definition);
  if (decision.kind === 'none') return undefined;
  if (definition.type !== 'complex') return value;
  const pick = (item: JsonValue): JsonValue | undefined => (isObject(item) ? pickSubAttributes(definition, item, decision) : item);
  if (!Array.isArray(value)) return pick(value);
  const items = value.map(pick).filter((item): item is JsonValue => item !== undefined);
  return items.length === 0 ? undefined : items;
}

function pickSubAttributes(definition: AttributeDefinition, value: JsonObject, decision: Decision): JsonObject | undefined {
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    const sub = findAttribute(definition.subAttributes ?? [], key);
    if (keepSubAttribute(decision, sub)) out[key] = inner;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function keepSubAttribute(decision: Decision, sub: AttributeDefinition | undefined): boolean {
  if (sub === undefined || sub.returned === 'never') return false;
  if (sub.returned === 'always') return true;
  const name = lower(sub.name);
  if (decision.kind === 'only') return decision.subs.has(name);
  if (sub.returned === 'request') return false;
  return decision.kind !== 'except' || !decision.subs.has(name);
}

/** RFC 7643 §7 `returned`: never is never shown, always always, request only when named. */
function decide(compiled: CompiledSelection, extension: string | undefined, definition: AttributeDefinition): Decision {
  if (definition.returned === 'never') return { kind: 'none' };
  if (definition.returned === 'always') return { kind: 'all' };
  const entry = compiled.entries.get(locationKey(extension, definition.name));
  if (compiled.mode === 'include') {
    if (entry === undefined) return { kind: 'none' };
    return entry === 'all' ? { kind: 'all' } : { kind: 'only', subs: entry };
  }
  if (definition.returned === 'request') return { kind: 'none' };
  if (compiled.mode === 'default' || entry === undefined) return { kind: 'all' };
  return entry === 'all' ? { kind: 'none' } : { kind: 'except', subs: entry };
}

/** No `attributes` and no `excludedAttributes`: every attribute the resource type returns by default. */
export function isDefaultSelection(selection: AttributeSelection): boolean {
  return (selection.attributes ?? []).length === 0 && (selection.excludedAttributes ?? []).length === 0;
}

/**
 * Top-level names (lower-cased, per resource type) that the default projection removes:
 * `returned: never` or `request` (RFC 7643 §7), or holding a sub-attribute that is. Lists of
 * 100 users are projected on every Okta import page, so the common case — nothing to remove —
 * returns the resource untouched instead of rebuilding it.
 */
const hiddenNames = new WeakMap<ResourceType, { readonly names: ReadonlySet<string>; readonly lengths: ReadonlySet<number> }>();

function hiddenOf(type: ResourceType): { readonly names: ReadonlySet<string>; readonly lengths: ReadonlySet<number> } {
  const cached = hiddenNames.get(type);
  if (cached) return cached;
  const hides = (d: AttributeDefinition): boolean => d.returned === 'never' || d.returned === 'request' || (d.subAttributes ?? []).some(hides);
  const names = new Set<string>();
  for (const d of coreAttributesOf(type)) if (hides(d)) names.add(lower(d.name));
  for (const ext of type.extensions) if (ext.schema.attributes.some(hides)) names.add(lower(ext.schema.id));
  const hidden = { names, lengths: new Set([...names].map((name) => name.length)) };
  hiddenNames.set(type, hidden);
  return hidden;
}

/** The top-level names (lower-cased) that the default projection removes from a `type` resource. */
export function hiddenNamesOf(type: ResourceType): ReadonlySet<string> {
  return hiddenOf(type).names;
}

function hasHiddenAttribute(type: ResourceType, resource: JsonObject): boolean {
  const { names, lengths } = hiddenOf(type);
  // Every read of a resource asks this; only a key as long as a hidden name is lower-cased.
  for (const key in resource) if (lengths.has(key.length) && names.has(lower(key))) return true;
  return false;
}

function compileSelection(type: ResourceType, selection: AttributeSelection): CompiledSelection {
  const included = selection.attributes ?? [];
  const excluded = selection.excludedAttributes ?? [];
  const mode = included.length > 0 ? 'include' : excluded.length > 0 ? 'exclude' : 'default';
  const entries = new Map<string, 'all' | Set<string>>();
  for (const path of mode === 'include' ? included : excluded) {
    for (const target of resolvePath(type, path)) {
      const key = locationKey(target.extension, target.definition.name);
      const existing = entries.get(key);
      if (target.subAttribute === undefined) entries.set(key, 'all');
      else if (existing === undefined) entries.set(key, new Set([lower(target.subAttribute.name)]));
      else if (existing !== 'all') existing.add(lower(target.subAttribute.name));
    }
  }
  return { mode, entries };
}

/**
 * Resolves `[urn:]attr[.sub]` case-insensitively; a bare schema URN names every attribute of
 * that schema. Unknown names resolve to nothing and are thereby ignored.
 */
function resolvePath(type: ResourceType, path: string): Target[] {
  const { schemaUrn, rest } = splitSchemaUrn(type, path.trim());
  if (rest === '') {
    if (schemaUrn === undefined) return [];
    const extension = type.extensions.find((e) => e.schema.id === schemaUrn);
    const definitions = extension ? extension.schema.attributes : type.schema.attributes;
    return definitions.map((definition) => ({ extension: extension?.schema.id, definition, subAttribute: undefined }));
  }
  const [name = '', sub, ...deeper] = rest.split('.');
  if (deeper.length > 0) return [];
  const resolved = resolveAttribute(type, schemaUrn, name, sub);
  return resolved ? [resolved] : [];
}
