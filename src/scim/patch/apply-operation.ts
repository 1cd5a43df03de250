/** Dispatches one validated operation to the code for its path shape. */
import { isIdEcho } from '../compat/index.js';
import { badRequest } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { ResourceType } from '../schemas/registry.js';
import { isWritablePath } from './mutability.js';
import type { PatchOperation } from './patch-operation.js';
import { isExtensionRootPath, parsePatchPath, type PatchPath } from './patch-path.js';
import { applyRemove } from './remove-operation.js';
import { setAttribute, type WriteMode } from './set-attribute.js';
import { setFiltered } from './set-filtered.js';
import { setSubAttribute } from './set-sub-attribute.js';

/** Applies one operation to `resource` in place (the caller works on a copy). */
export function applyOperation(type: ResourceType, resource: JsonObject, operation: PatchOperation): void {
  const { op, path, value } = operation;
  if (op === 'remove') {
    if (path !== undefined) applyRemove(resource, parsePatchPath(type, path), value);
    return;
  }
  // parsePatchRequest guarantees a value for add and replace.
  const written: JsonValue = value ?? null;
  if (path === undefined) applyPathless(type, resource, written, op, undefined);
  else applyWrite(type, resource, parsePatchPath(type, path), written, op);
}

function applyWrite(type: ResourceType, resource: JsonObject, path: PatchPath, value: JsonValue, mode: WriteMode): void {
  if (!isWritablePath(path)) return;
  if (path.extension !== undefined && isExtensionRootPath(path)) return applyPathless(type, resource, value, mode, path.extension);
  const { valueFilter, subAttribute } = path;
  if (valueFilter !== undefined) return setFiltered(resource, { ...path, valueFilter }, value);
  if (subAttribute !== undefined) return setSubAttribute(resource, { ...path, subAttribute }, value);
  setAttribute(resource, path, value, mode);
}

/**
 * RFC 7644 §3.5.2.1/§3.5.2.3 without `path`: the value is an object of attributes. Keys may be
 * simple names, dotted (`name.givenName`), URN-qualified or a whole extension object, as
 * Entra sends them (entra-onelogin-jumpcloud.md §3.6); each key is applied like a path.
 */
function applyPathless(type: ResourceType, resource: JsonObject, value: JsonValue, mode: WriteMode, extension: string | undefined): void {
  if (extension !== undefined && value === null) {
    delete resource[extension];
    return;
  }
  if (!isJsonObject(value)) {
    const where = extension === undefined ? 'without "path"' : `on the extension "${extension}"`;
    throw badRequest('invalidValue', `${mode === 'add' ? 'An' : 'A'} "${mode}" ${where} needs a JSON object of attributes as its value.`);
  }
  for (const [key, inner] of Object.entries(value)) {
    if (extension === undefined && isIgnoredRootKey(key, inner, resource)) continue;
    const path = parsePatchPath(type, extension === undefined ? key : `${extension}:${key}`);
    applyWrite(type, resource, path, inner, mode);
  }
}

/**
 * `schemas` is message framing, not an attribute (RFC 7643 §3). An `id` equal to the
 * resource's own id is Okta's rename echo (compat/okta.ts); any other id is a mutability error
 * raised when the key is applied.
 */
function isIgnoredRootKey(key: string, value: JsonValue, resource: JsonObject): boolean {
  const lowered = key.toLowerCase();
  return lowered === 'schemas' || (lowered === 'id' && isIdEcho(value, resource['id']));
}
