import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { badRequest, type ScimError } from '../../scim/errors.js';

// U+0000 cannot be stored in a PostgreSQL text column (SQLSTATE 22021), and an unpaired UTF-16
// surrogate is silently replaced by U+FFFD on the way to the database, so the stored value
// would differ from the one validated. In unicode mode a well-formed pair is one code point
// and does not match the surrogate range, so only unpaired halves do.
const UNSTORABLE = /[\u0000\uD800-\uDFFF]/u;

/** Where the first unstorable string (key or value) in `value` is, e.g. `body.name.givenName`. */
export function findUnstorable(root: unknown, rootPath: string): string | undefined {
  // Iterative, so a body nested 100,000 levels deep cannot overflow the stack.
  const pending: [unknown, string][] = [[root, rootPath]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return path;
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => pending.push([item, `${path}[${i}]`]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const keyPath = `${path}.${key}`;
        if (UNSTORABLE.test(key)) return keyPath;
        pending.push([item, keyPath]);
      }
    }
  }
  return undefined;
}

const printable = (path: string): string => path.replace(/[\u0000\uD800-\uDFFF]/gu, '\uFFFD').slice(0, 200);

/** The 400 for unstorable text at `where`, on both databases alike. */
export function unstorableText(where: string): ScimError {
  return badRequest('invalidValue', `The request contains a NUL character (U+0000) or an invalid UTF-16 surrogate at ${printable(where)}; Roster cannot store such text. Remove it and retry.`);
}

/**
 * A `preValidation` hook for the URL parameters and the query. Bodies are checked when they are
 * parsed (scim-plugin.ts), so a refused body never reaches the activity log's label. A callback
 * hook: it runs on every request, and needs no promise.
 */
export function rejectUnstorableText(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const where = findUnstorable(request.params, 'path') ?? findUnstorable(request.query, 'query');
  done(where === undefined ? undefined : unstorableText(where));
}
