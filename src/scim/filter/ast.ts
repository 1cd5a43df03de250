/**
 * The syntax tree of RFC 7644 §3.4.2.2 filters, as written by the client: attribute names
 * keep their spelling and are not checked against any schema yet (see resolve-filter.ts).
 */

/** The comparison operators of RFC 7644 §3.4.2.2 table 3, lower-cased. */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A JSON literal on the right of a comparison. */
export type FilterValue = string | number | boolean | null;

/** `[urn:…:]attribute[.subAttribute]` as written; `schema` is the URN before the last colon. */
export interface AttrPath {
  readonly schema: string | undefined;
  readonly attribute: string;
  readonly subAttribute: string | undefined;
}

/** A parsed filter. Operator precedence and parentheses are already applied to the tree. */
export type Filter =
  | { readonly kind: 'compare'; readonly path: AttrPath; readonly op: CompareOp; readonly value: FilterValue }
  | { readonly kind: 'present'; readonly path: AttrPath }
  | { readonly kind: 'and' | 'or'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'not'; readonly filter: Filter }
  | {
      readonly kind: 'valuePath';
      /** The multi-valued (complex) attribute; `subAttribute` is always undefined. */
      readonly path: AttrPath;
      /** Paths inside are relative to one element: `attribute` is the sub-attribute name. */
      readonly filter: Filter;
    };
