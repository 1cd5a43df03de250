import type { JsonValue } from '../json.js';

/** The three PATCH operations of RFC 7644 §3.5.2, lower-cased. */
export type PatchOpName = 'add' | 'remove' | 'replace';

/** One validated PatchOp operation; `index` is its 1-based position in the request. */
export interface PatchOperation {
  readonly op: PatchOpName;
  readonly path: string | undefined;
  readonly value: JsonValue | undefined;
  readonly index: number;
}

/** A short description of an operation for error details: `operation 2 (replace "name.givenName")`. */
export function describeOperation(operation: Pick<PatchOperation, 'op' | 'path' | 'index'>): string {
  const path = operation.path === undefined ? 'without path' : JSON.stringify(operation.path);
  return `operation ${operation.index} (${operation.op} ${path})`;
}
