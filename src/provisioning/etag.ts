import { ScimError } from '../scim/errors.js';

/** `meta.version` and the ETag header: a weak validator of the row's version (RFC 7644 §3.14). */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * `If-Match` (RFC 7232 §3.1): the write proceeds only if one of the listed validators is the
 * current one (`*` matches anything). Weak comparison, since our validators are weak.
 */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined) return;
  const current = etagOf(version);
  const tags = ifMatch.split(',').map((t) => t.trim());
  const strip = (t: string) => t.replace(/^W\//, '');
  if (tags.includes('*') || tags.some((t) => strip(t) === strip(current))) return;
  throw new ScimError(412, undefined, `The resource has changed since you read it (current version ${current}); read it again and retry.`);
}

/** `If-None-Match` on GET: true when the client's copy is current (answer 304). */
export function isNotModified(ifNoneMatch: string | undefined, version: number): boolean {
  if (ifNoneMatch === undefined) return false;
  const current = etagOf(version).replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === current);
}
