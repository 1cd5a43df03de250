import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { CompiledQuery, Kysely } from 'kysely';
import { openDatabase, type DialectName, type RosterDatabase } from '../../src/db/database.js';
import { memberFilterExpression, memberLookupOf, memberSortExpression, teamFilterExpression, teamSortExpression } from '../../src/db/filter-to-sql.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { findScimMembersBy } from '../../src/db/repositories/member-reads-repository.js';
import { insertMember } from '../../src/db/repositories/members-repository.js';
import type { Database, MemberStatus } from '../../src/db/schema.js';
import { toScimGroup } from '../../src/provisioning/teams/team-mapping.js';
import { storedUserResource, toScimUser } from '../../src/provisioning/user-mapping.js';
import { ScimError } from '../../src/scim/errors.js';
import { matchesFilter, parseFilter, resolveFilter, type ResolvedPath } from '../../src/scim/filter/index.js';
import type { JsonObject } from '../../src/scim/json.js';
import { ENTERPRISE_USER_SCHEMA, groupResourceType, resolveAttribute, splitSchemaUrn, USER_SCHEMA, userResourceType, type ResourceType } from '../../src/scim/schemas/registry.js';
import { validateResource } from '../../src/scim/validate-resource.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { enterpriseAccountRow } from '../helpers/member-writes.js';
import { sqlitePlan } from '../helpers/sqlite-plan.js';

const BASE_URL = 'https://roster.test/scim/v2';
const A = 'acct-a';
const B = 'acct-b';
const C = 'acct-c';
const ENT = ENTERPRISE_USER_SCHEMA;

interface MemberSeed {
  readonly id: string;
  readonly body: JsonObject;
  readonly status?: MemberStatus;
  readonly created: string;
  readonly updated?: string;
  readonly teams?: readonly string[];
}

const email = (value: string, type?: string, primary?: boolean): JsonObject => ({ value, ...(type ? { type } : {}), ...(primary === undefined ? {} : { primary }) });

/** Account A: hand-made members that the table cases below target, plus uniform fillers. */
const SPECIALS: readonly MemberSeed[] = [
  {
    id: 'id-alice',
    created: '2023-01-15T09:00:00.000Z',
    updated: '2024-06-01T10:00:00.000Z',
    teams: ['team-eng'],
    body: {
      userName: 'alice@example.com', externalId: 'ext-alice', displayName: 'Alice Archer', title: 'Engineer', userType: 'Employee', locale: 'en-US',
      name: { givenName: 'Alice', familyName: 'Archer' },
      emails: [email('alice@example.com', 'work', true), email('alice@home.example', 'home')],
      phoneNumbers: [{ value: '+41 441234567', type: 'work', primary: true }],
      [ENT]: { department: 'Engineering', employeeNumber: '1001', manager: { value: 'id-dave' } },
    },
  },
  {
    id: 'id-bob',
    created: '2023-06-01T12:00:00.000Z',
    teams: ['team-eng', 'team-sales'],
    body: {
      userName: 'Bob.Smith@Example.com', externalId: 'EXT-BOB', title: 'engineering manager',
      name: { givenName: 'Bob', familyName: 'Smith', middleName: 'J' },
      emails: [email('Bob.Smith@Example.com', 'work'), email('bob@personal.example', 'home', true)],
      [ENT]: { department: 'Engineering', manager: { value: 'id-dave' } },
    },
  },
  {
    id: 'id-carol',
    status: 'deactivated',
    created: '2024-02-29T23:59:59.999Z',
    updated: '2024-03-01T00:00:00.000Z',
    teams: ['team-sales'],
    body: {
      userName: 'Carol@Example.COM', displayName: 'Carol Jones', title: 'Sales', name: { givenName: 'Carol', familyName: 'Jones' },
      emails: [email('carol@example.com', 'home', false), email('carol.work@example.com', 'work', true)],
    },
  },
  {
    id: 'id-dave',
    status: 'invited',
    created: '2024-03-01T00:00:00.000Z',
    body: {
      userName: 'dave@example.com', externalId: 'ext-dave', displayName: 'Dave Manager', title: 'Director',
      emails: [email('dave@example.com', 'work', true)],
      addresses: [{ locality: 'Zürich', country: 'CH', type: 'work' }],
      [ENT]: { department: 'Ops', employeeNumber: '1004' },
    },
  },
  { id: 'id-erin', created: '2024-05-05T05:05:05.000Z', body: { userName: 'erin@example.org', nickName: 'E', phoneNumbers: [{ value: '+1 5551234', type: 'mobile' }] } },
  {
    id: 'id-frank',
    status: 'deactivated',
    created: '2022-12-31T23:59:59.000Z',
    body: { userName: 'under_score%@example.com', title: '100% done_', emails: [email('under_score%@example.com', 'work')] },
  },
  { id: 'id-elise', created: '2024-07-01T00:00:00.000Z', body: { userName: 'Élise@Exemple.fr', displayName: 'Élise Ünal' } },
  {
    id: 'id-grace',
    created: '2024-08-01T00:00:00.000Z',
    body: {
      userName: 'grace@example.com', title: 'Engineer', ims: [{ value: 'grace', type: 'xmpp' }],
      emails: [email('grace@example.com', 'work', false), email('grace@other.example', 'other')],
    },
  },
  {
    id: 'id-heidi',
    created: '2024-09-01T00:00:00.000Z',
    body: {
      userName: 'heidi@example.com', externalId: 'ext-heidi', roles: [{ value: 'admin', primary: true }],
      addresses: [{ locality: 'Bern', type: 'home' }, { locality: 'Zürich', type: 'other' }],
      [ENT]: { employeeNumber: '1009' },
    },
  },
];

const FILLERS: readonly MemberSeed[] = Array.from({ length: 24 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  const userName = `filler${n}@filler.test`;
  return { id: `id-filler-${n}`, created: `2022-01-01T00:00:${n}.000Z`, body: { userName, title: 'Staff', name: { givenName: 'Filler', familyName: `N${n}` }, emails: [email(userName, 'work', true)] } };
});

/** Account B: the same userName and team name as in A, so scoping mistakes show. */
const OTHER_ACCOUNT: readonly MemberSeed[] = [
  { id: 'id-b-alice', created: '2024-01-01T00:00:00.000Z', teams: ['team-b-eng'], body: { userName: 'alice@example.com', title: 'Engineer', emails: [email('alice@example.com', 'work', true)] } },
  { id: 'id-b-zed', created: '2024-01-02T00:00:00.000Z', body: { userName: 'zed@example.com', externalId: 'ext-alice', title: 'Sales' } },
  { id: 'id-b-yan', created: '2024-01-03T00:00:00.000Z', status: 'deactivated', body: { userName: 'yan@example.com', [ENT]: { department: 'Engineering' } } },
];

const TEAMS = [
  { account: A, id: 'team-eng', name: 'Engineering', externalId: 'ext-eng', created: '2023-01-01T00:00:00.000Z' },
  { account: A, id: 'team-sales', name: 'Sales', externalId: null, created: '2023-02-01T00:00:00.000Z' },
  { account: A, id: 'team-ops', name: 'Ops Team', externalId: null, created: '2024-04-01T00:00:00.000Z' },
  { account: B, id: 'team-b-eng', name: 'Engineering', externalId: 'ext-eng', created: '2023-01-01T00:00:00.000Z' },
  { account: C, id: 'team-c-1', name: 'Alpha', externalId: null, created: '2023-01-01T00:00:00.000Z' },
  { account: C, id: 'team-c-2', name: 'beta', externalId: null, created: '2023-01-01T00:00:00.000Z' },
];

/** Account C: pseudo-random members over a small vocabulary, for the property test. */
function generatedMembers(count: number): MemberSeed[] {
  let state = 20240601;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T,>(options: readonly T[]): T => options[Math.floor(next() * options.length)] as T;
  const maybe = <T,>(value: T): T | undefined => (next() < 0.6 ? value : undefined);
  return Array.from({ length: count }, (_, i) => {
    const primaryAt = Math.floor(next() * 4);
    const emails = Array.from({ length: Math.floor(next() * 3) }, (_, k) =>
      email(pick(EMAIL_VALUES), pick(['work', 'home', 'other', undefined]), k === primaryAt ? true : pick([false, undefined])),
    );
    const phones = Array.from({ length: Math.floor(next() * 3) }, () => ({ value: pick(['+41 1', '+41 2', '+1 3']), ...(next() < 0.7 ? { type: pick(['work', 'mobile']) } : {}) }));
    const body: JsonObject = { userName: `${pick(['ann', 'Bo', 'cy'])}${i}@${pick(['x.io', 'Y.io'])}` };
    const set = (key: string, value: JsonObject | string | undefined) => value !== undefined && (body[key] = value);
    set('title', pick([undefined, ...TITLES]));
    set('displayName', maybe(pick(['Ann Lee', 'ann lee', 'Bo', 'Cy Ng'])));
    set('externalId', maybe(pick(['x1', 'X1', 'x2'])));
    set('locale', maybe(pick(['en-US', 'de-CH'])));
    set('name', maybe({ ...(next() < 0.7 ? { givenName: pick(['Ann', 'Bo', 'Cy']) } : {}), ...(next() < 0.7 ? { familyName: pick(['Lee', 'Ng']) } : {}) }));
    if (emails.length > 0) body['emails'] = emails;
    if (phones.length > 0) body['phoneNumbers'] = phones;
    set(ENT, maybe({ ...(next() < 0.7 ? { department: pick(['Ops', 'R&D', 'ops']) } : {}), ...(next() < 0.5 ? { manager: { value: pick(['m1', 'M1']) } } : {}) }));
    const teams = ['team-c-1', 'team-c-2'].filter(() => next() < 0.4);
    return { id: `id-c-${i}`, status: pick(['active', 'active', 'invited', 'deactivated'] as const), created: pick(DATES), updated: pick(DATES), body, teams };
  });
}

const EMAIL_VALUES = ['a@x.io', 'B@x.io', 'c@y.io', 'D@y.io'];
const TITLES = ['Engineer', 'engineer', 'Sales', 'Staff', 'Eng_1%'];
const DATES = ['2023-01-01T00:00:00.000Z', '2023-06-15T12:30:00.000Z', '2024-02-29T23:59:59.999Z', '2024-03-01T00:00:00.000Z'];

interface Fixture {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
}

// One transaction, as a team created with its members: on PostgreSQL a later membership write
// would advance the teams' lastModified at its commit (migration 0006), past the dates tested.
async function seed(database: Kysely<Database>): Promise<void> {
  await database.transaction().execute((db) => seedRows(db));
}

async function seedRows(db: Kysely<Database>): Promise<void> {
  const now = '2024-01-01T00:00:00.000Z';
  for (const id of [A, B, C]) await db.insertInto('accounts').values(enterpriseAccountRow(id, 1000, now)).execute();
  const members: [string, readonly MemberSeed[]][] = [[A, [...SPECIALS, ...FILLERS]], [B, OTHER_ACCOUNT], [C, generatedMembers(30)]];
  for (const [account, seeds] of members) for (const member of seeds) await seedMember(db, account, member);
  for (const team of TEAMS) {
    const { account, id, name, externalId, created } = team;
    const row = { id, account_id: account, display_name: name, display_name_lower: name.toLowerCase(), external_id: externalId, source: 'scim' as const, version: 1, created_at: created, updated_at: created };
    await db.insertInto('teams').values(row).execute();
  }
  for (const [account, seeds] of members) {
    for (const member of seeds) {
      for (const teamId of member.teams ?? []) {
        await db.insertInto('team_memberships').values({ account_id: account, team_id: teamId, member_id: member.id, source: 'scim', added_at: now }).execute();
      }
    }
  }
}

/** Stores a member the way the Users service does: validated, canonical, without `active`. */
async function seedMember(db: Kysely<Database>, accountId: string, member: MemberSeed): Promise<void> {
  const schemas = member.body[ENT] === undefined ? [USER_SCHEMA] : [USER_SCHEMA, ENT];
  const resource = storedUserResource(validateResource(userResourceType, { schemas, ...member.body }));
  const status = member.status ?? 'active';
  const updatedAt = member.updated ?? member.created;
  const write = { resource, role: 'no_access' as const, status, source: 'scim' as const, version: 1, updatedAt, scimLinkedAt: null, deactivatedAt: null, deactivatedBy: null };
  await insertMember(db, accountId, member.id, write, { createdAt: member.created });
}

/** The users of an account as GET /Users renders them: the in-memory oracle's input. */
async function renderedUsers(db: Kysely<Database>, accountId: string): Promise<JsonObject[]> {
  const rows = await db.selectFrom('members').selectAll().where('account_id', '=', accountId).orderBy('seq').execute();
  const memberships = await db
    .selectFrom('team_memberships as tm')
    .innerJoin('teams as t', (join) => join.onRef('t.account_id', '=', 'tm.account_id').onRef('t.id', '=', 'tm.team_id'))
    .select(['tm.member_id', 't.id', 't.display_name'])
    .where('tm.account_id', '=', accountId)
    .execute();
  const teamsOf = (id: string) => memberships.filter((m) => m.member_id === id).map((m) => ({ id: m.id, displayName: m.display_name }));
  return rows.map((row) => toScimUser(row, teamsOf(row.id), BASE_URL));
}

async function renderedGroups(db: Kysely<Database>, accountId: string): Promise<JsonObject[]> {
  const rows = await db.selectFrom('teams').selectAll().where('account_id', '=', accountId).orderBy('seq').execute();
  const members = await db
    .selectFrom('team_memberships as tm')
    .innerJoin('members as m', (join) => join.onRef('m.account_id', '=', 'tm.account_id').onRef('m.id', '=', 'tm.member_id'))
    .select(['tm.team_id', 'tm.member_id', 'm.user_name', 'm.display_name'])
    .where('tm.account_id', '=', accountId)
    .execute();
  return rows.map((row) => toScimGroup(row, members.filter((m) => m.team_id === row.id), BASE_URL));
}

const resolved = (type: ResourceType, text: string) => resolveFilter(type, parseFilter(text));

/** The members a Users filter selects; an IdP lookup must select the same by its prepared statement. */
async function filterUsers(f: Fixture, accountId: string, text: string): Promise<string[]> {
  const filter = resolved(userResourceType, text);
  const where = memberFilterExpression(filter, f.dialect);
  const rows = await f.db.selectFrom('members').select('id').where('account_id', '=', accountId).where(where).orderBy('seq').execute();
  const found = rows.map((r) => r.id);
  const lookup = memberLookupOf(filter);
  if (lookup) {
    for (const withTeams of [false, true]) {
      const byLookup: string[] = (await findScimMembersBy(f.db, accountId, lookup, 1000, withTeams)).map((r) => r.member.id);
      assert.deepEqual(byLookup, found, `the prepared lookup for ${text} disagrees (withTeams: ${withTeams})`);
    }
  }
  return found;
}

async function filterGroups(f: Fixture, accountId: string, text: string): Promise<string[]> {
  const where = teamFilterExpression(resolved(groupResourceType, text), f.dialect);
  const rows = await f.db.selectFrom('teams').select('id').where('account_id', '=', accountId).where(where).orderBy('seq').execute();
  return rows.map((r) => r.id);
}

const oracle = (resources: readonly JsonObject[], type: ResourceType, text: string): string[] =>
  resources.filter((r) => matchesFilter(r, resolved(type, text))).map((r) => String(r['id']));

const ids = (...names: string[]) => names.map((n) => `id-${n}`);
const ALL_FILLERS = FILLERS.map((m) => m.id);
const ALL_A = [...SPECIALS, ...FILLERS].map((m) => m.id);
const except = (...names: string[]) => ALL_A.filter((id) => !ids(...names).includes(id));
const sorted = (values: readonly string[]) => [...values].sort();

/** Filter → the ids of account A it selects. */
const USER_CASES: readonly [string, readonly string[]][] = [
  // The IdP lookups (okta.md, entra-onelogin-jumpcloud.md): userName is case-insensitive.
  ['userName eq "ALICE@EXAMPLE.COM"', ids('alice')],
  ['userName eq "bob.smith@example.com"', ids('bob')],
  ['userName eq "ÉLISE@EXEMPLE.FR"', ids('elise')],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "dave@example.com"', ids('dave')],
  ['userName eq "nobody@example.com"', []],
  ['externalId eq "ext-alice"', ids('alice')],
  ['externalId eq "EXT-ALICE"', []],
  ['externalId eq "EXT-BOB"', ids('bob')],
  ['externalId eq "ext-bob"', []],
  ['userName eq "BOB.SMITH@example.COM"', ids('bob')],
  ['emails.value eq "ALICE@home.example"', ids('alice')],
  ['emails[value eq "carol.work@EXAMPLE.com"]', ids('carol')],
  ['id eq "id-carol"', ids('carol')],
  ['emails[type eq "work"].value eq "Bob.Smith@example.com"', ids('bob')],
  ['emails[type eq "work"].value eq "carol@example.com"', []],
  ['emails.value eq "CAROL@example.com"', ids('carol')],
  ['emails eq "dave@EXAMPLE.com"', ids('dave')],
  ['id eq "id-dave"', ids('dave')],
  ['id eq "ID-DAVE"', []],
  ['id eq "id-alice" and manager eq "id-dave"', ids('alice')],
  ['id eq "id-heidi" and manager eq "id-dave"', []],
  // Operators on strings; LIKE wildcards in values are literal.
  ['userName sw "B"', ids('bob')],
  ['userName sw "under_"', ids('frank')],
  ['userName sw "under%"', []],
  ['userName co "_"', ids('frank')],
  ['userName co "%@"', ids('frank')],
  ['userName ew "@EXAMPLE.ORG"', ids('erin')],
  ['userName gt "h" and userName lt "i"', ids('heidi')],
  ['id sw "id-fill"', ALL_FILLERS],
  ['id co "-ALICE"', []],
  ['externalId ew "-bob"', []],
  ['externalId ew "-BOB"', ids('bob')],
  ['externalId co "heid"', ids('heidi')],
  ['title co "engineer"', ids('alice', 'bob', 'grace')],
  ['title eq "ENGINEER"', ids('alice', 'grace')],
  ['title ne "Engineer"', except('alice', 'grace')],
  ['not (title eq "Engineer")', except('alice', 'grace')],
  ['title pr', [...ids('alice', 'bob', 'carol', 'dave', 'frank', 'grace'), ...ALL_FILLERS]],
  ['not (title pr)', ids('erin', 'elise', 'heidi')],
  ['title eq null', ids('erin', 'elise', 'heidi')],
  ['title ne null', [...ids('alice', 'bob', 'carol', 'dave', 'frank', 'grace'), ...ALL_FILLERS]],
  ['title gt "s"', [...ids('carol'), ...ALL_FILLERS]],
  ['title le "director"', ids('dave', 'frank')],
  ['title lt "D"', ids('frank')],
  ['title ge "eng"', [...ids('alice', 'bob', 'carol', 'grace'), ...ALL_FILLERS]],
  ['title co "% done_"', ids('frank')],
  ['displayName eq "alice archer"', ids('alice')],
  ['displayName co "ARCH"', ids('alice')],
  ['displayName pr', ids('alice', 'carol', 'dave', 'elise')],
  ['displayName ne "Alice Archer"', except('alice')],
  ['name.givenName eq "BOB"', ids('bob')],
  ['name.familyName sw "j"', ids('carol')],
  ['name.middleName eq "j"', ids('bob')],
  ['name pr', [...ids('alice', 'bob', 'carol'), ...ALL_FILLERS]],
  ['not (name pr)', ids('dave', 'erin', 'frank', 'elise', 'grace', 'heidi')],
  ['nickName eq "e"', ids('erin')],
  ['userType eq "employee"', ids('alice')],
  ['locale sw "en"', ids('alice')],
  // Booleans: `active` is the member status; Entra's "False" string is a boolean.
  ['active eq false', ids('carol', 'frank')],
  ['active eq "False"', ids('carol', 'frank')],
  ['active ne true', ids('carol', 'frank')],
  ['active eq true', except('carol', 'frank')],
  ['active pr', ALL_A],
  // Multi-valued attributes: all conditions of one value filter apply to the same element.
  ['emails[primary eq true]', [...ids('alice', 'bob', 'carol', 'dave'), ...ALL_FILLERS]],
  ['emails[type eq "work" and primary eq true]', [...ids('alice', 'carol', 'dave'), ...ALL_FILLERS]],
  ['emails[primary eq false]', ids('carol', 'grace')],
  ['emails.primary pr', [...ids('alice', 'bob', 'carol', 'dave', 'grace'), ...ALL_FILLERS]],
  ['emails[type eq "home" and value co "example.com"]', ids('carol')],
  ['emails[type eq "home" and value co "alice@e"]', []],
  ['emails.type eq "home" and emails.value co "alice@e"', ids('alice')],
  ['emails[type eq "work" and value eq "carol@example.com"]', []],
  ['emails.type eq "work" and emails.value eq "carol@example.com"', ids('carol')],
  ['emails[not (type eq "work")]', ids('alice', 'bob', 'carol', 'grace')],
  ['emails.type ne "work"', ids('erin', 'elise', 'heidi')],
  ['emails[type eq "other"]', ids('grace')],
  ['emails[type eq "other" or display pr]', ids('grace')],
  ['emails pr', except('erin', 'elise', 'heidi')],
  ['emails eq null', ids('erin', 'elise', 'heidi')],
  ['phoneNumbers.value eq "+41 441234567"', ids('alice')],
  ['phoneNumbers[type eq "mobile"]', ids('erin')],
  ['phoneNumbers pr', ids('alice', 'erin')],
  ['addresses[locality eq "zürich" and type eq "work"]', ids('dave')],
  ['addresses.locality eq "ZÜRICH"', ids('dave', 'heidi')],
  ['addresses pr', ids('dave', 'heidi')],
  ['addresses[type eq "home"].locality eq "bern"', ids('heidi')],
  ['ims[type eq "xmpp"]', ids('grace')],
  ['roles[primary eq true].value eq "admin"', ids('heidi')],
  // The enterprise extension, with and without its URN.
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "engineering"', ids('alice', 'bob')],
  ['department eq "Ops"', ids('dave')],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "ID-DAVE"', ids('alice', 'bob')],
  ['employeeNumber gt "1003"', ids('dave', 'heidi')],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr', ids('alice', 'dave', 'heidi')],
  ['manager pr', ids('alice', 'bob')],
  ['not (manager pr)', except('alice', 'bob')],
  // Dates compare as instants, whatever the offset or precision written.
  ['meta.created gt "2024-01-01T00:00:00Z"', ids('carol', 'dave', 'erin', 'elise', 'grace', 'heidi')],
  ['meta.created ge "2024-03-01T00:00:00Z"', ids('dave', 'erin', 'elise', 'grace', 'heidi')],
  ['meta.created gt "2024-03-01T00:00:00Z"', ids('erin', 'elise', 'grace', 'heidi')],
  ['meta.created eq "2024-03-01T01:00:00+01:00"', ids('dave')],
  ['meta.created eq "2024-02-29T23:59:59.999Z"', ids('carol')],
  ['meta.created lt "2023-01-01"', [...ids('frank'), ...ALL_FILLERS]],
  ['meta.lastModified ge "2024-06-01T10:00:00Z"', ids('alice', 'elise', 'grace', 'heidi')],
  ['meta.resourceType eq "User"', ALL_A],
  ['meta.resourceType eq "Group"', []],
  ['meta.location pr', ALL_A],
  ['meta pr', ALL_A],
  // groups: the member's teams.
  ['groups.value eq "team-eng"', ids('alice', 'bob')],
  ['groups[display eq "SALES"]', ids('bob', 'carol')],
  ['groups pr', ids('alice', 'bob', 'carol')],
  ['groups.display ne "Sales"', except('bob', 'carol')],
  ['groups[value eq "team-eng" and display eq "sales"]', []],
  ['groups.value eq "team-eng" and groups.display eq "sales"', ids('bob')],
  ['groups[type eq "direct" and not (primary eq true)]', ids('alice', 'bob', 'carol')],
  // and / or / not / parentheses, with `and` binding tighter than `or`.
  ['title eq "Engineer" or userName sw "carol"', ids('alice', 'carol', 'grace')],
  ['(title eq "Engineer" or title eq "Sales") and active eq true', ids('alice', 'grace')],
  ['not (active eq true and title pr)', ids('carol', 'erin', 'frank', 'elise', 'heidi')],
  ['userName sw "a" and not (emails[type eq "home"])', []],
  ['title eq "Engineer" and (emails[type eq "other"] or department eq "Engineering")', ids('alice', 'grace')],
  ['not (not (userName eq "alice@example.com"))', ids('alice')],
  ['userName eq "alice@example.com" or userName eq "dave@example.com" and active eq false', ids('alice')],
  ['not (department eq "Ops") and department pr', ids('alice', 'bob')],
];

const GROUP_CASES: readonly [string, readonly string[]][] = [
  ['displayName eq "engineering"', ['team-eng']],
  ['displayName eq "OPS TEAM"', ['team-ops']],
  ['DisplayName eq "Sales"', ['team-sales']],
  ['displayName sw "s"', ['team-sales']],
  ['displayName co "TEAM"', ['team-ops']],
  ['displayName ne "Sales"', ['team-eng', 'team-ops']],
  ['externalId eq "ext-eng"', ['team-eng']],
  ['externalId pr', ['team-eng']],
  ['id eq "team-ops"', ['team-ops']],
  ['members.value eq "id-carol"', ['team-sales']],
  ['members[value eq "id-bob"]', ['team-eng', 'team-sales']],
  ['members[value eq "id-b-alice"]', []],
  ['members pr', ['team-eng', 'team-sales']],
  ['not (members pr)', ['team-ops']],
  ['members.display eq "carol jones"', ['team-sales']],
  ['members.display eq "BOB.SMITH@EXAMPLE.COM"', ['team-eng', 'team-sales']],
  ['members[value eq "id-alice" and display eq "Alice Archer"]', ['team-eng']],
  ['members[value eq "id-alice" and display eq "Carol Jones"]', []],
  ['members.type eq "User"', ['team-eng', 'team-sales']],
  ['meta.created gt "2023-01-15T00:00:00Z"', ['team-sales', 'team-ops']],
  ['meta.lastModified le "2023-01-01T00:00:00.000Z"', ['team-eng']],
];

/** Attribute paths of the sortBy parameter, resolved the way the list services do. */
function sortPath(type: ResourceType, sortBy: string): ResolvedPath {
  const { schemaUrn, rest } = splitSchemaUrn(type, sortBy);
  const [attribute = '', sub] = rest.split('.');
  const found = resolveAttribute(type, schemaUrn, attribute, sub);
  if (!found) throw new Error(`unknown sortBy ${sortBy}`);
  return { extension: found.extension, attribute: found.definition, subAttribute: found.subAttribute };
}

/** SQLite's plans for a filter as the Users and Groups lists run it: a count, then a page in seq order. */
async function sqlitePlans(db: Kysely<Database>, table: 'members' | 'teams', text: string): Promise<string[]> {
  let queries: CompiledQuery[];
  if (table === 'members') {
    const base = db.selectFrom('members').where('account_id', '=', A).where(memberFilterExpression(resolved(userResourceType, text), 'sqlite'));
    queries = [base.select((eb) => eb.fn.countAll().as('n')).compile(), base.selectAll().orderBy('seq').limit(100).compile()];
  } else {
    const base = db.selectFrom('teams').where('account_id', '=', A).where(teamFilterExpression(resolved(groupResourceType, text), 'sqlite'));
    queries = [base.select((eb) => eb.fn.countAll().as('n')).compile(), base.selectAll().orderBy('seq').limit(100).compile()];
  }
  const plans: string[] = [];
  for (const query of queries) plans.push(await sqlitePlan(db, query));
  return plans;
}

for (const dialect of DIALECTS) {
  describe(`filter-to-sql on ${dialect}`, () => {
    let database: TestDatabase;
    let roster: RosterDatabase;
    let f: Fixture;
    const users = new Map<string, JsonObject[]>();

    before(async () => {
      database = await createTestDatabase(dialect);
      roster = openDatabase({ url: database.url });
      await migrateToLatest(roster);
      await seed(roster.db);
      f = { db: roster.db, dialect };
      for (const account of [A, B, C]) users.set(account, await renderedUsers(roster.db, account));
    });
    after(async () => {
      await roster.close();
      await database.drop();
    });

    describe('Users filters select exactly the expected members, as the in-memory evaluator does', () => {
      for (const [text, expected] of USER_CASES) {
        it(text, async () => {
          assert.deepEqual(sorted(await filterUsers(f, A, text)), sorted(expected));
          assert.deepEqual(sorted(oracle(users.get(A) ?? [], userResourceType, text)), sorted(expected), 'the in-memory evaluator disagrees with the expected set');
        });
      }
    });

    describe('Groups filters', () => {
      for (const [text, expected] of GROUP_CASES) {
        it(text, async () => {
          assert.deepEqual(sorted(await filterGroups(f, A, text)), sorted(expected));
          assert.deepEqual(sorted(oracle(await renderedGroups(f.db, A), groupResourceType, text)), sorted(expected));
        });
      }
    });

    it('never returns another account\'s members or teams, even with the same userName or team name', async () => {
      assert.deepEqual(await filterUsers(f, B, 'userName eq "alice@example.com"'), ['id-b-alice']);
      assert.deepEqual(await filterUsers(f, B, 'externalId eq "ext-alice"'), ['id-b-zed']);
      assert.deepEqual(await filterUsers(f, B, 'groups.value eq "team-eng"'), []);
      assert.deepEqual(await filterGroups(f, B, 'displayName eq "Engineering"'), ['team-b-eng']);
      assert.deepEqual(await filterGroups(f, B, 'members.value eq "id-alice"'), []);
      const inB = new Set(OTHER_ACCOUNT.map((m) => m.id));
      for (const [text] of USER_CASES) {
        const leaked = (await filterUsers(f, A, text)).filter((id) => inB.has(id));
        assert.deepEqual(leaked, [], text);
      }
    });

    it('runs the IdP lookups by prepared statement (each Users case above checks it selects the same members)', () => {
      const lookups = ['userName eq "BOB.SMITH@example.COM"', 'emails.value eq "ALICE@home.example"', 'emails[value eq "carol.work@EXAMPLE.com"]', 'emails eq "dave@example.com"', 'externalId eq "EXT-BOB"', 'id eq "id-carol"'];
      for (const text of lookups) assert.ok(memberLookupOf(resolved(userResourceType, text)), `${text} is a lookup`);
      for (const text of ['userName ne "x"', 'userName sw "a"', 'emails.type eq "work"', 'emails[type eq "work"]', 'name.givenName eq "Bob"', 'userName eq "a" and active eq true']) {
        assert.equal(memberLookupOf(resolved(userResourceType, text)), undefined, `${text} is not a lookup`);
      }
    });

    it('answers filters it cannot run in SQL with 400 invalidFilter instead of a wrong list', () => {
      const rejected: [ResourceType, string][] = [
        [userResourceType, 'meta.location eq "https://roster.test/scim/v2/Users/id-alice"'],
        [userResourceType, 'meta.version eq "W/\\"1\\""'],
        [userResourceType, 'groups.$ref eq "x"'],
        [groupResourceType, 'members.$ref co "Users"'],
      ];
      for (const [type, text] of rejected) {
        const build = type === userResourceType ? memberFilterExpression : teamFilterExpression;
        assert.throws(() => build(resolved(type, text), dialect), (error: unknown) => {
          assert.ok(error instanceof ScimError, text);
          assert.equal(error.status, 400);
          assert.equal(error.scimType, 'invalidFilter');
          assert.match(error.detail ?? '', /cannot be filtered/);
          return true;
        });
      }
    });

    it('agrees with the in-memory evaluator on random filters (property)', async () => {
      await fc.assert(
        fc.asyncProperty(filterArbitrary(), fc.constantFrom(A, C), async (text, account) => {
          const expected = oracle(users.get(account) ?? [], userResourceType, text);
          assert.deepEqual(await filterUsers(f, account, text), expected, text);
        }),
        { numRuns: 300 },
      );
    });

    describe('sortBy', () => {
      const order = async (sortBy: string, direction: 'asc' | 'desc', account = A) => {
        const key = memberSortExpression(sortPath(userResourceType, sortBy), dialect);
        const rows = await f.db.selectFrom('members').select('id').where('account_id', '=', account).orderBy(key, direction).orderBy('seq').execute();
        return rows.map((r) => r.id);
      };
      // RFC 7644 §3.4.2.3: case-insensitive unless caseExact; missing values last when
      // ascending and first when descending; ties keep insertion order (seq).
      const expected = (account: string, value: (u: JsonObject) => unknown, direction: 'asc' | 'desc') => {
        const all = (users.get(account) ?? []).map((u, seq) => ({ id: String(u['id']), seq, key: value(u) }));
        const present = all.filter((x) => x.key !== undefined);
        const missing = all.filter((x) => x.key === undefined);
        const byKey = (x: { key: unknown; seq: number }, y: { key: unknown; seq: number }) => {
          const [a, b] = [String(x.key), String(y.key)];
          const cmp = a < b ? -1 : a > b ? 1 : 0;
          return (direction === 'asc' ? cmp : -cmp) || x.seq - y.seq;
        };
        const ordered = present.sort(byKey).map((x) => x.id);
        return direction === 'asc' ? [...ordered, ...missing.map((x) => x.id)] : [...missing.map((x) => x.id), ...ordered];
      };
      const get = (...keys: string[]) => (u: JsonObject) => keys.reduce<unknown>((v, k) => (v as JsonObject | undefined)?.[k], u);
      const lower = (read: (u: JsonObject) => unknown) => (u: JsonObject) => (typeof read(u) === 'string' ? String(read(u)).toLowerCase() : undefined);
      // Multi-valued: the primary value, else the first one.
      const primaryOf = (attribute: string) => (u: JsonObject) => {
        const values = (u[attribute] ?? []) as JsonObject[];
        const chosen = values.find((e) => e['primary'] === true) ?? values[0];
        return chosen ? String(chosen['value']).toLowerCase() : undefined;
      };
      const cases: [string, (u: JsonObject) => unknown][] = [
        ['userName', lower(get('userName'))],
        ['title', lower(get('title'))],
        ['name.familyName', lower(get('name', 'familyName'))],
        ['emails', primaryOf('emails')],
        ['emails.value', primaryOf('emails')],
        ['phoneNumbers', primaryOf('phoneNumbers')],
        [`${ENT}:department`, lower(get(ENT, 'department'))],
        ['manager', lower(get(ENT, 'manager', 'value'))],
        ['meta.created', get('meta', 'created')],
        ['externalId', get('externalId')],
      ];
      for (const [sortBy, value] of cases) {
        for (const direction of ['asc', 'desc'] as const) {
          it(`${sortBy} ${direction}`, async () => {
            for (const account of [A, C]) assert.deepEqual(await order(sortBy, direction, account), expected(account, value, direction));
          });
        }
      }

      it('multi-valued JSON attributes sort by the primary value, else the first', async () => {
        // dave: [Zürich/work]; heidi: [Bern/home, Zürich/other]: heidi sorts by Bern.
        const sortedIds = await order('addresses.locality', 'asc');
        assert.deepEqual(sortedIds.slice(0, 2), ids('heidi', 'dave'));
      });

      it('active sorts false before true', async () => {
        assert.deepEqual((await order('active', 'asc')).slice(0, 2), ids('carol', 'frank'));
      });

      it('Groups sort by displayName case-insensitively and by meta.created', async () => {
        const teamOrder = async (sortBy: string) => {
          const key = teamSortExpression(sortPath(groupResourceType, sortBy), dialect);
          return (await f.db.selectFrom('teams').select('id').where('account_id', '=', A).orderBy(key, 'asc').orderBy('seq').execute()).map((r) => r.id);
        };
        assert.deepEqual(await teamOrder('displayName'), ['team-eng', 'team-ops', 'team-sales']);
        assert.deepEqual(await teamOrder('meta.created'), ['team-eng', 'team-sales', 'team-ops']);
      });

      it('rejects unsortable attributes with 400 invalidValue', () => {
        const rejected: [ResourceType, string][] = [[userResourceType, 'name'], [userResourceType, 'groups.display'], [userResourceType, 'password'], [groupResourceType, 'members.value']];
        for (const [type, sortBy] of rejected) {
          const build = type === userResourceType ? memberSortExpression : teamSortExpression;
          assert.throws(() => build(sortPath(type, sortBy), dialect), (error: unknown) => error instanceof ScimError && error.status === 400 && error.scimType === 'invalidValue', sortBy);
        }
      });
    });

    if (dialect === 'sqlite') {
      describe('IdP lookups are index-backed (EXPLAIN QUERY PLAN)', () => {
        const cases: ['members' | 'teams', string, RegExp][] = [
          ['members', 'userName eq "Alice@Example.com"', /USING (COVERING )?INDEX members_user_name_uq \(account_id=\? AND user_name_lower=\?\)/],
          ['members', 'userName sw "al"', /USING (COVERING )?INDEX members_user_name_uq \(account_id=\? AND user_name_lower>\? AND user_name_lower<\?\)/],
          ['members', 'externalId eq "ext-alice"', /USING (COVERING )?INDEX members_external_id_idx \(account_id=\? AND external_id=\?\)/],
          ['members', 'id eq "id-alice"', /USING (COVERING )?INDEX members_account_id_uq \(account_id=\? AND id=\?\)/],
          // The index holds member_id (migration 0007): the lookup never reads the member_emails rows.
          ['members', 'emails.value eq "alice@example.com"', /SEARCH e USING COVERING INDEX member_emails_value_idx \(account_id=\? AND value_lower=\?\)/],
          ['members', 'emails[type eq "work"].value eq "alice@example.com"', /SEARCH e USING INDEX member_emails_value_idx \(account_id=\? AND value_lower=\?\)/],
          ['teams', 'displayName eq "Engineering"', /USING (COVERING )?INDEX teams_display_name_uq \(account_id=\? AND display_name_lower=\?\)/],
        ];
        for (const [table, text, index] of cases) {
          it(text, async () => {
            for (const plan of await sqlitePlans(f.db, table, text)) {
              assert.match(plan, index, plan);
              assert.doesNotMatch(plan, new RegExp(`SCAN ${table}\\b`), plan);
              assert.match(plan, new RegExp(`SEARCH ${table} USING`), plan);
            }
          });
        }
      });
    }
  });
}

/** Random filters over the seeded attributes (a small grammar, RFC 7644 §3.4.2.2). */
function filterArbitrary(): fc.Arbitrary<string> {
  const quote = (value: string) => JSON.stringify(value);
  const strings = fc.constantFrom('a', 'A@X.IO', 'b@x.io', 'c@y', '@y.io', 'x', 'x1', 'X1', 'ann', 'Bo', 'engineer', 'Eng', 'sales', 'Staff', 'eng_1%', '_', '%', 'ops', 'Ops', 'r&d', 'm1', 'work', 'home', 'Lee', 'ng', '+41 1', '+41', 'en', '', 'zzz');
  const stringAttrs = fc.constantFrom(
    'userName', 'title', 'displayName', 'name.givenName', 'name.familyName', 'externalId', 'locale', 'emails.value', 'emails.type', 'phoneNumbers.value', 'phoneNumbers.type',
    `${ENT}:department`, 'department', 'manager.value', 'groups.display', 'groups.value',
  );
  const stringOps = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');
  const dateOps = fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le');
  const dates = fc.constantFrom(...DATES, '2024-03-01T01:00:00+01:00', '2023-06-15', '2024-01-01T00:00:00Z');
  const presentAttrs = fc.constantFrom('title', 'displayName', 'name', 'externalId', 'emails', 'emails.type', 'emails.primary', 'phoneNumbers', 'phoneNumbers.type', 'manager', 'department', 'groups', 'active', 'meta');
  const leaf: fc.Arbitrary<string> = fc.oneof(
    fc.tuple(stringAttrs, stringOps, strings).map(([a, op, v]) => `${a} ${op} ${quote(v)}`),
    fc.tuple(fc.constantFrom('active', 'emails.primary'), fc.constantFrom('eq', 'ne'), fc.boolean()).map(([a, op, v]) => `${a} ${op} ${v}`),
    fc.tuple(fc.constantFrom('meta.created', 'meta.lastModified'), dateOps, dates).map(([a, op, v]) => `${a} ${op} ${quote(v)}`),
    presentAttrs.map((a) => `${a} pr`),
    fc.tuple(fc.constantFrom('title', 'externalId', 'emails.type', 'manager'), fc.constantFrom('eq', 'ne')).map(([a, op]) => `${a} ${op} null`),
  );
  const emailLeaf = fc.oneof(
    fc.tuple(fc.constantFrom('value', 'type', 'display'), stringOps, strings).map(([a, op, v]) => `${a} ${op} ${quote(v)}`),
    fc.tuple(fc.constantFrom('eq', 'ne'), fc.boolean()).map(([op, v]) => `primary ${op} ${v}`),
    fc.constantFrom('type pr', 'primary pr', 'value pr', 'type eq null'),
  );
  const inner = fc.tuple(emailLeaf, fc.option(fc.tuple(fc.constantFrom('and', 'or'), emailLeaf)), fc.boolean()).map(([first, rest, negate]) => {
    const body = rest ? `${first} ${rest[0]} ${rest[1]}` : first;
    return negate ? `not (${body})` : body;
  });
  const valuePath = fc.tuple(fc.constantFrom('emails', 'phoneNumbers'), inner).map(([a, body]) => `${a}[${body}]`);
  const { node } = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
      leaf,
      valuePath,
      fc.tuple(tie('node'), fc.constantFrom('and', 'or'), tie('node')).map(([l, op, r]) => `(${l}) ${op} (${r})`),
      tie('node').map((n) => `not (${n})`),
    ),
  }));
  return node;
}
