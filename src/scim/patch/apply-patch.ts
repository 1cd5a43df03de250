/**
 * The PATCH engine (RFC 7644 §3.5.2): applies a PatchOp body to a stored resource and says
 * whether anything changed. Pure: computes on a copy, never touches its input.
 */
import { ScimError } from '../errors.js';
import { cloneJson, type JsonObject } from '../json.js';
import type { ResourceType } from '../schemas/registry.js';
import { applyOperation } from './apply-operation.js';
import { finalizeResource } from './finalize-resource.js';
import { isSameResource } from './is-same-resource.js';
import { parsePatchRequest } from './parse-patch-request.js';
import { describeOperation, type PatchOperation } from './patch-operation.js';

/** The patched resource, and whether it differs from the input (false: do not write, keep meta). */
export interface PatchResult {
  readonly resource: JsonObject;
  readonly changed: boolean;
}

/**
 * Validates a PatchOp `body` and applies it to `resource` (the stored representation:
 * canonical names, extensions under their URN). Atomic: the first failing operation throws
 * a `ScimError` and nothing is returned.
 */
export function applyPatch(type: ResourceType, resource: Readonly<JsonObject>, body: unknown): PatchResult {
  return applyPatchOperations(type, resource, parsePatchRequest(body));
}

/** Applies already parsed operations in order (see classifyGroupPatch for Groups). */
export function applyPatchOperations(type: ResourceType, resource: Readonly<JsonObject>, operations: readonly PatchOperation[]): PatchResult {
  const working = cloneJson<JsonObject>(resource);
  for (const operation of operations) {
    try {
      applyOperation(type, working, operation);
    } catch (error) {
      throw error instanceof ScimError ? new ScimError(error.status, error.scimType, `PATCH ${describeOperation(operation)}: ${error.detail}`) : error;
    }
  }
  finalizeResource(type, resource, working);
  // An unchanged PATCH hands back the stored form exactly, so the caller can skip the write.
  if (isSameResource(resource, working)) return { resource: cloneJson<JsonObject>(resource), changed: false };
  return { resource: working, changed: true };
}
