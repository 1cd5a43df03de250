import type { Expression, ExpressionBuilder, Insertable, SqlBool } from 'kysely';
import type { JsonObject } from '../../scim/json.js';
import type { Db, DialectName } from '../database.js';
import { preparedQuery } from '../prepared-query.js';
import { CHECKPOINT_SPACING, nearestCheckpoint, rememberCheckpoint } from './member-offset-cache.js';
import type { AccountRole, Database, MemberEmailsTable, MemberRow, MembersTable, MemberSource, MemberStatus } from '../schema.js';

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
  await db.deleteFrom('member_emails').where('account_id', '=', accountId).where('member_id', '=', memberId).execute();
  const rows = emailRows(accountId, memberId, resource);
  if (rows.length > 0) await db.insertInto('member_emails').values(rows).execute();
}

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
  const row = await db.insertInto('members').values(rows.member).returningAll().executeTakeFirstOrThrow();
  if (rows.emails.length > 0) await db.insertInto('member_emails').values(rows.emails).execute();
  return row;
}

/**
 * Writes a new state of `current` if its version is still the one read (optimistic concurrency,
 * portable to SQLite) and returns the written row; `undefined` when another write won. RETURNING
 * spares the caller a read-back (SQLite ≥ 3.35 and PostgreSQL both have it). The email rows are
 * rewritten only when the emails changed: deactivations and profile edits leave them alone.
 */
export async function updateMember(db: Db, current: MemberRow, write: MemberWrite): Promise<MemberRow | undefined> {
  const row = await db
    .updateTable('members')
    .set(derivedColumns(write))
    .where('account_id', '=', current.account_id)
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  const before = emailsOf(JSON.parse(current.resource) as JsonObject);
  if (JSON.stringify(before) !== JSON.stringify(emailsOf(write.resource))) await replaceEmails(db, current.account_id, current.id, write.resource);
  return row;
}

export async function findMember(db: Db, accountId: string, memberId: string): Promise<MemberRow | undefined> {
  return (await findMemberQuery(db, accountId, memberId))[0];
}

const findMemberQuery = preparedQuery((db, accountId: string, memberId: string) =>
  db.selectFrom('members').selectAll().where('account_id', '=', accountId).where('id', '=', memberId),
);

/**
 * The columns a SCIM User is made of (provisioning/user-mapping.ts). Reading only these took a
 * page of 100 from 1.0 to 0.2 ms of SQLite time at 100,000 members (bench/README.md, finding 11).
 */
const SCIM_MEMBER_COLUMNS = ['id', 'resource', 'status', 'version', 'created_at', 'updated_at'] as const;

/** A member as SCIM reads need it. */
export type ScimMemberRow = Pick<MemberRow, (typeof SCIM_MEMBER_COLUMNS)[number]>;

/** One of the member's teams, as its `groups` attribute lists them. */
export interface MemberTeamRef {
  readonly team_id: string;
  readonly display_name: string;
}

const findScimMemberQuery = preparedQuery((db, accountId: string, memberId: string) =>
  db.selectFrom('members').select(SCIM_MEMBER_COLUMNS).where('account_id', '=', accountId).where('id', '=', memberId),
);

// One row per team (one row with null team columns for a member in none), ordered by name.
const findScimMemberWithTeamsQuery = preparedQuery((db, accountId: string, memberId: string) =>
  db
    .selectFrom('members as m')
    .leftJoin('team_memberships as tm', (join) => join.onRef('tm.account_id', '=', 'm.account_id').onRef('tm.member_id', '=', 'm.id'))
    .leftJoin('teams as t', (join) => join.onRef('t.account_id', '=', 'tm.account_id').onRef('t.id', '=', 'tm.team_id'))
    .select(['m.id', 'm.resource', 'm.status', 'm.version', 'm.created_at', 'm.updated_at', 't.id as team_id', 't.display_name as team_display_name'])
    .where('m.account_id', '=', accountId)
    .where('m.id', '=', memberId)
    .orderBy('t.display_name_lower'),
);

/** A member for GET /Users/{id}; with `withTeams`, its teams come in the same statement. */
export async function findScimMember(db: Db, accountId: string, memberId: string, withTeams: boolean): Promise<{ member: ScimMemberRow; teams: MemberTeamRef[] | undefined } | undefined> {
  if (!withTeams) {
    const member = (await findScimMemberQuery(db, accountId, memberId))[0];
    return member && { member, teams: undefined };
  }
  const rows = await findScimMemberWithTeamsQuery(db, accountId, memberId);
  const first = rows[0];
  if (!first) return undefined;
  const { team_id: _teamId, team_display_name: _teamName, ...member } = first;
  const teams = rows.flatMap((row) => (row.team_id === null || row.team_display_name === null ? [] : [{ team_id: row.team_id, display_name: row.team_display_name }]));
  return { member, teams };
}

/**
 * The lookups identity providers send before every create and on every sync (`userName eq`,
 * `externalId eq`, `id eq`, `emails.value eq`): one equality on an indexed column. The value
 * arrives as stored in that column (userName and emails lower-cased by the caller).
 */
export type MemberLookup = { readonly column: 'user_name_lower' | 'external_id' | 'id' | 'email'; readonly value: string };

const lookupQueries = {
  user_name_lower: preparedQuery((db, accountId: string, value: string, limit: number) =>
    db.selectFrom('members').select(SCIM_MEMBER_COLUMNS).where('account_id', '=', accountId).where('user_name_lower', '=', value).orderBy('seq').limit(limit),
  ),
  external_id: preparedQuery((db, accountId: string, value: string, limit: number) =>
    db.selectFrom('members').select(SCIM_MEMBER_COLUMNS).where('account_id', '=', accountId).where('external_id', '=', value).orderBy('seq').limit(limit),
  ),
  id: preparedQuery((db, accountId: string, value: string, limit: number) =>
    db.selectFrom('members').select(SCIM_MEMBER_COLUMNS).where('account_id', '=', accountId).where('id', '=', value).orderBy('seq').limit(limit),
  ),
  email: preparedQuery((db, accountId: string, value: string, limit: number) =>
    db
      .selectFrom('members')
      .select(SCIM_MEMBER_COLUMNS)
      .where('account_id', '=', accountId)
      .where('id', 'in', (eb) => eb.selectFrom('member_emails').select('member_id').where('account_id', '=', accountId).where('value_lower', '=', value))
      .orderBy('seq')
      .limit(limit),
  ),
};

/** The first `limit` members an IdP lookup matches, in insertion order (as listMembers). */
export async function findScimMembersBy(db: Db, accountId: string, lookup: MemberLookup, limit: number): Promise<ScimMemberRow[]> {
  return lookupQueries[lookup.column](db, accountId, lookup.value, limit);
}

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

/** The account's unfiltered member list: how many, and its version (migrations 0003, 0004). */
export interface MemberListState {
  readonly memberCount: number;
  readonly listVersion: number;
}

const memberListStateQuery = preparedQuery((db, accountId: string) => db.selectFrom('accounts').select(['member_count', 'member_list_version']).where('id', '=', accountId));

export async function findMemberListState(db: Db, accountId: string): Promise<MemberListState | undefined> {
  const row = (await memberListStateQuery(db, accountId))[0];
  return row && { memberCount: Number(row.member_count), listVersion: Number(row.member_list_version) };
}

export async function setMemberPasswordHash(db: Db, accountId: string, memberId: string, passwordHash: string): Promise<void> {
  await db.updateTable('members').set({ password_hash: passwordHash }).where('account_id', '=', accountId).where('id', '=', memberId).execute();
}

/** A where-clause over `members` built by filter-to-sql. */
export type MemberCondition = (eb: ExpressionBuilder<Database, 'members'>) => Expression<SqlBool>;

export interface MemberPage {
  readonly where: MemberCondition | undefined;
  readonly orderBy: MemberOrder | undefined;
  readonly descending: boolean;
  readonly offset: number;
  readonly limit: number;
  /** The account's list version read for this request: an unfiltered page may then start from a cached offset. */
  readonly listVersion?: number | undefined;
}

/** An ORDER BY expression over `members` built by filter-to-sql. */
export type MemberOrder = (eb: ExpressionBuilder<Database, 'members'>) => Expression<unknown>;

/**
 * One page of an account's members, in a stable order (sort key, then insertion order). In
 * insertion order the offset is walked in the (account_id, seq) index alone and only the page's
 * rows are read: OFFSET over whole rows cost 27 ms at 99,900 of 100,000 (bench/README.md,
 * finding 6); the index walk costs about 1, and from a cached checkpoint almost nothing.
 */
export async function listMembers(db: Db, accountId: string, page: MemberPage): Promise<ScimMemberRow[]> {
  const direction = page.descending ? 'desc' : 'asc';
  if (!page.where && !page.orderBy && !page.descending && page.listVersion !== undefined && page.offset >= CHECKPOINT_SPACING) {
    return listMembersFromCheckpoint(db, accountId, page.listVersion, page.offset, page.limit);
  }
  let query = db.selectFrom('members').select(SCIM_MEMBER_COLUMNS).where('account_id', '=', accountId);
  if (page.where) query = query.where(page.where);
  if (page.orderBy) return query.orderBy(page.orderBy, direction).orderBy('seq', 'asc').offset(page.offset).limit(page.limit).execute();
  if (page.offset > 0) {
    let start = db.selectFrom('members').select('seq').where('account_id', '=', accountId);
    if (page.where) start = start.where(page.where);
    const first = start.orderBy('seq', direction).offset(page.offset).limit(1);
    query = query.where('seq', page.descending ? '<=' : '>=', first);
  }
  return query.orderBy('seq', direction).limit(page.limit).execute();
}

const seqAtOffsetQuery = preparedQuery((db, accountId: string, fromSeq: number, offset: number) =>
  db.selectFrom('members').select('seq').where('account_id', '=', accountId).where('seq', '>=', fromSeq).orderBy('seq').offset(offset).limit(1),
);

const pageFromSeqQuery = preparedQuery((db, accountId: string, fromSeq: number, offset: number, limit: number) =>
  db
    .selectFrom('members')
    .select(SCIM_MEMBER_COLUMNS)
    .where('account_id', '=', accountId)
    .where('seq', '>=', (eb) => eb.selectFrom('members').select('seq').where('account_id', '=', accountId).where('seq', '>=', fromSeq).orderBy('seq').offset(offset).limit(1))
    .orderBy('seq')
    .limit(limit),
);

/** An unfiltered page in insertion order, walked from the nearest checkpoint (member-offset-cache.ts). */
async function listMembersFromCheckpoint(db: Db, accountId: string, listVersion: number, offset: number, limit: number): Promise<ScimMemberRow[]> {
  const k = Math.floor(offset / CHECKPOINT_SPACING);
  const [known, knownSeq] = nearestCheckpoint(db, accountId, listVersion, k);
  let fromSeq = knownSeq ?? 0;
  if (known < k) {
    const found = (await seqAtOffsetQuery(db, accountId, fromSeq, (k - known) * CHECKPOINT_SPACING))[0];
    if (!found) return [];
    // Kept only if no member was added or removed while it was walked: then the walk saw the
    // list of that version (each statement sees all commits before it, and the version moves
    // in the same transaction as the change).
    if ((await findMemberListState(db, accountId))?.listVersion === listVersion) rememberCheckpoint(db, accountId, listVersion, k, found.seq);
    fromSeq = found.seq;
  }
  return pageFromSeqQuery(db, accountId, fromSeq, offset - k * CHECKPOINT_SPACING, limit);
}

export async function countMembers(db: Db, accountId: string, where: MemberCondition | undefined): Promise<number> {
  let query = db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId);
  if (where) query = query.where(where);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
