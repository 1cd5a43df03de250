import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PhoneValidation } from '../db/schema.js';
import { badRequest } from '../scim/errors.js';
import type { JsonObject } from '../scim/json.js';

/**
 * The product's phone rule (domain.md §4, decision 3): numbers read
 * `<country_prefix> <telephone_number>`, e.g. `+41 441234567` — a plus, a calling code that
 * exists, one space, the national digits — so they are SMS-dialable. Values are stored as sent
 * (Entra expects to read back what it wrote). Lenient accounts store anything.
 */
const SHAPE = /^\+[1-9]\d{0,2} \d{4,14}$/;
const EXAMPLE = '+41 441234567';

export function isValidPhoneNumber(value: string): boolean {
  if (!SHAPE.test(value)) return false;
  const parsed = parsePhoneNumberFromString(value);
  // The calling code must exist and the number be possible for it; `isValid` would reject
  // numbers of newly allocated ranges, which libphonenumber learns of only later.
  return parsed !== undefined && `+${parsed.countryCallingCode}` === value.split(' ')[0] && parsed.isPossible();
}

/** Throws 400 invalidValue naming the first phone number that breaks the rule. */
export function checkPhoneNumbers(resource: JsonObject, mode: PhoneValidation): void {
  if (mode === 'lenient') return;
  const phones = Array.isArray(resource['phoneNumbers']) ? resource['phoneNumbers'] : [];
  for (const phone of phones) {
    const value = typeof phone === 'object' && phone !== null && !Array.isArray(phone) ? phone['value'] : undefined;
    if (typeof value !== 'string' || isValidPhoneNumber(value)) continue;
    throw badRequest(
      'invalidValue',
      `The phone number "${value}" is not in the required format "<country_prefix> <telephone_number>", for example "${EXAMPLE}": a plus sign, the country calling code, one space, then the number without spaces or punctuation.`,
    );
  }
}

/** Hides all but the calling code and the last two digits, for the activity log. */
export function maskPhoneNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 4) return '***';
  const prefix = value.startsWith('+') ? value.split(/\s/)[0] ?? '+' : '';
  return `${prefix} ***${digits.slice(-2)}`.trim();
}
