import type { FastifyRequest } from 'fastify';
import { parseAttributeList, type AttributeSelection } from '../../scim/projection.js';

/** Page size limits of list endpoints (advertised in /ServiceProviderConfig). */
export interface ListLimits {
  readonly defaultCount: number;
  readonly maxCount: number;
}

/** `attributes` / `excludedAttributes` from a query string; parameter names in any letter case. */
export function selectionOf(query: Record<string, unknown>): AttributeSelection {
  const pick = (name: string) => {
    const key = Object.keys(query).find((k) => k.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : query[key];
    return parseAttributeList(typeof value === 'string' ? value : undefined);
  };
  return { attributes: pick('attributes'), excludedAttributes: pick('excludedAttributes') };
}

/** One request header as a single string (repeated headers joined with commas, RFC 9110 §5.3). */
export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
