/**
 * Public API of the SCIM filter language (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2).
 * Our own parser rather than a SCIM library's: the libraries available evaluate filters against
 * objects in memory, while Roster needs a typed AST, resolved against its schema registry, that
 * db/filter-to-sql.ts turns into SQL (shared/reference/peers.md §1b-E lists what goes wrong
 * otherwise: 500s on unsupported operators, wrong answers, every row loaded).
 */
export type { AttrPath, CompareOp, Filter, FilterValue } from './ast.js';
export { formatFilter } from './format-filter.js';
export { matchesElementFilter, matchesFilter } from './match-filter.js';
export { parseFilter } from './parse-filter.js';
export { isExtensionRoot, parsePatchPath, type PatchPath } from './parse-path.js';
export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_FILTER_TERMS } from './parser.js';
export { formatResolvedPath, resolveFilter, type ResolvedFilter, type ResolvedPath } from './resolve-filter.js';
export { parseDateTime } from './check-value.js';
