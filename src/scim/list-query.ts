/**
 * Query parameters of `GET /Users`, `GET /Groups` and the `POST /.search` body
 * (RFC 7644 §3.4.2, §3.4.3), normalised into one typed value.
 */
import { badRequest } from './errors.js';
import { parseAttributeList } from './projection.js';

export type SortOrder = 'ascending' | 'descending';

/** A normalised list request; `filter` is still raw text (parsed by scim/filter). */
export interface ListQuery {
  readonly filter: string | undefined;
  /** 1-based (RFC 7644 §3.4.2.4). */
  readonly startIndex: number;
  readonly count: number;
  readonly sortBy: string | undefined;
  readonly sortOrder: SortOrder;
  readonly attributes: string[] | undefined;
  readonly excludedAttributes: string[] | undefined;
}

const PARAMETERS = ['filter', 'startIndex', 'count', 'sortBy', 'sortOrder', 'attributes', 'excludedAttributes'] as const;
type Parameter = (typeof PARAMETERS)[number];

/**
 * Parses query-string values (strings, or arrays when repeated) or a `.search` body (numbers
 * and arrays). Unknown parameters are ignored: Entra admins append flags such as
 * `aadOptscim062020` to the tenant URL (entra-onelogin-jumpcloud.md §1).
 */
export function parseListQuery(query: Record<string, unknown>, limits: { defaultCount: number; maxCount: number }): ListQuery {
  const raw = pickParameters(query);
  const count = parseInteger(raw.get('count'), 'count');
  const attributes = parseNames(raw.get('attributes'), 'attributes');
  const excludedAttributes = parseNames(raw.get('excludedAttributes'), 'excludedAttributes');
  if (attributes !== undefined && excludedAttributes !== undefined) {
    throw badRequest('invalidValue', 'Use either "attributes" or "excludedAttributes", not both in one request.');
  }
  return {
    filter: parseText(raw.get('filter'), 'filter'),
    // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
    startIndex: Math.max(1, parseInteger(raw.get('startIndex'), 'startIndex') ?? 1),
    count: count === undefined ? limits.defaultCount : Math.min(Math.max(0, count), limits.maxCount),
    sortBy: parseText(raw.get('sortBy'), 'sortBy'),
    sortOrder: parseSortOrder(raw.get('sortOrder')),
    attributes,
    excludedAttributes,
  };
}

/** RFC names are case-sensitive, but clients vary (`StartIndex`, `Count`); matching is lenient. */
function pickParameters(query: Record<string, unknown>): Map<Parameter, unknown> {
  const picked = new Map<Parameter, unknown>();
  for (const [key, value] of Object.entries(query)) {
    const parameter = PARAMETERS.find((p) => p.toLowerCase() === key.toLowerCase());
    if (parameter === undefined || value === undefined) continue;
    if (picked.has(parameter)) throw badRequest('invalidValue', `The "${parameter}" parameter is given more than once.`);
    picked.set(parameter, value);
  }
  return picked;
}

/** A single value; a query parameter repeated in the URL arrives as an array. */
function single(value: unknown, name: Parameter): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length === 1) return value[0];
  throw badRequest('invalidValue', `The "${name}" parameter is given more than once.`);
}

function parseText(value: unknown, name: Parameter): string | undefined {
  const text = single(value, name);
  if (text === undefined || text === null) return undefined;
  if (typeof text !== 'string') {
    throw badRequest(name === 'filter' ? 'invalidFilter' : 'invalidValue', `The "${name}" parameter must be a string.`);
  }
  return text.trim() === '' ? undefined : text;
}

function parseInteger(value: unknown, name: Parameter): number | undefined {
  const raw = single(value, name);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const number = typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw badRequest('invalidValue', `The "${name}" parameter must be an integer, but ${JSON.stringify(raw)} was given.`);
  }
  // Absurdly large values behave like the largest safe one (an empty page, or the page cap).
  return Math.min(Math.max(number, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
}

function parseSortOrder(value: unknown): SortOrder {
  const text = parseText(value, 'sortOrder');
  if (text === undefined) return 'ascending';
  const order = text.trim().toLowerCase();
  if (order === 'ascending' || order === 'descending') return order;
  throw badRequest('invalidValue', `The "sortOrder" parameter must be "ascending" or "descending", but "${text}" was given.`);
}

/** A comma-separated string (query string) or an array of strings (`.search` body, RFC 7644 §3.4.3). */
function parseNames(value: unknown, name: Parameter): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((part): part is string => typeof part === 'string')) {
    throw badRequest('invalidValue', `The "${name}" parameter must be a comma-separated list of attribute names.`);
  }
  const names = parts.flatMap((part) => parseAttributeList(part) ?? []);
  return names.length === 0 ? undefined : names;
}
