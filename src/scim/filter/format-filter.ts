import type { AttrPath, Filter } from './ast.js';

const PRECEDENCE = { or: 1, and: 2 } as const;

/** Writes an AST back as filter text that `parseFilter` reads to the same AST (for logs and tests). */
export function formatFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatPath(filter.path)} ${filter.op} ${JSON.stringify(filter.value)}`;
    case 'present':
      return `${formatPath(filter.path)} pr`;
    case 'not':
      return `not (${formatFilter(filter.filter)})`;
    case 'valuePath':
      return `${formatPath(filter.path)}[${formatFilter(filter.filter)}]`;
    case 'and':
    case 'or': {
      // Left associative: the right operand needs parentheses at equal precedence.
      const left = operand(filter.left, PRECEDENCE[filter.kind], false);
      const right = operand(filter.right, PRECEDENCE[filter.kind], true);
      return `${left} ${filter.kind} ${right}`;
    }
  }
}

function operand(filter: Filter, parent: number, isRight: boolean): string {
  const text = formatFilter(filter);
  if (filter.kind !== 'and' && filter.kind !== 'or') return text;
  const own = PRECEDENCE[filter.kind];
  return own < parent || (isRight && own === parent) ? `(${text})` : text;
}

function formatPath(path: AttrPath): string {
  const prefix = path.schema === undefined ? '' : `${path.schema}:`;
  return `${prefix}${path.attribute}${path.subAttribute === undefined ? '' : `.${path.subAttribute}`}`;
}
