/**
 * Parses an RFC 7644 §3.5.2 PatchOp message into validated operations. Everything about the
 * message envelope is checked here; paths and values are checked when applied.
 */
import { badRequest } from '../errors.js';
import { isJsonObject, isJsonValue, type JsonObject } from '../json.js';
import { describeOperation, type PatchOpName, type PatchOperation } from './patch-operation.js';

/** The message schema URN every PATCH body must carry (RFC 7644 §3.5.2). */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Style rule 15: every input has a bound; Okta splits big membership pushes anyway (okta.md §7.4). */
export const MAX_PATCH_OPERATIONS = 1000;

const OP_NAMES: ReadonlySet<string> = new Set<PatchOpName>(['add', 'remove', 'replace']);

/** Validates a PatchOp body and returns its operations in request order. */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body) || !isJsonValue(body)) {
    throw badRequest('invalidSyntax', 'The PATCH body must be a JSON object with "schemas" and "Operations" (RFC 7644 §3.5.2).');
  }
  checkSchemas(body);
  const operations = findKey(body, 'Operations');
  if (!Array.isArray(operations)) {
    throw badRequest('invalidValue', 'The PATCH body must have an "Operations" list (RFC 7644 §3.5.2).');
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw badRequest(
      'invalidValue',
      `The PATCH request has ${operations.length} operations; at most ${MAX_PATCH_OPERATIONS} are accepted per request. Split it into several requests.`,
    );
  }
  // An empty list is accepted as a no-op: Entra sends it (entra-onelogin-jumpcloud.md §3.5).
  return operations.map((operation, i) => parseOperation(operation, i + 1));
}

function checkSchemas(body: JsonObject): void {
  const schemas = findKey(body, 'schemas');
  const valid = Array.isArray(schemas) && schemas.length === 1 && schemas[0] === PATCH_OP_SCHEMA;
  if (!valid) {
    throw badRequest('invalidValue', `The PATCH body's "schemas" must be exactly ["${PATCH_OP_SCHEMA}"] (RFC 7644 §3.5.2).`);
  }
}

function parseOperation(raw: unknown, index: number): PatchOperation {
  if (!isJsonObject(raw)) throw badRequest('invalidValue', `PATCH operation ${index} must be a JSON object with "op", "path" and "value".`);
  const opText = findKey(raw, 'op');
  // Entra sends "Add", "Replace", "Remove" (entra-onelogin-jumpcloud.md §1); OneLogin lower case (§7.1).
  const op = typeof opText === 'string' ? opText.toLowerCase() : undefined;
  if (op === undefined || !OP_NAMES.has(op)) {
    const shown = opText === undefined ? 'no "op"' : `"op" ${JSON.stringify(opText)}`;
    throw badRequest('invalidValue', `PATCH operation ${index} has ${shown}; "op" must be "add", "remove" or "replace".`);
  }
  const path = findKey(raw, 'path');
  const value = findKey(raw, 'value');
  const operation: PatchOperation = { op: op as PatchOpName, path: undefined, value, index };
  if (path !== undefined && path !== null && typeof path !== 'string') {
    throw badRequest('invalidPath', `PATCH ${describeOperation(operation)}: "path" must be a string.`);
  }
  // An empty "path" is read as no path at all, the way path-less operations are written.
  const parsed: PatchOperation = { ...operation, path: typeof path === 'string' && path !== '' ? path : undefined };
  if (parsed.op === 'remove' && parsed.path === undefined) {
    throw badRequest('noTarget', `PATCH ${describeOperation(parsed)}: a "remove" operation needs a "path" naming what to remove (RFC 7644 §3.5.2.2).`);
  }
  if (parsed.op !== 'remove' && value === undefined) {
    throw badRequest('invalidValue', `PATCH ${describeOperation(parsed)}: ${parsed.op === 'add' ? 'an' : 'a'} "${parsed.op}" operation needs a "value".`);
  }
  return parsed;
}

/** Message keys are case-insensitive (RFC 7643 §2.1); an exact match wins. */
function findKey(object: JsonObject, name: string): JsonObject[string] | undefined {
  if (Object.hasOwn(object, name)) return object[name];
  const lowered = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lowered);
  return key === undefined ? undefined : object[key];
}
