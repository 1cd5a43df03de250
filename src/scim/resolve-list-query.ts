import { badRequest } from './errors.js';
import { parseFilter, resolveFilter, type ResolvedFilter, type ResolvedPath } from './filter/index.js';
import type { ListQuery } from './list-query.js';
import { resolveAttribute, splitSchemaUrn, type ResourceType } from './schemas/registry.js';

/** The parts of a list request the database answers, checked against the resource's schema. */
export interface ResolvedListQuery {
  readonly filter: ResolvedFilter | undefined;
  readonly sortBy: ResolvedPath | undefined;
}

/**
 * Parses and resolves `filter` (RFC 7644 §3.4.2.2, 400 invalidFilter) and `sortBy` (§3.4.2.3,
 * 400 invalidValue for an attribute the resource does not have).
 */
export function resolveListQuery(type: ResourceType, query: Pick<ListQuery, 'filter' | 'sortBy'>): ResolvedListQuery {
  return {
    filter: query.filter === undefined ? undefined : resolveFilter(type, parseFilter(query.filter)),
    sortBy: query.sortBy === undefined ? undefined : resolveSortBy(type, query.sortBy),
  };
}

function resolveSortBy(type: ResourceType, sortBy: string): ResolvedPath {
  const { schemaUrn, rest } = splitSchemaUrn(type, sortBy);
  const [attribute = '', sub] = rest.split('.');
  const resolved = resolveAttribute(type, schemaUrn, attribute, sub);
  if (!resolved) throw badRequest('invalidValue', `Cannot sort by "${sortBy}": no such ${type.name} attribute.`);
  return { extension: resolved.extension, attribute: resolved.definition, subAttribute: resolved.subAttribute };
}
