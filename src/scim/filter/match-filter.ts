import type { AttributeDefinition } from '../schemas/attribute.js';
import type { CompareOp, FilterValue } from './ast.js';
import { parseDateTime } from './check-value.js';
import type { ResolvedFilter, ResolvedPath } from './resolve-filter.js';

type Json = Readonly<Record<string, unknown>>;
/** The values a path denotes in the current context (a resource, or one element of a value path). */
type ValuesOf = (path: ResolvedPath) => unknown[];

/**
 * Evaluates a resolved filter on a SCIM resource (canonical attribute names, extension
 * attributes under their URN key) with RFC 7644 §3.4.2.2 semantics: case-insensitive unless
 * `caseExact`, dates as instants, multi-valued attributes match if any value matches, and
 * `ne` is the negation of `eq` (so an absent attribute is `ne` anything).
 */
export function matchesFilter(resource: Json, filter: ResolvedFilter): boolean {
  return evaluate(filter, (path) => resourceValues(resource, path));
}

/**
 * Evaluates the filter of a value path (`emails[type eq "work"]`) on ONE element of the
 * multi-valued `attribute`. Paths may be absolute (`attribute` = the outer attribute, as
 * `resolveFilter` and `parsePatchPath` produce) or relative (`attribute` = the field).
 */
export function matchesElementFilter(element: Json, filter: ResolvedFilter, attribute: AttributeDefinition): boolean {
  return evaluate(filter, (path) => {
    const isOuter = path.attribute === attribute || path.attribute.name === attribute.name;
    const field = isOuter ? path.subAttribute : path.attribute;
    return field ? flatten(property(element, field.name)) : [element];
  });
}

function evaluate(filter: ResolvedFilter, valuesOf: ValuesOf): boolean {
  switch (filter.kind) {
    case 'and':
      return evaluate(filter.left, valuesOf) && evaluate(filter.right, valuesOf);
    case 'or':
      return evaluate(filter.left, valuesOf) || evaluate(filter.right, valuesOf);
    case 'not':
      return !evaluate(filter.filter, valuesOf);
    case 'present':
      return valuesOf(filter.path).some(isPresent);
    case 'compare': {
      const leaf = filter.path.subAttribute ?? filter.path.attribute;
      const values = valuesOf(filter.path);
      if (filter.op === 'ne') return !matchesAny(values, 'eq', filter.value, leaf);
      return matchesAny(values, filter.op, filter.value, leaf);
    }
    case 'valuePath': {
      const attribute = filter.path.attribute;
      return valuesOf(filter.path).some((element) => isRecord(element) && matchesElementFilter(element, filter.filter, attribute));
    }
  }
}

function matchesAny(values: unknown[], op: Exclude<CompareOp, 'ne'>, expected: FilterValue, leaf: AttributeDefinition): boolean {
  // `eq null` holds when the attribute has no value (RFC 7643 §2.5: null is "unassigned").
  if (expected === null) return !values.some(isPresent);
  return values.some((actual) => compare(actual, op, expected, leaf));
}

function compare(actual: unknown, op: Exclude<CompareOp, 'ne'>, expected: string | number | boolean, leaf: AttributeDefinition): boolean {
  if (leaf.type === 'boolean') return op === 'eq' && actual === expected;
  if (leaf.type === 'dateTime') {
    const left = typeof actual === 'string' ? parseDateTime(actual) : undefined;
    const right = typeof expected === 'string' ? parseDateTime(expected) : undefined;
    return left !== undefined && right !== undefined && order(left, op, right);
  }
  if (typeof actual === 'number' && typeof expected === 'number') return order(actual, op, expected);
  if (typeof actual !== 'string' || typeof expected !== 'string') return false;
  const left = leaf.caseExact ? actual : actual.toLowerCase();
  const right = leaf.caseExact ? expected : expected.toLowerCase();
  if (op === 'co') return left.includes(right);
  if (op === 'sw') return left.startsWith(right);
  if (op === 'ew') return left.endsWith(right);
  return order(left, op, right);
}

function order<T extends number | string>(left: T, op: Exclude<CompareOp, 'ne'>, right: T): boolean {
  switch (op) {
    case 'eq':
      return left === right;
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
    default:
      return false;
  }
}

function resourceValues(resource: Json, path: ResolvedPath): unknown[] {
  const container = path.extension === undefined ? resource : property(resource, path.extension);
  if (!isRecord(container)) return [];
  const values = flatten(property(container, path.attribute.name));
  const sub = path.subAttribute;
  if (!sub) return values;
  return values.flatMap((value) => (isRecord(value) ? flatten(property(value, sub.name)) : []));
}

/** RFC 7644 §3.4.2.2 `pr`: has a non-empty value; a complex value needs a present sub-attribute. */
function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isRecord(value)) return Object.values(value).some(isPresent);
  return true;
}

function flatten(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Own property by canonical name, falling back to a case-insensitive match (RFC 7643 §2.1). */
function property(object: Json, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
