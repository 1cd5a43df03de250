import type { ResolvedFilter } from '../../scim/filter/index.js';
import { invalidFilter, type PositiveOp, type Scope } from './fields.js';
import { and, not, or, type Predicate } from './predicate.js';

type Leaf = Extract<ResolvedFilter, { kind: 'compare' | 'present' }>;
type PositiveLeaf = Extract<ResolvedFilter, { kind: 'present' }> | { kind: 'compare'; path: Leaf['path']; op: PositiveOp; value: string | number | boolean };

/** Compiles a resolved filter against a scope (a table, or one element of a multi-valued attribute). */
export function compileFilter(filter: ResolvedFilter, scope: Scope): Predicate {
  switch (filter.kind) {
    case 'and':
      return and(compileFilter(filter.left, scope), compileFilter(filter.right, scope));
    case 'or':
      return or(compileFilter(filter.left, scope), compileFilter(filter.right, scope));
    case 'not':
      return not(compileFilter(filter.filter, scope));
    case 'valuePath': {
      const target = scope.resolve(filter.path);
      if (target.kind !== 'collection') throw invalidFilter(`Invalid filter: "${filter.path.attribute.name}" is not multi-valued, so it cannot take a value filter "[…]".`);
      return target.some(filter.filter);
    }
    default:
      return compileLeaf(filter, scope);
  }
}

/**
 * A comparison or `pr`. `ne` is NOT eq, `eq null` is NOT pr and `ne null` is pr (RFC 7644
 * §3.4.2.2; null means unassigned, RFC 7643 §2.5). On a multi-valued attribute the negation
 * wraps the "some element" test: `emails.type ne "work"` means no work email.
 */
function compileLeaf(leaf: Leaf, scope: Scope): Predicate {
  const { positive, negated } = positiveForm(leaf);
  const target = scope.resolve(leaf.path);
  let result: Predicate;
  if (target.kind === 'collection') result = target.some(positive);
  else result = positive.kind === 'present' ? target.present() : target.compare(positive.op, positive.value);
  return negated ? not(result) : result;
}

/** The leaf without `ne` and without null, and whether the result must be negated. */
export function positiveForm(leaf: Leaf): { positive: PositiveLeaf; negated: boolean } {
  if (leaf.kind === 'present') return { positive: leaf, negated: false };
  const present: PositiveLeaf = { kind: 'present', path: leaf.path };
  if (leaf.value === null) return { positive: present, negated: leaf.op === 'eq' };
  if (leaf.op === 'ne') return { positive: { kind: 'compare', path: leaf.path, op: 'eq', value: leaf.value }, negated: true };
  return { positive: { kind: 'compare', path: leaf.path, op: leaf.op, value: leaf.value }, negated: false };
}
