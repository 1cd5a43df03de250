import { sql, type Insertable, type QueryCreator } from 'kysely';
import type { JsonObject } from '../../scim/json.js';
import type { Db, DialectName } from '../database.js';
import { preparedQuery, rowOf } from '../prepared-query.js';
import type { AccountRole, Database, MemberEmailsTable, MemberRow, MembersTable, MemberSource, MemberStatus, NewProvisioningEventRow } from '../schema.js';
import { EVENT_COLUMNS, eventValues, insertEventFrom, insertProvisioningEvent, writesLogThemselves } from './provisioning-events-repository.js';

/** What a service hands the repository; the columns derived from `resource` are computed here. */
export interface MemberWrite {
  readonly resource: JsonObject;
  readonly role: AccountRole;
  readonly status: MemberStatus;
  readonly source: MemberSource;
  readonly version: number;
  readonly updatedAt: string;
  readonly scimLinkedAt: string | null;
  readonly deactivatedAt: string | null;
  readonly deactivatedBy: 'admin' | 'scim' | null;
}

interface EmailEntry {
  readonly value: string;
  readonly type: string | null;
  readonly primary: boolean;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function emailsOf(resource: JsonObject): EmailEntry[] {
  const emails = Array.isArray(resource['emails']) ? resource['emails'] : [];
  return emails.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return [];
    const value = str(entry['value']);
    return value ? [{ value, type: str(entry['type']), primary: entry['primary'] === true }] : [];
  });
}

function primaryOf(entries: readonly { value: string; primary: boolean }[]): string | null {
  return (entries.find((e) => e.primary) ?? entries[0])?.value ?? null;
}

function phonesOf(resource: JsonObject): { value: string; primary: boolean }[] {
  const phones = Array.isArray(resource['phoneNumbers']) ? resource['phoneNumbers'] : [];
  return phones.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return [];
    const value = str(entry['value']);
    return value ? [{ value, primary: entry['primary'] === true }] : [];
  });
}

/** The denormalised, index-backed columns of a member, derived from its SCIM resource. */
function derivedColumns(write: MemberWrite) {
  const { resource } = write;
  const userName = String(resource['userName'] ?? '');
  const name = typeof resource['name'] === 'object' && resource['name'] !== null && !Array.isArray(resource['name']) ? resource['name'] : {};
  return {
    user_name: userName,
    user_name_lower: userName.toLowerCase(),
    external_id: str(resource['externalId']),
    display_name: str(resource['displayName']),
    given_name: str(name['givenName']),
    family_name: str(name['familyName']),
    primary_email: primaryOf(emailsOf(resource)),
    primary_phone: primaryOf(phonesOf(resource)),
    role: write.role,
    status: write.status,
    source: write.source,
    resource: JSON.stringify(resource),
    version: write.version,
    updated_at: write.updatedAt,
    scim_linked_at: write.scimLinkedAt,
    deactivated_at: write.deactivatedAt,
    deactivated_by: write.deactivatedBy,
  };
}

/** The member_emails rows of a resource: one per email with a value, lower-cased for lookups. */
function emailRows(accountId: string, memberId: string, resource: JsonObject): Insertable<MemberEmailsTable>[] {
  return emailsOf(resource).map((email, position) => ({
    account_id: accountId,
    member_id: memberId,
    position,
    value_lower: email.value.toLowerCase(),
    type_lower: email.type?.toLowerCase() ?? null,
    is_primary: email.primary ? 1 : 0,
  }));
}

async function replaceEmails(db: Db, accountId: string, memberId: string, resource: JsonObject): Promise<void> {
  await deleteEmailsQuery(db, accountId, memberId);
  await insertEmails(db, emailRows(accountId, memberId, resource));
}

const deleteEmailsQuery = preparedQuery((db, accountId: string, memberId: string) => db.deleteFrom('member_emails').where('account_id', '=', accountId).where('member_id', '=', memberId));

/** A member's email rows: the usual single email through a compiled statement, more built per call. */
async function insertEmails(db: Db, rows: readonly Insertable<MemberEmailsTable>[]): Promise<void> {
  const [only] = rows;
  if (rows.length === 1 && only) await insertEmailQuery(db, ...EMAIL_COLUMNS.map((column) => only[column] ?? null));
  else if (rows.length > 1) await db.insertInto('member_emails').values(rows).execute();
}

const EMAIL_COLUMNS = ['account_id', 'member_id', 'position', 'value_lower', 'type_lower', 'is_primary'] as const satisfies readonly (keyof MemberEmailsTable)[];
const insertEmailQuery = preparedQuery((db, ...values: unknown[]) => db.insertInto('member_emails').values(rowOf(EMAIL_COLUMNS, values) as Insertable<MemberEmailsTable>), EMAIL_COLUMNS.length);

/**
 * The rows that store one member: what `insertMember` writes, and what a bulk loader (the
 * benchmark's seeding) inserts in batches so that its members are stored exactly as Roster's.
 */
export function newMemberRows(
  accountId: string,
  memberId: string,
  write: MemberWrite,
  extra: { createdAt: string; passwordHash?: string | null },
): { member: Insertable<MembersTable>; emails: Insertable<MemberEmailsTable>[] } {
  return {
    member: { id: memberId, account_id: accountId, created_at: extra.createdAt, password_hash: extra.passwordHash ?? null, last_login_at: null, ...derivedColumns(write) },
    emails: emailRows(accountId, memberId, write.resource),
  };
}

/** Inserts a member; throws the driver's unique violation on a duplicate userName. */
export async function insertMember(
  db: Db,
  accountId: string,
  memberId: string,
  write: MemberWrite,
  extra: { createdAt: string; passwordHash?: string | null },
): Promise<MemberRow> {
  const rows = newMemberRows(accountId, memberId, write, extra);
  const [row] = await insertMemberQuery(db, ...memberValues(rows.member));
  if (!row) throw new Error('the member insert returned no row');
  await insertEmails(db, rows.emails);
  return row;
}

/**
 * insertMember and its activity entry. On PostgreSQL the member, its email rows and the entry are
 * one statement (data-modifying CTEs; a row may reference one the same statement inserts), which
 * outside a transaction commits by itself: a POST in one round trip (bench/README.md, findings 33
 * and 40). A duplicate userName fails it as it runs, a seat past the limit at its commit
 * (migration 0005). On SQLite, whose statements cost no round trip, three in the caller's
 * transaction.
 */
export async function insertMemberLogged(db: Db, dialect: DialectName, accountId: string, memberId: string, write: MemberWrite, createdAt: string, entry: NewProvisioningEventRow): Promise<MemberRow> {
  if (!writesLogThemselves(dialect)) {
    const row = await insertMember(db, accountId, memberId, write, { createdAt });
    await insertProvisioningEvent(db, entry);
    return row;
  }
  const rows = newMemberRows(accountId, memberId, write, { createdAt });
  const [row] = await insertMemberLoggedQuery(db, ...memberValues(rows.member), ...emailArrays(rows.emails), ...eventValues(entry));
  if (!row) throw new Error('the member insert returned no row');
  return row as MemberRow;
}

/** Email rows as one array per column after the member's keys (EMAIL_COLUMNS order), for unnest: one statement shape for any number of emails. */
const EMAIL_ARRAY_COLUMNS = [
  ['position', 'integer'],
  ['value_lower', 'text'],
  ['type_lower', 'text'],
  ['is_primary', 'integer'],
] as const satisfies readonly (readonly [(typeof EMAIL_COLUMNS)[number], string])[];

function emailArrays(rows: readonly Insertable<MemberEmailsTable>[]): unknown[][] {
  return EMAIL_ARRAY_COLUMNS.map(([column]) => rows.map((row) => row[column] ?? null));
}

/** An insert of the email rows given as arrays (emailArrays) for the member the CTE `source` wrote. */
function insertEmailsFrom<DB extends Database>(qc: QueryCreator<DB>, source: string, arrays: readonly unknown[]) {
  const unnested = sql`unnest(${sql.join(EMAIL_ARRAY_COLUMNS.map(([, type], i) => sql`cast(${arrays[i]} as ${sql.raw(type)}[])`))})`;
  const listed = unnested.as<'e'>(sql`e(${sql.join(EMAIL_ARRAY_COLUMNS.map(([column]) => sql.id(column)))})`);
  return (qc as unknown as QueryCreator<Database>)
    .insertInto('member_emails')
    .columns([...EMAIL_COLUMNS])
    .expression((eb) =>
      eb
        .selectFrom([source as never, listed])
        .select([sql.ref(`${source}.account_id`).as('account_id'), sql.ref(`${source}.id`).as('member_id'), ...EMAIL_ARRAY_COLUMNS.map(([column]) => sql.ref(`e.${column}`).as(column))]),
    );
}

function memberValues(member: Insertable<MembersTable>): unknown[] {
  const columns = member as Record<string, unknown>;
  return MEMBER_COLUMNS.map((column) => columns[column] ?? null);
}

/**
 * The statements of every SCIM create and update, compiled once (prepared-query.ts): Kysely
 * building them per request was the largest part of a write's CPU time (bench/README.md,
 * finding 29). The column lists name every column of `members` (but its generated `seq`) and
 * every column derivedColumns writes; the types below fail to compile if either gains one that
 * a list lacks.
 */
const DERIVED_COLUMNS = [
  'user_name',
  'user_name_lower',
  'external_id',
  'display_name',
  'given_name',
  'family_name',
  'primary_email',
  'primary_phone',
  'role',
  'status',
  'source',
  'resource',
  'version',
  'updated_at',
  'scim_linked_at',
  'deactivated_at',
  'deactivated_by',
] as const satisfies readonly (keyof MembersTable)[];
const MEMBER_COLUMNS = ['id', 'account_id', 'created_at', 'password_hash', 'last_login_at', ...DERIVED_COLUMNS] as const;
type Unlisted<Row, Listed> = Exclude<keyof Row, Listed>;
const allDerivedListed: Unlisted<ReturnType<typeof derivedColumns>, (typeof DERIVED_COLUMNS)[number]> extends never ? true : never = true;
const allMemberColumnsListed: Unlisted<MembersTable, (typeof MEMBER_COLUMNS)[number] | 'seq'> extends never ? true : never = true;
void allDerivedListed;
void allMemberColumnsListed;

function memberInsert<DB extends Database>(qc: QueryCreator<DB>, values: readonly unknown[]) {
  return (qc as unknown as QueryCreator<Database>).insertInto('members').values(rowOf(MEMBER_COLUMNS, values) as Insertable<MembersTable>).returningAll();
}

const insertMemberQuery = preparedQuery((db, ...values: unknown[]) => memberInsert(db, values), MEMBER_COLUMNS.length);

const insertMemberLoggedQuery = preparedQuery(
  (db, ...values: unknown[]) => {
    const emailsAt = MEMBER_COLUMNS.length;
    const eventAt = emailsAt + EMAIL_ARRAY_COLUMNS.length;
    return db
      .with('written', (qc) => memberInsert(qc, values.slice(0, emailsAt)))
      .with('emailed', (qc) => insertEmailsFrom(qc, 'written', values.slice(emailsAt, eventAt)))
      .with('logged', (qc) => insertEventFrom(qc, 'written', values.slice(eventAt)))
      .selectFrom('written')
      .selectAll();
  },
  MEMBER_COLUMNS.length + EMAIL_ARRAY_COLUMNS.length + EVENT_COLUMNS.length,
);

/**
 * Writes a new state of `current` if its version is still the one read (optimistic concurrency,
 * portable to SQLite) and returns the written row; `undefined` when another write won. RETURNING
 * spares the caller a read-back (SQLite ≥ 3.35 and PostgreSQL both have it). The email rows are
 * rewritten only when the emails changed: deactivations and profile edits leave them alone.
 */
export async function updateMember(db: Db, current: MemberRow, write: MemberWrite): Promise<MemberRow | undefined> {
  const [row] = await updateMemberQuery(db, current.account_id, current.id, current.version, ...derivedValues(write));
  if (row) await replaceEmailsIfChanged(db, current, write);
  return row;
}

/**
 * updateMember and its activity entry, written only if the member was. On PostgreSQL one
 * statement writes both (a data-modifying CTE), one round trip less for every PUT and PATCH
 * (bench/README.md, finding 33); on SQLite, whose statements cost no round trip, two.
 */
export async function updateMemberLogged(db: Db, dialect: DialectName, current: MemberRow, write: MemberWrite, entry: NewProvisioningEventRow): Promise<MemberRow | undefined> {
  if (!writesLogThemselves(dialect)) {
    const row = await updateMember(db, current, write);
    if (row) await insertProvisioningEvent(db, entry);
    return row;
  }
  const [row] = await updateMemberLoggedQuery(db, current.account_id, current.id, current.version, ...derivedValues(write), ...eventValues(entry));
  if (row) await replaceEmailsIfChanged(db, current, write);
  return row as MemberRow | undefined;
}

function derivedValues(write: MemberWrite): unknown[] {
  const columns = derivedColumns(write) as Record<string, unknown>;
  return DERIVED_COLUMNS.map((column) => columns[column] ?? null);
}

function emailsChange(current: MemberRow, write: MemberWrite): boolean {
  return JSON.stringify(emailsOf(JSON.parse(current.resource) as JsonObject)) !== JSON.stringify(emailsOf(write.resource));
}

async function replaceEmailsIfChanged(db: Db, current: MemberRow, write: MemberWrite): Promise<void> {
  if (emailsChange(current, write)) await replaceEmails(db, current.account_id, current.id, write.resource);
}

function memberUpdate<DB extends Database>(qc: QueryCreator<DB>, accountId: string, memberId: string, version: number, values: readonly unknown[], status?: MemberStatus) {
  return (qc as unknown as QueryCreator<Database>)
    .updateTable('members')
    .set(rowOf(DERIVED_COLUMNS, values) as Partial<MemberRow>)
    .where('account_id', '=', accountId)
    .where('id', '=', memberId)
    .where('version', '=', version)
    .$if(status !== undefined, (query) => query.where('status', '=', status as MemberStatus))
    .returningAll();
}

const updateMemberQuery = preparedQuery(
  (db, accountId: string, memberId: string, version: number, ...values: unknown[]) => memberUpdate(db, accountId, memberId, version, values),
  3 + DERIVED_COLUMNS.length,
);

const updateMemberLoggedQuery = preparedQuery(
  (db, accountId: string, memberId: string, version: number, ...values: unknown[]) =>
    db
      .with('written', (qc) => memberUpdate(qc, accountId, memberId, version, values.slice(0, DERIVED_COLUMNS.length)))
      .with('logged', (qc) => insertEventFrom(qc, 'written', values.slice(DERIVED_COLUMNS.length)))
      .selectFrom('written')
      .selectAll(),
  3 + DERIVED_COLUMNS.length + EVENT_COLUMNS.length,
);

/**
 * updateMemberLogged as one statement outside a transaction, which commits by itself (PostgreSQL
 * only: SQLite's CTEs cannot write). It writes only if the member is still as `current` was read
 * without a lock: the same version, and the same status, which a console sign-in changes from
 * invited to active without a new version (recordConsoleLogin). A write that changes the emails
 * is not tried: their rows take two more statements. `undefined`: nothing was written, and the
 * caller takes the locked transaction (users-service.ts writeUserAtOnce).
 */
export async function updateMemberLoggedAtOnce(db: Db, current: MemberRow, write: MemberWrite, entry: NewProvisioningEventRow): Promise<MemberRow | undefined> {
  if (emailsChange(current, write)) return undefined;
  const [row] = await updateMemberLoggedAtOnceQuery(db, current.account_id, current.id, current.version, current.status, ...derivedValues(write), ...eventValues(entry));
  return row as MemberRow | undefined;
}

const updateMemberLoggedAtOnceQuery = preparedQuery(
  (db, accountId: string, memberId: string, version: number, status: MemberStatus, ...values: unknown[]) =>
    db
      .with('written', (qc) => memberUpdate(qc, accountId, memberId, version, values.slice(0, DERIVED_COLUMNS.length), status))
      .with('logged', (qc) => insertEventFrom(qc, 'written', values.slice(DERIVED_COLUMNS.length)))
      .selectFrom('written')
      .selectAll(),
  4 + DERIVED_COLUMNS.length + EVENT_COLUMNS.length,
);

export async function findMember(db: Db, accountId: string, memberId: string): Promise<MemberRow | undefined> {
  return (await findMemberQuery(db, accountId, memberId))[0];
}

const findMemberQuery = preparedQuery((db, accountId: string, memberId: string) =>
  db.selectFrom('members').selectAll().where('account_id', '=', accountId).where('id', '=', memberId),
);

/**
 * Reads a member and, on PostgreSQL, locks its row until the transaction ends, so concurrent
 * PUT/PATCH/DELETE of one user queue instead of losing the optimistic version check and
 * answering 409 (Entra and Okta treat a 409 as a failed task, retried hours later). `for no key
 * update` still lets membership inserts check their foreign key to the member. SQLite runs one
 * transaction at a time and needs no lock.
 */
export async function lockMember(db: Db, dialect: DialectName, accountId: string, memberId: string): Promise<MemberRow | undefined> {
  return (await (dialect === 'postgres' ? lockMemberQuery : findMemberQuery)(db, accountId, memberId))[0];
}

const lockMemberQuery = preparedQuery((db, accountId: string, memberId: string) =>
  db.selectFrom('members').selectAll().where('account_id', '=', accountId).where('id', '=', memberId).forNoKeyUpdate(),
);

export async function findMemberByUserName(db: Db, accountId: string, userName: string): Promise<MemberRow | undefined> {
  return (await findMemberByUserNameQuery(db, accountId, userName.toLowerCase()))[0];
}

const findMemberByUserNameQuery = preparedQuery((db, accountId: string, userNameLower: string) =>
  db.selectFrom('members').selectAll().where('account_id', '=', accountId).where('user_name_lower', '=', userNameLower),
);

export async function deleteMember(db: Db, accountId: string, memberId: string): Promise<boolean> {
  const result = await db.deleteFrom('members').where('account_id', '=', accountId).where('id', '=', memberId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function setMemberPasswordHash(db: Db, accountId: string, memberId: string, passwordHash: string): Promise<void> {
  await db.updateTable('members').set({ password_hash: passwordHash }).where('account_id', '=', accountId).where('id', '=', memberId).execute();
}
