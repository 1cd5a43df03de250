import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompiledQuery } from 'kysely';
import { openDatabase, type RosterDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { CHECKPOINT_SPACING } from '../../src/db/repositories/member-offset-cache.js';
import { findMemberListState, findScimMembersBy, listMembers } from '../../src/db/repositories/member-reads-repository.js';
import { deleteMember, insertMember, newMemberRows } from '../../src/db/repositories/members-repository.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { activeScimMember, enterpriseAccountRow } from '../helpers/member-writes.js';
import { recordingDb } from '../helpers/query-recorder.js';
import { sqlitePlan } from '../helpers/sqlite-plan.js';

const ACCOUNT = 'acct-pages';
const OTHER = 'acct-other';
const NOW = '2026-01-01T00:00:00.000Z';
const MEMBERS = CHECKPOINT_SPACING * 2 + 500;

const write = (userName: string) => activeScimMember(userName, NOW, { externalId: 'shared-ext' });

for (const dialect of DIALECTS) {
  describe(`unfiltered member pages on ${dialect} (cached offsets)`, () => {
    let database: TestDatabase;
    let roster: RosterDatabase;

    /** The page as plain OFFSET finds it: what a page from a cached checkpoint must equal. */
    const expectedPage = async (offset: number, limit: number) =>
      (await roster.db.selectFrom('members').select('id').where('account_id', '=', ACCOUNT).orderBy('seq').offset(offset).limit(limit).execute()).map((r) => r.id);

    const page = async (offset: number, limit: number) => {
      const state = await findMemberListState(roster.db, ACCOUNT);
      const rows = await listMembers(roster.db, ACCOUNT, { where: undefined, orderBy: undefined, descending: false, offset, limit, listVersion: state?.listVersion });
      return rows.map((r) => r.id);
    };

    before(async () => {
      database = await createTestDatabase(dialect);
      roster = openDatabase({ url: database.url });
      await migrateToLatest(roster);
      for (const id of [ACCOUNT, OTHER]) {
        await roster.db.insertInto('accounts').values(enterpriseAccountRow(id, 100_000, NOW)).execute();
      }
      // Interleaved with another account's members, so the account's offsets are not its seqs.
      const rows = Array.from({ length: MEMBERS }, (_, i) => newMemberRows(i % 3 === 0 ? OTHER : ACCOUNT, `m-${String(i).padStart(5, '0')}`, write(`user${i}@example.com`), { createdAt: NOW }).member);
      for (let i = 0; i < rows.length; i += 500) await roster.db.insertInto('members').values(rows.slice(i, i + 500)).execute();
    });
    after(async () => {
      await roster.close();
      await database.drop();
    });

    it('gives the page OFFSET gives, at, across and past the checkpoints, twice (the second from the cache)', async () => {
      const total = (await findMemberListState(roster.db, ACCOUNT))?.memberCount ?? 0;
      assert.ok(total > CHECKPOINT_SPACING + 100, `${total} members`);
      for (let round = 0; round < 2; round++) {
        for (const offset of [CHECKPOINT_SPACING - 1, CHECKPOINT_SPACING, CHECKPOINT_SPACING + 1, total - 100, total - 3, total, total + 50]) {
          assert.deepEqual(await page(offset, 10), await expectedPage(offset, 10), `offset ${offset}, round ${round}`);
        }
      }
    });

    it('follows members added and removed before a cached offset', async () => {
      const offset = CHECKPOINT_SPACING + 7;
      const before = await page(offset, 5);
      assert.deepEqual(before, await expectedPage(offset, 5));
      const versionBefore = (await findMemberListState(roster.db, ACCOUNT))?.listVersion;

      const [first] = await expectedPage(0, 1);
      assert.ok(first);
      assert.equal(await deleteMember(roster.db, ACCOUNT, first), true);
      assert.notEqual((await findMemberListState(roster.db, ACCOUNT))?.listVersion, versionBefore, 'a removal moves the list version');
      const afterRemoval = await page(offset, 5);
      assert.deepEqual(afterRemoval, await expectedPage(offset, 5));
      assert.equal(afterRemoval[0], before[1], 'the page moved up by one');

      await insertMember(roster.db, ACCOUNT, 'm-late', write('late@example.com'), { createdAt: NOW });
      const total = (await findMemberListState(roster.db, ACCOUNT))?.memberCount ?? 0;
      assert.deepEqual(await page(total - 2, 5), await expectedPage(total - 2, 5));
      assert.equal((await page(total - 1, 5))[0], 'm-late', 'an added member is found at the end');
    });

    it('answers a lookup with more rows than one joined statement reads: members in order, with their teams', async () => {
      const firstThree = await expectedPage(0, 3);
      await roster.db.insertInto('teams').values(['Zeta', 'alpha'].map((name, i) => ({ id: `t-${i}`, account_id: ACCOUNT, display_name: name, display_name_lower: name.toLowerCase(), external_id: null, source: 'scim' as const, version: 1, created_at: NOW, updated_at: NOW }))).execute();
      for (const memberId of firstThree) {
        for (const teamId of ['t-0', 't-1']) await roster.db.insertInto('team_memberships').values({ account_id: ACCOUNT, team_id: teamId, member_id: memberId, source: 'scim', added_at: NOW }).execute();
      }
      const lookup = { column: 'external_id', value: 'shared-ext' } as const;
      for (const limit of [2, 5, 100]) {
        const found = await findScimMembersBy(roster.db, ACCOUNT, lookup, limit, true);
        assert.deepEqual(found.map((m) => m.member.id), await expectedPage(0, limit), `limit ${limit}`);
        assert.deepEqual(found.slice(0, 3).map((m) => m.teams?.map((t) => t.display_name)), [['alpha', 'Zeta'], ['alpha', 'Zeta'], ['alpha', 'Zeta']].slice(0, limit));
        assert.ok(found.slice(3).every((m) => m.teams?.length === 0));
        assert.deepEqual((await findScimMembersBy(roster.db, ACCOUNT, lookup, limit, false)).map((m) => m.member.id), found.map((m) => m.member.id));
      }
    });

    it('answers an emails.value lookup with members in insertion order, whatever order the email index gives', async () => {
      const members = await expectedPage(10, 4);
      await roster.db.insertInto('teams').values(['delta', 'Charlie'].map((name, i) => ({ id: `te-${i}`, account_id: ACCOUNT, display_name: name, display_name_lower: name.toLowerCase(), external_id: null, source: 'scim' as const, version: 1, created_at: NOW, updated_at: NOW }))).execute();
      // Email rows written newest member first, so the email index lists the members backwards.
      for (const memberId of [...members].reverse()) {
        await roster.db.insertInto('member_emails').values({ account_id: ACCOUNT, member_id: memberId, position: 9, value_lower: 'shared@example.com', type_lower: 'work', is_primary: 0 }).execute();
        for (const teamId of ['te-0', 'te-1']) await roster.db.insertInto('team_memberships').values({ account_id: ACCOUNT, team_id: teamId, member_id: memberId, source: 'scim', added_at: NOW }).execute();
      }
      const lookup = { column: 'email', value: 'shared@example.com' } as const;
      for (const limit of [1, 3, 100]) {
        const found = await findScimMembersBy(roster.db, ACCOUNT, lookup, limit, true);
        assert.deepEqual(found.map((m) => m.member.id), members.slice(0, limit), `limit ${limit}`);
        assert.ok(found.every((m) => m.teams?.map((t) => t.display_name).join() === 'Charlie,delta'), 'teams in name order');
        assert.deepEqual((await findScimMembersBy(roster.db, ACCOUNT, lookup, limit, false)).map((m) => m.member.id), members.slice(0, limit));
      }
    });

    it('answers the emails.value lookup from the email index alone on SQLite, never reading the member_emails rows (migration 0007)', { skip: dialect !== 'sqlite' }, async () => {
      const compiled: CompiledQuery[] = [];
      const recording = recordingDb(roster.db, (args) => compiled.push(roster.db.getExecutor().compileQuery(args.node, args.queryId)));
      for (const withTeams of [true, false]) await findScimMembersBy(recording, ACCOUNT, { column: 'email', value: 'shared@example.com' }, 100, withTeams);
      assert.ok(compiled.length >= 2, `${compiled.length} statements`);
      for (const query of compiled) {
        const plan = await sqlitePlan(roster.db, query);
        assert.match(plan, /SEARCH member_emails USING COVERING INDEX member_emails_value_idx \(account_id=\? AND value_lower=\?\)/, plan);
      }
    });

    it('is not fooled by a version it did not cache under: a stale version only walks', async () => {
      const state = await findMemberListState(roster.db, ACCOUNT);
      const offset = CHECKPOINT_SPACING * 2;
      const stale = await listMembers(roster.db, ACCOUNT, { where: undefined, orderBy: undefined, descending: false, offset, limit: 3, listVersion: (state?.listVersion ?? 0) - 1 });
      assert.deepEqual(stale.map((r) => r.id), await expectedPage(offset, 3));
    });
  });
}
