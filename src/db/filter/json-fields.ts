import { sql, type Expression } from 'kysely';
import type { DialectName } from '../database.js';
import { jsonBooleanIs, jsonElements, jsonIsBoolean, jsonText } from '../dialect.js';
import type { AttributeDefinition } from '../../scim/schemas/attribute.js';
import { compileFilter } from './compile.js';
import { booleanField, complexField, invalidFilter, textField, type Collection, type Field, type Scope } from './fields.js';
import { and, predicate } from './predicate.js';

/**
 * A single-valued attribute read from a JSON document (the member's `resource` text, or one
 * element of a multi-valued attribute), at the canonical `keys` (extension URN first).
 */
export function jsonField(dialect: DialectName, document: Expression<unknown>, keys: readonly string[], definition: AttributeDefinition): Field {
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return textField(dialect, jsonText(dialect, document, keys), { caseExact: definition.caseExact, nullable: true });
    case 'boolean':
      return booleanField(
        jsonBooleanIs(dialect, document, keys, true),
        jsonBooleanIs(dialect, document, keys, false),
        predicate(jsonIsBoolean(dialect, document, keys), true),
        true,
      );
    case 'complex':
      return complexField(
        definition.name,
        (definition.subAttributes ?? []).map((sub) => jsonField(dialect, document, [...keys, sub.name], sub)),
      );
    default:
      // No User or Group attribute outside the dedicated columns has these types today.
      throw invalidFilter(`Invalid filter: filtering on the ${definition.type} attribute "${definition.name}" is not supported.`);
  }
}

/**
 * A multi-valued complex attribute stored as a JSON array of objects (phoneNumbers,
 * addresses, ims, roles, …): `some` is an EXISTS over the array's elements, so all
 * conditions of one value filter apply to the same element (RFC 7644 §3.4.2.2 valuePath).
 */
export function jsonCollection(dialect: DialectName, document: Expression<unknown>, keys: readonly string[], definition: AttributeDefinition): Collection {
  return {
    kind: 'collection',
    some(filter) {
      const elements = jsonElements(dialect, document, keys, 'j');
      const condition = compileFilter(filter, jsonElementScope(dialect, elements.element, definition));
      return predicate(sql`exists (select 1 from ${elements.source} where ${and(predicate(elements.isObject, false), condition).sql})`, false);
    },
  };
}

/** Sub-attributes of one JSON element; a path without a sub-attribute is the element itself. */
function jsonElementScope(dialect: DialectName, element: Expression<unknown>, definition: AttributeDefinition): Scope {
  return {
    resolve(path) {
      const sub = path.subAttribute;
      if (sub) return jsonField(dialect, element, [sub.name], sub);
      return jsonField(dialect, element, [], definition);
    },
  };
}
