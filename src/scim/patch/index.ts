/**
 * The PATCH engine: RFC 7644 §3.5.2 on stored resources, plus the Group membership split.
 * Our own because the IdPs' PATCH dialects (Entra's capitalised ops, string booleans, filtered
 * paths that create entries, Okta's id echo — scim/compat/) are where SCIM libraries fail, and
 * because a team's membership must change by delta, never by rewriting its member list.
 */
export { applyPatch, applyPatchOperations, type PatchResult } from './apply-patch.js';
export { classifyGroupPatch, type GroupPatchPlan, type MemberChanges } from './group-membership-ops.js';
export { MAX_PATCH_OPERATIONS, PATCH_OP_SCHEMA, parsePatchRequest } from './parse-patch-request.js';
export type { PatchOperation, PatchOpName } from './patch-operation.js';
