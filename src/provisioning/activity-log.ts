import type { Db } from '../db/database.js';
import { insertProvisioningEvent } from '../db/repositories/provisioning-events-repository.js';
import type { NewProvisioningEventRow } from '../db/schema.js';
import { nowIso } from '../shared/clock.js';
import type { FieldChange } from './change-diff.js';
import type { ScimContext } from './scim-context.js';

/** Action names of the activity log (domain.md §5.1 ProvisioningEvent). */
export type ProvisioningAction =
  | 'user.created'
  | 'user.linked'
  | 'user.updated'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'user.deleted'
  | 'user.rejected'
  | 'group.created'
  | 'group.renamed'
  | 'group.updated'
  | 'group.members_added'
  | 'group.members_removed'
  | 'group.deleted'
  | 'group.rejected'
  | 'auth.failed'
  | 'request.rejected';

export interface ProvisioningEvent {
  readonly action: ProvisioningAction;
  readonly resourceType: 'User' | 'Group' | 'Auth' | 'Request';
  readonly resourceId: string | null;
  readonly targetLabel: string | null;
  readonly outcome: 'success' | 'failure';
  readonly httpStatus: number;
  readonly scimType?: string | undefined;
  readonly detail?: string | null | undefined;
  readonly changes?: readonly FieldChange[] | Record<string, unknown> | undefined;
}

/** Appends one entry to the account's activity log, in the caller's transaction. */
export async function recordEvent(db: Db, context: ScimContext, event: ProvisioningEvent): Promise<void> {
  await insertProvisioningEvent(db, eventRow(context, event));
}

/** The activity-log row of an event of this request. */
export function eventRow(context: ScimContext, event: ProvisioningEvent): NewProvisioningEventRow {
  return {
    account_id: context.account.id,
    occurred_at: nowIso(),
    actor: `key:${context.keyName}`,
    idp: context.idp,
    request_id: context.requestId,
    method: context.method,
    path: context.path,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
    target_label: event.targetLabel,
    action: event.action,
    outcome: event.outcome,
    http_status: event.httpStatus,
    scim_type: event.scimType ?? null,
    detail: event.detail ?? null,
    changes: event.changes === undefined ? null : JSON.stringify(event.changes),
    duration_ms: null,
  };
}
