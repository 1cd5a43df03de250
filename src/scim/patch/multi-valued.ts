/**
 * Element rules for multi-valued attributes (RFC 7643 §2.4): when two elements are the same
 * value, how an added element merges, and the "at most one primary" rule.
 */
import { badRequest } from '../errors.js';
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import type { AttributeDefinition } from '../schemas/attribute.js';
import { findAttribute } from '../schemas/registry.js';
import { inDefinitionOrder } from './normalize-value.js';

/** The elements currently stored for a multi-valued attribute (anything else reads as none). */
export function elementsOf(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? [...value] : [];
}

const sameText = (a: JsonValue | undefined, b: JsonValue | undefined, caseExact: boolean): boolean =>
  typeof a === 'string' && typeof b === 'string' && !caseExact ? a.toLowerCase() === b.toLowerCase() : jsonEqual(a, b);

/**
 * Whether `incoming` denotes the existing element `existing`: same `value` and, when both
 * have one, same `type` (case-insensitive unless caseExact). Okta adds members without
 * `type` (okta.md §7.4), so a missing type matches any. Attributes without `value`
 * (addresses) compare whole elements.
 */
export function isSameElement(definition: AttributeDefinition, existing: JsonValue, incoming: JsonValue): boolean {
  if (!isJsonObject(existing) || !isJsonObject(incoming)) return jsonEqual(existing, incoming);
  const valueSub = findAttribute(definition.subAttributes ?? [], 'value');
  if (!valueSub) return jsonEqual(existing, incoming);
  if (!sameText(existing['value'], incoming['value'], valueSub.caseExact)) return false;
  const type = incoming['type'];
  const existingType = existing['type'];
  return type === undefined || existingType === undefined || sameText(existingType, type, false);
}

/**
 * RFC 7644 §3.5.2.1 add: each incoming element is appended unless the same value is already
 * there, in which case its sub-attributes are merged into it (an identical add is a no-op,
 * JumpCloud repeats adds: entra-onelogin-jumpcloud.md §7.2). Returns the new list and the
 * elements the operation wrote, for the primary rule.
 */
export function addElements(definition: AttributeDefinition, current: readonly JsonValue[], incoming: readonly JsonValue[]): { elements: JsonValue[]; written: JsonValue[] } {
  const elements = [...current];
  const index = new ElementIndex(definition, elements);
  const written: JsonValue[] = [];
  for (const element of incoming) {
    const position = index.find(element);
    const existing = position === -1 ? undefined : elements[position];
    if (existing === undefined) {
      index.append(element);
      written.push(element);
    } else if (isJsonObject(existing) && isJsonObject(element)) {
      const combined: JsonObject = { ...existing, ...element };
      // The identifying value and type keep their stored spelling: they already compare equal.
      for (const key of ['value', 'type']) if (Object.hasOwn(existing, key)) combined[key] = existing[key] ?? null;
      const merged = inDefinitionOrder(definition, combined);
      elements[position] = merged;
      written.push(merged);
    } else written.push(existing);
  }
  return { elements, written };
}

/** Elements removed by a value list: every element that is the same as a listed one. */
export function withoutElements(definition: AttributeDefinition, elements: readonly JsonValue[], listed: readonly JsonValue[]): JsonValue[] {
  const index = new ElementIndex(definition, [...listed]);
  return elements.filter((element) => index.find(element) === -1);
}

/**
 * Looks elements up by their `value` so that adding to or removing from a team of 50,000
 * members stays linear; attributes without `value` (addresses) fall back to a scan.
 */
class ElementIndex {
  private readonly byValue = new Map<string, number[]>();
  private readonly valueSub: AttributeDefinition | undefined;

  constructor(
    private readonly definition: AttributeDefinition,
    private readonly elements: JsonValue[],
  ) {
    this.valueSub = findAttribute(definition.subAttributes ?? [], 'value');
    elements.forEach((element, position) => this.remember(element, position));
  }

  /** The position of an element that is the same as `element`, or -1. */
  find(element: JsonValue): number {
    const key = this.keyOf(element);
    const candidates = key === undefined ? this.elements.keys() : (this.byValue.get(key) ?? []);
    for (const position of candidates) {
      const candidate = this.elements[position];
      if (candidate !== undefined && isSameElement(this.definition, candidate, element)) return position;
    }
    return -1;
  }

  append(element: JsonValue): void {
    this.elements.push(element);
    this.remember(element, this.elements.length - 1);
  }

  private remember(element: JsonValue, position: number): void {
    const key = this.keyOf(element);
    if (key === undefined) return;
    const positions = this.byValue.get(key);
    if (positions) positions.push(position);
    else this.byValue.set(key, [position]);
  }

  private keyOf(element: JsonValue): string | undefined {
    const value = isJsonObject(element) && this.valueSub ? element['value'] : undefined;
    if (value === undefined) return undefined;
    return typeof value === 'string' && this.valueSub?.caseExact !== true ? value.toLowerCase() : JSON.stringify(value);
  }
}

/** Collapses repeated values inside one list (a replace list naming a member twice means once). */
export function dedupeElements(definition: AttributeDefinition, elements: readonly JsonValue[]): { elements: JsonValue[]; written: JsonValue[] } {
  return addElements(definition, [], elements);
}

/**
 * RFC 7643 §2.4: "primary" is true for at most one element. An element this operation
 * marked primary wins and the others are demoted; two written primaries are an error.
 */
export function enforceSinglePrimary(definition: AttributeDefinition, elements: JsonValue[], written: readonly JsonValue[], label: string): JsonValue[] {
  const isPrimary = (e: JsonValue): e is JsonObject => isJsonObject(e) && e['primary'] === true;
  const writtenSet = new Set(written);
  const winners = new Set(elements.filter((e) => writtenSet.has(e) && isPrimary(e)));
  if (winners.size > 1) {
    throw badRequest('invalidValue', `"${label}" would have ${winners.size} values marked primary; at most one value may be primary (RFC 7643 §2.4).`);
  }
  if (winners.size === 0) return elements;
  return elements.map((e) => (isPrimary(e) && !winners.has(e) ? inDefinitionOrder(definition, { ...e, primary: false }) : e));
}
