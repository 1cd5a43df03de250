/**
 * The PATCH engine's view of the filter module: path parsing and element matching come from
 * ../filter (one grammar for filters and paths), this file only adds the engine's names.
 */
import type { parsePatchPath } from '../filter/index.js';

export { matchesElementFilter, parsePatchPath } from '../filter/index.js';
export type { ResolvedFilter } from '../filter/index.js';

/** A resolved PATCH path (see parsePatchPath). */
export type PatchPath = ReturnType<typeof parsePatchPath>;

/** Whether a path is a bare extension URN, i.e. names the whole extension object. */
export function isExtensionRootPath(path: PatchPath): boolean {
  return path.extension !== undefined && path.attribute.name === path.extension;
}

/** How an attribute is named in error details: `name.givenName`, `emails[…].value`. */
export function labelOf(path: PatchPath): string {
  const filter = path.valueFilter === undefined ? '' : '[…]';
  const sub = path.subAttribute === undefined ? '' : `.${path.subAttribute.name}`;
  return `${path.attribute.name}${filter}${sub}`;
}

