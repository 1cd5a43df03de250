import type { JsonObject, JsonValue } from '../scim/json.js';
import { maskPhoneNumber } from './phone-numbers.js';

/** One changed field for the activity log: dotted path, old and new value. */
export interface FieldChange {
  readonly field: string;
  readonly from: JsonValue | undefined;
  readonly to: JsonValue | undefined;
}

function flatten(value: JsonValue | undefined, prefix: string, out: Map<string, JsonValue>): void {
  if (value === undefined) return;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.set(prefix, value);
}

/** Masks phone numbers wherever they appear in a flattened value (phoneNumbers.* values). */
function maskField(field: string, value: JsonValue | undefined): JsonValue | undefined {
  if (!field.startsWith('phoneNumbers') || value === undefined) return value;
  if (typeof value === 'string') return maskPhoneNumber(value);
  if (Array.isArray(value)) {
    return value.map((entry) =>
      typeof entry === 'object' && entry !== null && !Array.isArray(entry) && typeof entry['value'] === 'string'
        ? { ...entry, value: maskPhoneNumber(entry['value']) }
        : entry,
    );
  }
  return value;
}

/**
 * The field-level difference between two stored resources, with phone numbers masked
 * (the activity log is read by every admin; phone numbers are personal data).
 * Multi-valued attributes are compared whole.
 */
export function diffResources(before: JsonObject | undefined, after: JsonObject | undefined): FieldChange[] {
  const a = new Map<string, JsonValue>();
  const b = new Map<string, JsonValue>();
  flatten(before, '', a);
  flatten(after, '', b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].filter((f) => f !== 'schemas').sort();
  return fields
    .filter((field) => JSON.stringify(a.get(field)) !== JSON.stringify(b.get(field)))
    .map((field) => ({ field, from: maskField(field, a.get(field)), to: maskField(field, b.get(field)) }));
}
