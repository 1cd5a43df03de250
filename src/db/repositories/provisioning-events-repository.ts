import { sql, type Expression, type QueryCreator } from 'kysely';
import type { Db, DialectName } from '../database.js';
import { directStatement, preparedQuery, rowOf } from '../prepared-query.js';
import type { Database, NewProvisioningEventRow, ProvisioningEventRow } from '../schema.js';

/** Appends one activity-log entry (inside the caller's transaction when given one). */
export async function insertProvisioningEvent(db: Db, row: NewProvisioningEventRow): Promise<void> {
  await insertEventQuery(db, ...eventValues(row));
}

/** Every column of an activity entry but its generated `seq` (checked below), in one order. */
export const EVENT_COLUMNS = [
  'account_id',
  'occurred_at',
  'actor',
  'idp',
  'request_id',
  'method',
  'path',
  'resource_type',
  'resource_id',
  'target_label',
  'action',
  'outcome',
  'http_status',
  'scim_type',
  'detail',
  'changes',
  'duration_ms',
] as const satisfies readonly (keyof NewProvisioningEventRow)[];
const allEventColumnsListed: Exclude<keyof NewProvisioningEventRow, (typeof EVENT_COLUMNS)[number] | 'seq'> extends never ? true : never = true;
void allEventColumnsListed;

/** An entry's values in EVENT_COLUMNS order, for prepared statements. */
export function eventValues(row: NewProvisioningEventRow): unknown[] {
  return EVENT_COLUMNS.map((column) => row[column] ?? null);
}

/**
 * Whether a write and its activity entry go out as one statement (insertEventFrom): on
 * PostgreSQL, where each statement is a round trip. SQLite's CTEs cannot write, and its
 * statements cost no round trip.
 */
export function writesLogThemselves(dialect: DialectName): boolean {
  return dialect === 'postgres';
}

export const INTEGER_EVENT_COLUMNS: ReadonlySet<string> = new Set(['http_status', 'duration_ms']);

/**
 * An insert of the entry `values` (EVENT_COLUMNS order) once per row of the common table
 * expression `source`: how one PostgreSQL statement writes something and logs it only if it did
 * (data-modifying CTEs; bench/README.md, findings 32 and 33).
 */
export function insertEventFrom<DB extends Database>(qc: QueryCreator<DB>, source: string, values: readonly unknown[], labelOtherwise?: Expression<string>) {
  return (qc as unknown as QueryCreator<Database>)
    .insertInto('provisioning_events')
    .columns([...EVENT_COLUMNS])
    .expression((eb) =>
      eb.selectFrom(source as never).select(
        EVENT_COLUMNS.map((column, i) => {
          // A target label left null is `labelOtherwise`, read by the same statement.
          if (column === 'target_label' && labelOtherwise) return sql`coalesce(${values[i]}, ${labelOtherwise})`.as(column);
          // Untyped parameters in a select list would be text; the integer columns say so.
          return (INTEGER_EVENT_COLUMNS.has(column) ? sql`cast(${values[i]} as integer)` : sql`${values[i]}`).as(column);
        }),
      ),
    );
}

// Every SCIM write appends one entry: compiled once (prepared-query.ts), not built per request.
const insertEvent = (db: Db, values: readonly unknown[]) => db.insertInto('provisioning_events').values(rowOf(EVENT_COLUMNS, values) as NewProvisioningEventRow);
const insertEventQuery = preparedQuery((db, ...values: unknown[]) => insertEvent(db, values), EVENT_COLUMNS.length);

/** insertProvisioningEvent's statement inside a direct write (prepared-query.ts, DirectWriter), with the entry's eventValues. */
export const insertEventDirectly = directStatement((db, ...values: unknown[]) => insertEvent(db, values), EVENT_COLUMNS.length);

export interface EventQuery {
  readonly outcome?: 'success' | 'failure' | undefined;
  readonly action?: string | undefined;
  /** Inclusive lower and exclusive upper bound on occurred_at (ISO strings). */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** Page by the sequence number of the last row seen (newest first). */
  readonly beforeSeq?: number | undefined;
  readonly limit: number;
}

/** Newest first, filtered, keyset-paginated. */
export async function listProvisioningEvents(db: Db, accountId: string, query: EventQuery): Promise<ProvisioningEventRow[]> {
  let q = db.selectFrom('provisioning_events').selectAll().where('account_id', '=', accountId);
  if (query.outcome) q = q.where('outcome', '=', query.outcome);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.from) q = q.where('occurred_at', '>=', query.from);
  if (query.to) q = q.where('occurred_at', '<', query.to);
  if (query.beforeSeq !== undefined) q = q.where('seq', '<', query.beforeSeq);
  return q.orderBy('seq', 'desc').limit(query.limit).execute();
}

/** Requests per day and outcome since `from` (for the console's chart). */
export async function countProvisioningEventsByDay(db: Db, accountId: string, from: string): Promise<{ day: string; outcome: string; n: number }[]> {
  const rows = await db
    .selectFrom('provisioning_events')
    .select((eb) => [eb.fn<string>('substr', ['occurred_at', eb.val(1), eb.val(10)]).as('day'), 'outcome', eb.fn.countAll<number>().as('n')])
    .where('account_id', '=', accountId)
    .where('occurred_at', '>=', from)
    .groupBy(['day', 'outcome'])
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ day: String(r.day), outcome: String(r.outcome), n: Number(r.n) }));
}
