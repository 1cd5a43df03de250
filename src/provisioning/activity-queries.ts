import type { RosterDatabase } from '../db/database.js';
import { countProvisioningEventsByDay, insertProvisioningEvent, listProvisioningEvents } from '../db/repositories/provisioning-events-repository.js';
import type { ProvisioningEventRow } from '../db/schema.js';
import { AppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';

/** The console's view of the provisioning activity log (domain.md §5.3 page 4). */

export interface ActivityView {
  readonly id: number;
  readonly occurredAt: string;
  readonly actor: string;
  readonly idp: string | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly target: string | null;
  readonly action: string;
  readonly outcome: 'success' | 'failure';
  readonly httpStatus: number;
  readonly scimType: string | null;
  readonly detail: string | null;
  /** The field diff as logged: `[{ field, from, to }]`, or another JSON summary. */
  readonly changes: unknown;
  readonly durationMs: number | null;
}

export interface ActivityFilters {
  readonly outcome?: 'success' | 'failure' | undefined;
  readonly action?: string | undefined;
  /** Inclusive first and last day (YYYY-MM-DD, UTC). */
  readonly fromDay?: string | undefined;
  readonly toDay?: string | undefined;
}

export interface ActivityPage {
  readonly items: readonly ActivityView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly nextCursor: number | null;
}

function parseChanges(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toActivityView(row: ProvisioningEventRow): ActivityView {
  return {
    id: Number(row.seq),
    occurredAt: row.occurred_at,
    actor: row.actor,
    idp: row.idp,
    method: row.method,
    path: row.path,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    target: row.target_label,
    action: row.action,
    outcome: row.outcome,
    httpStatus: Number(row.http_status),
    scimType: row.scim_type,
    detail: row.detail,
    changes: parseChanges(row.changes),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayStart(day: string, label: string): Date {
  const date = new Date(`${day}T00:00:00.000Z`);
  if (!DAY.test(day) || Number.isNaN(date.getTime())) throw new AppError('invalid', `${label} must be a date written YYYY-MM-DD.`);
  return date;
}

function toRange(filters: ActivityFilters): { from?: string; to?: string } {
  const from = filters.fromDay ? dayStart(filters.fromDay, 'The start date').toISOString() : undefined;
  const to = filters.toDay ? new Date(dayStart(filters.toDay, 'The end date').getTime() + 86_400_000).toISOString() : undefined;
  if (from && to && from >= to) throw new AppError('invalid', 'The start date must not be after the end date.');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** Newest first, filtered, one page at a time. */
export async function listActivity(database: RosterDatabase, accountId: string, filters: ActivityFilters, page: { before?: number | undefined; limit: number }): Promise<ActivityPage> {
  const rows = await listProvisioningEvents(database.db, accountId, {
    outcome: filters.outcome,
    action: filters.action,
    ...toRange(filters),
    beforeSeq: page.before,
    limit: page.limit + 1,
  });
  const items = rows.slice(0, page.limit).map(toActivityView);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? last.id : null };
}

/** Up to `max` entries matching the filters, newest first, fetched in bounded chunks. */
export async function exportActivity(database: RosterDatabase, accountId: string, filters: ActivityFilters, max = 10_000): Promise<ActivityView[]> {
  const out: ActivityView[] = [];
  let before: number | undefined;
  while (out.length < max) {
    const page = await listActivity(database, accountId, filters, { before, limit: Math.min(1000, max - out.length) });
    out.push(...page.items);
    if (page.nextCursor === null) break;
    before = page.nextCursor;
  }
  return out;
}

export interface ActivityDay {
  readonly day: string;
  readonly success: number;
  readonly failure: number;
}

/** Requests per UTC day and outcome over the last `days` days, today included, zeros filled in. */
export async function activityPerDay(database: RosterDatabase, accountId: string, days: number, now = new Date()): Promise<ActivityDay[]> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = new Date(today - (days - 1) * 86_400_000);
  const counts = await countProvisioningEventsByDay(database.db, accountId, first.toISOString());
  const result: ActivityDay[] = [];
  for (let i = 0; i < days; i += 1) {
    const day = new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const of = (outcome: string) => counts.filter((c) => c.day === day && c.outcome === outcome).reduce((sum, c) => sum + c.n, 0);
    result.push({ day, success: of('success'), failure: of('failure') });
  }
  return result;
}

/** Logs the console's "Test connection" (action credentials.tested, domain.md §5.1). */
export async function recordConnectionTest(
  database: RosterDatabase,
  accountId: string,
  test: { actor: string; keyLabel: string; httpStatus: number; detail: string; durationMs: number; requestPath: string },
): Promise<void> {
  await insertProvisioningEvent(database.db, {
    account_id: accountId,
    occurred_at: nowIso(),
    actor: test.actor,
    idp: 'Roster console',
    request_id: null,
    method: 'GET',
    path: test.requestPath,
    resource_type: 'Auth',
    resource_id: null,
    target_label: test.keyLabel,
    action: 'credentials.tested',
    outcome: test.httpStatus === 200 ? 'success' : 'failure',
    http_status: test.httpStatus,
    scim_type: null,
    detail: test.detail,
    changes: null,
    duration_ms: test.durationMs,
  });
}
