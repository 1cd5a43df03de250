/** RFC 7643 §2.2 mutability and `required` as they apply to PATCH (RFC 7644 §3.5.2). */
import { badRequest } from '../errors.js';
import { jsonEqual, type JsonValue } from '../json.js';
import type { AttributeDefinition } from '../schemas/attribute.js';
import type { PatchPath } from './patch-path.js';

/**
 * Whether an operation on `path` may write: read-only targets (id, meta, groups,
 * manager.displayName, members.display) are a `mutability` error; write-only ones
 * (password) are accepted and ignored because Roster stores no secrets (okta.md §3.2: Okta
 * always sends a placeholder password).
 */
export function isWritablePath(path: PatchPath): boolean {
  for (const definition of [path.attribute, path.subAttribute]) {
    if (definition?.mutability === 'readOnly') {
      const name = path.subAttribute && definition === path.subAttribute ? `${path.attribute.name}.${definition.name}` : definition.name;
      throw badRequest('mutability', `"${name}" is read-only and cannot be changed by PATCH (RFC 7643 §2.2).`);
    }
  }
  return path.attribute.mutability !== 'writeOnly' && path.subAttribute?.mutability !== 'writeOnly';
}

/** RFC 7644 §3.5.2: an immutable value may be set once, never changed or removed. */
export function checkImmutable(definition: AttributeDefinition, current: JsonValue | undefined, next: JsonValue | undefined, label: string): void {
  if (definition.mutability !== 'immutable' || current === undefined || jsonEqual(current, next)) return;
  throw badRequest('mutability', `"${label}" is immutable: it can be set once but not changed or removed (RFC 7643 §2.2).`);
}

/**
 * A required attribute cannot become unassigned: removing it is a `mutability` error
 * (RFC 7644 §3.5.2.2); setting it to null or "" is an invalid value.
 */
export function checkRequiredKept(definition: AttributeDefinition, next: JsonValue | undefined, isRemove: boolean): void {
  if (!definition.required || next !== undefined) return;
  if (isRemove) throw badRequest('mutability', `"${definition.name}" is required and cannot be removed (RFC 7644 §3.5.2.2).`);
  throw badRequest('invalidValue', `"${definition.name}" is required and must not be empty.`);
}
