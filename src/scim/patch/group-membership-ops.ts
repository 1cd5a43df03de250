/**
 * Splits a Group PATCH into attribute operations and member-id deltas, so the teams service
 * can apply membership changes with O(k) SQL instead of loading a 50,000-member list
 * (peers.md §1b-C: servers that rewrite the whole list time out). Every membership shape
 * Okta (okta.md §7.3–7.4) and Entra (entra-onelogin-jumpcloud.md §3.6, §3.9) send is folded
 * in request order.
 */
import { listedValuesOfRemove } from '../compat/index.js';
import { badRequest, ScimError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json.js';
import { groupResourceType } from '../schemas/registry.js';
import { isWritablePath } from './mutability.js';
import { normalizeElement } from './normalize-value.js';
import { parsePatchRequest } from './parse-patch-request.js';
import { describeOperation, type PatchOperation } from './patch-operation.js';
import { parsePatchPath, type PatchPath, type ResolvedFilter } from './patch-path.js';

/**
 * The membership effect of a request. When `replaceWith` is set it is the complete final
 * member list and `add`/`remove` are empty; otherwise final = (current − remove) ∪ add, and
 * the two lists never share an id. `removeAll` says the request emptied the team with a
 * value-less `remove members` (Entra/Microsoft tests, entra-onelogin-jumpcloud.md §5); it
 * always comes with `replaceWith`.
 */
export interface MemberChanges {
  readonly add: string[];
  readonly remove: string[];
  readonly replaceWith: string[] | undefined;
  readonly removeAll: boolean;
}

/** A Group PATCH split for the teams service. */
export interface GroupPatchPlan {
  /** Operations on everything but `members`, for applyPatchOperations on the team without members. */
  readonly attributeOps: PatchOperation[];
  readonly memberChanges: MemberChanges;
}

interface Fold {
  replaced: Set<string> | undefined;
  removeAll: boolean;
  readonly added: Set<string>;
  readonly removed: Set<string>;
}

/** Validates a Group PatchOp body and splits it; throws ScimError like applyPatch. */
export function classifyGroupPatch(body: unknown): GroupPatchPlan {
  const fold: Fold = { replaced: undefined, removeAll: false, added: new Set(), removed: new Set() };
  const attributeOps: PatchOperation[] = [];
  for (const operation of parsePatchRequest(body)) {
    try {
      const rest = classifyOperation(operation, fold);
      if (rest) attributeOps.push(rest);
    } catch (error) {
      throw error instanceof ScimError ? new ScimError(error.status, error.scimType, `PATCH ${describeOperation(operation)}: ${error.detail}`) : error;
    }
  }
  const replaceWith = fold.replaced === undefined ? undefined : [...fold.replaced];
  const memberChanges: MemberChanges = replaceWith
    ? { add: [], remove: [], replaceWith, removeAll: fold.removeAll }
    : { add: [...fold.added], remove: [...fold.removed], replaceWith: undefined, removeAll: false };
  return { attributeOps, memberChanges };
}

/** Folds a membership operation into `fold`; returns what is left for applyPatch, if anything. */
function classifyOperation(operation: PatchOperation, fold: Fold): PatchOperation | undefined {
  if (operation.path === undefined) return splitPathless(operation, fold);
  const path = parsePatchPath(groupResourceType, operation.path);
  if (!isMembersPath(path)) return operation;
  if (!isWritablePath(path)) return undefined;
  if (path.subAttribute !== undefined) {
    throw badRequest('mutability', `A member's "${path.subAttribute.name}" cannot be changed; remove the member and add the new one instead.`);
  }
  if (path.valueFilter !== undefined) {
    if (operation.op !== 'remove') throw badRequest('invalidPath', 'Add members with the path "members" and a list of {"value": "<user id>"}.');
    removeMembers(fold, idsFromFilter(path.valueFilter));
  } else if (operation.op === 'remove') {
    const listed = listedValuesOfRemove(operation.value);
    if (listed === undefined) replaceMembers(fold, [], true);
    else removeMembers(fold, memberIds(listed));
  } else if (operation.op === 'add') addMembers(fold, memberIds(operation.value ?? null));
  else replaceMembers(fold, memberIds(operation.value ?? null), false);
  return undefined;
}

/** Okta renames with `{"id", "displayName"}` (okta.md §7.3); `members` keys are membership changes. */
function splitPathless(operation: PatchOperation, fold: Fold): PatchOperation | undefined {
  const { value } = operation;
  if (!isJsonObject(value)) return operation;
  const entries = Object.entries(value);
  for (const [key, inner] of entries) {
    if (!isMembersKey(key)) continue;
    const ids = memberIds(inner);
    if (operation.op === 'add') addMembers(fold, ids);
    else replaceMembers(fold, ids, false);
  }
  // Object.fromEntries defines own keys, so even a "__proto__" key stays data (and is rejected later).
  const rest = entries.filter(([key]) => !isMembersKey(key));
  return rest.length === 0 ? undefined : { ...operation, value: Object.fromEntries(rest) };
}

function isMembersPath(path: PatchPath): boolean {
  return path.extension === undefined && path.attribute.name === 'members';
}

function isMembersKey(key: string): boolean {
  try {
    const path = parsePatchPath(groupResourceType, key);
    return isMembersPath(path) && path.valueFilter === undefined && path.subAttribute === undefined;
  } catch {
    // Not a valid path: left to applyPatchOperations, which reports it.
    return false;
  }
}

/**
 * The user ids of a members value: `[{"value": id}]` with optional `display` (ignored),
 * `$ref` (null allowed, Entra §3.9) and `type` (only "User"; Okta omits it, okta.md §7.4).
 */
function memberIds(value: JsonValue): string[] {
  const members = groupResourceType.schema.attributes.find((a) => a.name === 'members');
  if (!members) throw new Error('the Group schema defines members');
  const items = Array.isArray(value) ? value : value === null ? [] : [value];
  return items.flatMap((item): string[] => {
    if (item === null) return [];
    const element = normalizeElement(members, item, 'members');
    const id = isJsonObject(element) ? element['value'] : undefined;
    if (typeof id !== 'string') throw badRequest('invalidValue', 'Each member must be an object with a "value" holding the id of a user, e.g. {"value": "<user id>"}.');
    const kind = isJsonObject(element) ? element['type'] : undefined;
    if (typeof kind === 'string' && kind.toLowerCase() !== 'user') {
      throw badRequest('invalidValue', `Member "${id}" has type "${kind}"; teams contain only users (nested groups are not supported).`);
    }
    return [id];
  });
}

/** `members[value eq "id"]`, optionally several joined by `or`: the ids to remove (okta.md §7.4). */
function idsFromFilter(filter: ResolvedFilter): string[] {
  if (filter.kind === 'or') return [...idsFromFilter(filter.left), ...idsFromFilter(filter.right)];
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.path.subAttribute?.name === 'value' && typeof filter.value === 'string') {
    return [filter.value];
  }
  throw badRequest('invalidPath', 'Members to remove must be selected by id: members[value eq "<user id>"] (several may be joined with "or").');
}

function addMembers(fold: Fold, ids: readonly string[]): void {
  for (const id of ids) {
    if (fold.replaced) fold.replaced.add(id);
    else {
      fold.removed.delete(id);
      fold.added.add(id);
    }
  }
}

function removeMembers(fold: Fold, ids: readonly string[]): void {
  for (const id of ids) {
    if (fold.replaced) fold.replaced.delete(id);
    else {
      fold.added.delete(id);
      fold.removed.add(id);
    }
  }
}

function replaceMembers(fold: Fold, ids: readonly string[], isRemoveAll: boolean): void {
  fold.replaced = new Set(ids);
  fold.added.clear();
  fold.removed.clear();
  if (isRemoveAll) fold.removeAll = true;
}
