import type { AttributeDefinition } from '../schemas/attribute.js';
import type { CompareOp, FilterValue } from './ast.js';

const ORDERING: ReadonlySet<CompareOp> = new Set<CompareOp>(['gt', 'ge', 'lt', 'le']);
const SUBSTRING: ReadonlySet<CompareOp> = new Set<CompareOp>(['co', 'sw', 'ew']);
// xsd:dateTime (RFC 7643 §2.3.5), with the time and zone optional as clients often drop them.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/**
 * Parses an RFC 7643 §2.3.5 dateTime to epoch milliseconds; a missing zone means UTC so the
 * result never depends on the server's time zone. `undefined` if it is not a date.
 */
export function parseDateTime(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match || !hasValidFields(match)) return undefined;
  const zoned = text.length > 10 && match[7] === undefined ? `${text}Z` : text;
  const time = Date.parse(zoned.toUpperCase());
  return Number.isNaN(time) ? undefined : time;
}

// Date.parse rolls "2024-02-30" over to March and accepts "24:00"; a filter value must be a real instant.
function hasValidFields(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && (hour ?? 0) <= 23 && (minute ?? 0) <= 59 && (second ?? 0) <= 59;
}

/**
 * Checks a comparison value against the attribute's type and returns it normalised:
 * booleans as booleans, dateTimes as ISO 8601 UTC strings. Returns an error message instead
 * of throwing so the caller picks the scimType.
 */
export function checkFilterValue(leaf: AttributeDefinition, name: string, op: CompareOp, value: FilterValue): { value: FilterValue } | { error: string } {
  if (value === null) {
    return op === 'eq' || op === 'ne' ? { value } : { error: `"${op}" cannot compare "${name}" with null; only eq and ne accept null` };
  }
  switch (leaf.type) {
    case 'boolean':
      return checkBoolean(name, op, value);
    case 'integer':
    case 'decimal':
      return checkNumber(leaf, name, op, value);
    case 'dateTime':
      return checkDate(name, op, value);
    default:
      return checkString(leaf, name, op, value);
  }
}

function checkBoolean(name: string, op: CompareOp, value: Exclude<FilterValue, null>): { value: FilterValue } | { error: string } {
  // RFC 7644 §3.4.2.2: gt/ge/lt/le on a boolean is an invalidFilter.
  if (ORDERING.has(op) || SUBSTRING.has(op)) return { error: `"${op}" cannot be used on the boolean attribute "${name}"; use eq or ne` };
  if (typeof value === 'boolean') return { value };
  // Entra writes booleans as strings, e.g. roles[primary eq "True"] (entra-onelogin-jumpcloud.md §3.5).
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return { value: value.toLowerCase() === 'true' };
  return { error: `"${name}" is a boolean; compare it with true or false` };
}

function checkNumber(leaf: AttributeDefinition, name: string, op: CompareOp, value: Exclude<FilterValue, null>): { value: FilterValue } | { error: string } {
  if (SUBSTRING.has(op)) return { error: `"${op}" cannot be used on the number attribute "${name}"` };
  if (typeof value !== 'number') return { error: `"${name}" is a number; compare it with an unquoted number` };
  if (leaf.type === 'integer' && !Number.isInteger(value)) return { error: `"${name}" is an integer; ${value} is not` };
  return { value };
}

function checkDate(name: string, op: CompareOp, value: Exclude<FilterValue, null>): { value: FilterValue } | { error: string } {
  if (SUBSTRING.has(op)) return { error: `"${op}" cannot be used on the date-time attribute "${name}"; use eq, ne, gt, ge, lt or le` };
  const time = typeof value === 'string' ? parseDateTime(value) : undefined;
  if (time === undefined) return { error: `"${name}" is a date-time; compare it with a quoted ISO 8601 value such as "2024-01-31T08:00:00Z"` };
  return { value: new Date(time).toISOString() };
}

function checkString(leaf: AttributeDefinition, name: string, op: CompareOp, value: Exclude<FilterValue, null>): { value: FilterValue } | { error: string } {
  // RFC 7644 §3.4.2.2: gt/ge/lt/le on a binary attribute is an invalidFilter.
  if (leaf.type === 'binary' && ORDERING.has(op)) return { error: `"${op}" cannot be used on the binary attribute "${name}"` };
  if (typeof value !== 'string') return { error: `"${name}" is a string; put the value in double quotes` };
  return { value };
}
