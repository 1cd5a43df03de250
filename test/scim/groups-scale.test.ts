/**
 * A team of 50,000 members (issue: "a team can have 50,000 members"). Adding or removing one
 * member must cost the same SQL statements as on a 10-member team — counted, not timed
 * (speed belongs to the benchmark) — and must leave every other member in place.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/test-server.js';
import { countStoredMembers, newTenant, patchOp, pushGroup, seedMembers, seedMemberships, startCountingServer, touchesMemberships, type CountingServer, type Tenant } from './groups-fixtures.js';

const LARGE = 50_000;
const SMALL = 10;

describeEachDatabase('Groups: a 50,000-member team', (server) => {
  let counting: CountingServer;
  let tenant: Tenant;
  let large: { id: string; members: string[] };
  let small: { id: string; members: string[] };
  let outsiders: string[];

  before(async () => {
    counting = await startCountingServer(server());
    tenant = await newTenant(server());
    const members = await seedMembers(server(), tenant.accountId, LARGE + SMALL + 3, 'scale');
    large = { id: await pushGroup(tenant, 'Everyone'), members: members.slice(0, LARGE) };
    small = { id: await pushGroup(tenant, 'Few'), members: members.slice(LARGE, LARGE + SMALL) };
    outsiders = members.slice(LARGE + SMALL);
    await seedMemberships(server(), tenant.accountId, large.id, large.members);
    await seedMemberships(server(), tenant.accountId, small.id, small.members);
  });
  after(async () => {
    await counting.close();
  });

  /** The statements one PATCH issues through the counting server. */
  async function statementsOf(teamId: string, body: Record<string, unknown>): Promise<string[]> {
    const client = counting.clientOf(tenant);
    return counting.record(async () => {
      const response = await client.patch(`/Groups/${teamId}`, body);
      assert.equal(response.status, 204, response.text);
    });
  }

  it('adding one member issues the same statements on 50,000 members as on 10', async () => {
    const [newcomer, other] = outsiders;
    const onLarge = await statementsOf(large.id, patchOp({ op: 'add', path: 'members', value: [{ value: newcomer }] }));
    const onSmall = await statementsOf(small.id, patchOp({ op: 'add', path: 'members', value: [{ value: other }] }));
    assert.equal(onLarge.length, onSmall.length);
    assert.ok(onLarge.length <= 8, `a one-member add took ${onLarge.length} statements`);
    assert.equal(await countStoredMembers(server(), large.id), LARGE + 1);
  });

  it('on PostgreSQL a one-member add or remove is one statement: it reads the team and writes the change, its entry and the version', async (t) => {
    if (server().dialect !== 'postgres') return t.skip('SQLite writes cost no round trips: one transaction of several statements');
    const [, , joiner] = outsiders;
    const writes = /"kind":"(Insert|Delete|Update)QueryNode"/;
    const add = await statementsOf(small.id, patchOp({ op: 'add', path: 'members', value: [{ value: joiner }] }));
    assert.equal(add.length, 1, 'one statement (the foreign key checks the member)');
    assert.equal(add.filter((s) => writes.test(s)).length, 1);
    const remove = await statementsOf(small.id, patchOp({ op: 'remove', path: `members[value eq "${joiner}"]` }));
    assert.equal(remove.length, 1, 'one statement');
    assert.equal(remove.filter((s) => writes.test(s)).length, 1);
  });

  it('removing one member issues the same statements on 50,000 members as on 10, and the other 49,999 stay', async () => {
    const removedLarge = large.members[123];
    const removedSmall = small.members[3];
    const onLarge = await statementsOf(large.id, patchOp({ op: 'remove', path: `members[value eq "${removedLarge}"]` }));
    const onSmall = await statementsOf(small.id, patchOp({ op: 'Remove', path: 'members', value: [{ value: removedSmall }] }));
    assert.equal(onLarge.length, onSmall.length);
    const db = server().roster.database.db;
    const remaining = await db
      .selectFrom('team_memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', large.id)
      .where('member_id', 'in', large.members.slice(0, 500))
      .executeTakeFirstOrThrow();
    assert.equal(Number(remaining.n), 499, 'exactly the removed member left the first 500');
    assert.equal(await countStoredMembers(server(), large.id), LARGE, '49,999 original members and the newcomer');
  });

  it('Okta\'s unchanged rename echo on the large team issues no write and never touches memberships', async () => {
    const statements = await statementsOf(large.id, patchOp({ op: 'replace', value: { id: large.id, displayName: 'Everyone' } }));
    assert.deepEqual(statements.filter(touchesMemberships), []);
    assert.ok(statements.every((s) => s.startsWith('{"kind":"SelectQueryNode"')), 'only the locked read of the team');
  });

  it('GET with excludedAttributes=members reads the large team without the membership table', async () => {
    const client = counting.clientOf(tenant);
    const statements = await counting.record(async () => {
      const response = await client.get(`/Groups/${large.id}?excludedAttributes=members`);
      assert.equal(response.status, 200);
      assert.equal(response.body.displayName, 'Everyone');
    });
    assert.deepEqual(statements.filter(touchesMemberships), []);
  });

  it('GET of the large team returns all its members', async () => {
    const response = await tenant.client.get(`/Groups/${large.id}`);
    assert.equal(response.status, 200);
    assert.equal(response.body.members.length, LARGE);
  });
});
