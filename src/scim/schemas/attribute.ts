/**
 * Attribute and schema definitions in the shape of RFC 7643 §7. The same objects feed
 * validation, PATCH, filters, projection and the `/Schemas` discovery documents.
 */

export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type'>>;

/** Builds a definition with the RFC 7643 §2.2 defaults for everything not given. */
export function attribute(name: string, type: AttributeType, options: Options = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

export function complex(name: string, subAttributes: readonly AttributeDefinition[], options: Options = {}): AttributeDefinition {
  return attribute(name, 'complex', { ...options, subAttributes });
}

/**
 * A multi-valued complex attribute with the RFC 7643 §2.4 sub-attributes
 * (value, display, type, primary) plus any extra ones.
 */
export function multiValued(
  name: string,
  description: string,
  options: { valueType?: AttributeType; types?: readonly string[]; extra?: readonly AttributeDefinition[]; mutability?: Mutability } = {},
): AttributeDefinition {
  const typeOptions: Options = options.types ? { canonicalValues: options.types } : {};
  return complex(
    name,
    [
      attribute('value', options.valueType ?? 'string', { description: `The ${name} value.` }),
      attribute('display', 'string', { description: 'A human-readable name, primarily used for display purposes.' }),
      attribute('type', 'string', { ...typeOptions, description: 'A label indicating the function of the value.' }),
      attribute('primary', 'boolean', { description: 'Indicates the preferred value for this attribute.' }),
      ...(options.extra ?? []),
    ],
    { multiValued: true, description, mutability: options.mutability ?? 'readWrite' },
  );
}
