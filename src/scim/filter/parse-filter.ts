import { badRequest } from '../errors.js';
import type { Filter } from './ast.js';
import { tokenize, type Fail } from './lexer.js';
import { MAX_FILTER_LENGTH, Parser } from './parser.js';

const failFilter: Fail = (message) => badRequest('invalidFilter', `Invalid filter: ${message}`);

/**
 * Parses the `filter` query parameter (RFC 7644 §3.4.2.2) into an AST. Throws
 * `ScimError(400, 'invalidFilter')` for any malformed or oversized input, never anything else.
 */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw failFilter(`the filter is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}`);
  if (text.trim() === '') throw failFilter('the filter is empty');
  return new Parser(tokenize(text, failFilter), failFilter, 'filter').parseFilter();
}
