import type { AttributeDefinition, SchemaDefinition } from './attribute.js';
import { commonAttributes } from './common-attributes.js';
import { ENTERPRISE_USER_SCHEMA, enterpriseUserSchema } from './enterprise-user-schema.js';
import { GROUP_SCHEMA, groupSchema } from './group-schema.js';
import { USER_SCHEMA, userSchema } from './user-schema.js';

export type ResourceTypeName = 'User' | 'Group';

/** RFC 7643 §6: a resource type, its core schema and its extensions. */
export interface ResourceType {
  readonly id: ResourceTypeName;
  readonly name: ResourceTypeName;
  readonly endpoint: '/Users' | '/Groups';
  readonly description: string;
  readonly schema: SchemaDefinition;
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[];
}

export const userResourceType: ResourceType = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'Account members',
  schema: userSchema,
  extensions: [{ schema: enterpriseUserSchema, required: false }],
};

export const groupResourceType: ResourceType = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Teams of account members',
  schema: groupSchema,
  extensions: [],
};

export const resourceTypes: readonly ResourceType[] = [userResourceType, groupResourceType];
export const schemas: readonly SchemaDefinition[] = [userSchema, enterpriseUserSchema, groupSchema];

/** A resolved attribute: where it lives in a resource and its definition. */
export interface ResolvedAttribute {
  /** `undefined` for core and common attributes; the extension URN otherwise. */
  readonly extension: string | undefined;
  readonly definition: AttributeDefinition;
  readonly subAttribute: AttributeDefinition | undefined;
}

const lower = (s: string): string => s.toLowerCase();

/** Schema URNs a resource type accepts in `schemas` and as attribute prefixes. */
export function schemaUrns(type: ResourceType): string[] {
  return [type.schema.id, ...type.extensions.map((e) => e.schema.id)];
}

/**
 * The common attributes (RFC 7643 §3.1) and the core schema's, as one array per resource type.
 * findAttribute indexes each array by name once and keeps the index with it, so callers must
 * not build this list per call: each new array would be indexed anew.
 */
const coreAttributeLists = new WeakMap<ResourceType, readonly AttributeDefinition[]>();

export function coreAttributesOf(type: ResourceType): readonly AttributeDefinition[] {
  let attributes = coreAttributeLists.get(type);
  if (!attributes) coreAttributeLists.set(type, (attributes = [...commonAttributes, ...type.schema.attributes]));
  return attributes;
}

/** Each attribute list by lower-cased name, built once: every request resolves a few names. */
const byLowerName = new WeakMap<readonly AttributeDefinition[], ReadonlyMap<string, AttributeDefinition>>();

function attributesByLowerName(attributes: readonly AttributeDefinition[]): ReadonlyMap<string, AttributeDefinition> {
  let names = byLowerName.get(attributes);
  if (!names) {
    // The first definition of a name wins, as a linear search would find it.
    names = new Map([...attributes].reverse().map((a) => [lower(a.name), a]));
    byLowerName.set(attributes, names);
  }
  return names;
}

/** Finds a top-level attribute by name, case-insensitively (RFC 7643 §2.1). */
export function findAttribute(attributes: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  if (attributes.length === 0) return undefined;
  const names = attributesByLowerName(attributes);
  return names.get(name) ?? names.get(lower(name));
}

/**
 * Resolves `[urn:]attribute[.sub]` against a resource type, case-insensitively. A name
 * without URN is looked up in common attributes, the core schema, then the extensions
 * (so `manager` finds the enterprise manager). Returns `undefined` for unknown names.
 */
export function resolveAttribute(type: ResourceType, schemaUrn: string | undefined, attributeName: string, subAttributeName?: string): ResolvedAttribute | undefined {
  const candidates: { extension: string | undefined; attributes: readonly AttributeDefinition[] }[] = [];
  if (schemaUrn === undefined) {
    candidates.push({ extension: undefined, attributes: commonAttributes }, { extension: undefined, attributes: type.schema.attributes });
    for (const ext of type.extensions) candidates.push({ extension: ext.schema.id, attributes: ext.schema.attributes });
  } else if (lower(schemaUrn) === lower(type.schema.id)) {
    candidates.push({ extension: undefined, attributes: commonAttributes }, { extension: undefined, attributes: type.schema.attributes });
  } else {
    const ext = type.extensions.find((e) => lower(e.schema.id) === lower(schemaUrn));
    if (ext) candidates.push({ extension: ext.schema.id, attributes: ext.schema.attributes });
  }
  for (const candidate of candidates) {
    const definition = findAttribute(candidate.attributes, attributeName);
    if (!definition) continue;
    if (subAttributeName === undefined) return { extension: candidate.extension, definition, subAttribute: undefined };
    const subAttribute = definition.subAttributes ? findAttribute(definition.subAttributes, subAttributeName) : undefined;
    return subAttribute ? { extension: candidate.extension, definition, subAttribute } : undefined;
  }
  return undefined;
}

/**
 * Splits a possibly URN-qualified attribute path (`urn:…:User:name.givenName`,
 * `urn:…:enterprise:2.0:User:manager`) into its URN and the rest, using the known schema
 * URNs (the URN itself contains colons and dots, so it cannot be split by syntax alone).
 */
export function splitSchemaUrn(type: ResourceType, path: string): { schemaUrn: string | undefined; rest: string } {
  const lowered = lower(path);
  for (const urn of schemaUrns(type).sort((a, b) => b.length - a.length)) {
    const prefix = lower(urn);
    if (lowered === prefix) return { schemaUrn: urn, rest: '' };
    if (lowered.startsWith(prefix + ':')) return { schemaUrn: urn, rest: path.slice(urn.length + 1) };
  }
  return { schemaUrn: undefined, rest: path };
}

export { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA };
