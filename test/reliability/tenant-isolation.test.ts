import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import fc from 'fast-check';
import { scimClient, type ScimClient, type TestResponse } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';
import { GROUP_SCHEMA, oktaUser, patchOp } from './fixtures.js';

/**
 * Tenant isolation as a property: random sequences of SCIM operations by two accounts, some
 * of them aimed at the other account's ids and names. No response to one account may ever
 * contain an id, userName or team name of the other (beyond echoing what the caller itself
 * sent), and an id of the other account behaves exactly like an unknown one.
 */

type Actor = 0 | 1;

interface Tenant {
  readonly scim: ScimClient;
  readonly users: { id: string; userName: string }[];
  readonly teams: { id: string; name: string }[];
}

type Operation =
  | { kind: 'createUser' | 'createTeam' | 'listUsers' | 'listTeams'; actor: Actor; seed: string }
  | { kind: 'patchUser' | 'getUser' | 'deleteUser' | 'addMember' | 'getTeam' | 'filterOwn'; actor: Actor; pick: number; seed: string }
  | { kind: 'probeOtherUser' | 'probeOtherTeam' | 'filterOther' | 'addOtherMember' | 'patchOther' | 'deleteOther' | 'searchOtherTeam'; actor: Actor; pick: number; seed: string };

const OWN_KINDS = ['patchUser', 'getUser', 'deleteUser', 'addMember', 'getTeam', 'filterOwn'] as const;
const CROSS_KINDS = ['probeOtherUser', 'probeOtherTeam', 'filterOther', 'addOtherMember', 'patchOther', 'deleteOther', 'searchOtherTeam'] as const;

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('createUser', 'createTeam', 'listUsers', 'listTeams'), actor: fc.constantFrom<Actor>(0, 1), seed: fc.stringMatching(/^[a-z]{1,8}$/) }),
  fc.record({ kind: fc.constantFrom(...OWN_KINDS), actor: fc.constantFrom<Actor>(0, 1), pick: fc.nat(), seed: fc.stringMatching(/^[a-z]{1,8}$/) }),
  fc.record({ kind: fc.constantFrom(...CROSS_KINDS), actor: fc.constantFrom<Actor>(0, 1), pick: fc.nat(), seed: fc.stringMatching(/^[a-z]{1,8}$/) }),
) as fc.Arbitrary<Operation>;

/** Every identifying string of a tenant: ids, userNames (as sent and lower-cased), team names. */
function secretsOf(tenant: Tenant): string[] {
  return [...tenant.users.flatMap((u) => [u.id, u.userName, u.userName.toLowerCase()]), ...tenant.teams.flatMap((t) => [t.id, t.name])];
}

const pickFrom = <T>(items: readonly T[], pick: number): T | undefined => (items.length === 0 ? undefined : items[pick % items.length]);

/** The 404 detail an unknown id gets, with the id replaced: an other tenant's id must get the same. */
const notFoundShape = (response: TestResponse, id: string): string => `${response.status} ${String(response.body?.detail).replaceAll(id, '<id>')}`;

describeEachDatabase('reliability: tenant isolation (property)', (server) => {
  let unique = 0;
  let checked = 0;
  const token = () => `${randomBytes(4).toString('hex')}${(unique += 1)}`;

  async function run(operations: Operation[]): Promise<void> {
    const tenants: [Tenant, Tenant] = [
      { scim: scimClient(server().url, (await server().createAccount({ seats: 1000 })).apiKey), users: [], teams: [] },
      { scim: scimClient(server().url, (await server().createAccount({ seats: 1000 })).apiKey), users: [], teams: [] },
    ];
    for (const op of operations) {
      const me = tenants[op.actor];
      const other = tenants[op.actor === 0 ? 1 : 0];
      const { response, echoed } = await apply(op, me, other);
      assert.ok(response.status < 500, `${op.kind}: ${response.status} ${response.text}`);
      let text = response.text;
      for (const sent of echoed) text = text.replaceAll(sent, '<sent>');
      checked += 1;
      for (const secret of secretsOf(other)) assert.ok(!text.includes(secret), `${op.kind} by account ${op.actor} leaked "${secret}" of the other account: ${response.text.slice(0, 300)}`);
    }
    for (const tenant of tenants) {
      const users = await tenant.scim.get('/Users?count=1000');
      assert.deepEqual(((users.body.Resources ?? []) as { id: string }[]).map((u) => u.id).sort(), tenant.users.map((u) => u.id).sort());
      const teams = await tenant.scim.get('/Groups?count=1000');
      assert.deepEqual(((teams.body.Resources ?? []) as { id: string }[]).map((t) => t.id).sort(), tenant.teams.map((t) => t.id).sort());
    }
  }

  /** Sends one operation; returns the response and the other tenant's strings the request itself carried. */
  async function apply(op: Operation, me: Tenant, other: Tenant): Promise<{ response: TestResponse; echoed: string[] }> {
    const ownUser = 'pick' in op ? pickFrom(me.users, op.pick) : undefined;
    const otherUser = 'pick' in op ? pickFrom(other.users, op.pick) : undefined;
    const otherTeam = 'pick' in op ? pickFrom(other.teams, op.pick) : undefined;
    switch (op.kind) {
      case 'createUser': {
        const userName = `${op.seed}.${token()}@tenant.example.com`;
        const response = await me.scim.post('/Users', oktaUser(userName));
        assert.equal(response.status, 201, response.text);
        me.users.push({ id: response.body.id, userName });
        return { response, echoed: [] };
      }
      case 'createTeam': {
        const name = `Team ${op.seed} ${token()}`;
        const members = me.users.slice(-2).map((u) => ({ value: u.id }));
        const response = await me.scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: name, members });
        assert.equal(response.status, 201, response.text);
        me.teams.push({ id: response.body.id, name });
        return { response, echoed: [] };
      }
      case 'listUsers':
        return { response: await me.scim.get('/Users?count=1000'), echoed: [] };
      case 'listTeams':
        return { response: await me.scim.get('/Groups?count=1000'), echoed: [] };
      case 'patchUser':
        if (!ownUser) return { response: await me.scim.get('/Users'), echoed: [] };
        return { response: await me.scim.patch(`/Users/${ownUser.id}`, patchOp({ op: 'replace', path: 'title', value: op.seed })), echoed: [] };
      case 'getUser':
        return { response: await me.scim.get(ownUser ? `/Users/${ownUser.id}` : '/Users'), echoed: [] };
      case 'deleteUser': {
        if (!ownUser) return { response: await me.scim.get('/Users'), echoed: [] };
        const response = await me.scim.delete(`/Users/${ownUser.id}`);
        assert.equal(response.status, 204, response.text);
        me.users.splice(me.users.indexOf(ownUser), 1);
        return { response, echoed: [] };
      }
      case 'addMember': {
        const team = pickFrom(me.teams, op.pick);
        if (!team || !ownUser) return { response: await me.scim.get('/Groups'), echoed: [] };
        return { response: await me.scim.patch(`/Groups/${team.id}?attributes=members`, patchOp({ op: 'add', path: 'members', value: [{ value: ownUser.id }] })), echoed: [] };
      }
      case 'getTeam': {
        const team = pickFrom(me.teams, op.pick);
        return { response: await me.scim.get(team ? `/Groups/${team.id}` : '/Groups'), echoed: [] };
      }
      case 'filterOwn': {
        if (!ownUser) return { response: await me.scim.get('/Users'), echoed: [] };
        const response = await me.scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${ownUser.userName}"`)}`);
        assert.equal(response.body.totalResults, 1);
        return { response, echoed: [] };
      }
      default:
        return applyCross(op, me, otherUser, otherTeam);
    }
  }

  /** Requests aimed at the other tenant: each must behave as if the target did not exist. */
  async function applyCross(op: Operation, me: Tenant, otherUser: { id: string; userName: string } | undefined, otherTeam: { id: string; name: string } | undefined): Promise<{ response: TestResponse; echoed: string[] }> {
    const nothing = async () => ({ response: await me.scim.get('/Users?count=0'), echoed: [] });
    switch (op.kind) {
      case 'probeOtherUser':
      case 'patchOther':
      case 'deleteOther': {
        if (!otherUser) return nothing();
        const send = (id: string) =>
          op.kind === 'probeOtherUser' ? me.scim.get(`/Users/${id}`) : op.kind === 'patchOther' ? me.scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'hijacked' })) : me.scim.delete(`/Users/${id}`);
        const response = await send(otherUser.id);
        const unknownId = randomUUID();
        assert.equal(response.status, 404, response.text);
        assert.equal(notFoundShape(response, otherUser.id), notFoundShape(await send(unknownId), unknownId), 'another account\'s id is answered like an unknown one');
        return { response, echoed: [otherUser.id] };
      }
      case 'probeOtherTeam': {
        if (!otherTeam) return nothing();
        const response = await me.scim.get(`/Groups/${otherTeam.id}`);
        const unknownId = randomUUID();
        assert.equal(response.status, 404, response.text);
        assert.equal(notFoundShape(response, otherTeam.id), notFoundShape(await me.scim.get(`/Groups/${unknownId}`), unknownId));
        return { response, echoed: [otherTeam.id] };
      }
      case 'filterOther': {
        if (!otherUser) return nothing();
        const response = await me.scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${otherUser.userName}" or id eq "${otherUser.id}"`)}`);
        assert.equal(response.body.totalResults, 0);
        return { response, echoed: [] };
      }
      case 'searchOtherTeam': {
        if (!otherTeam) return nothing();
        const response = await me.scim.post('/Groups/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: `displayName eq "${otherTeam.name}"` });
        assert.equal(response.body.totalResults, 0);
        return { response, echoed: [] };
      }
      case 'addOtherMember': {
        const team = pickFrom(me.teams, op.pick);
        if (!team || !otherUser) return nothing();
        const response = await me.scim.patch(`/Groups/${team.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: otherUser.id }] }));
        assert.equal(response.status, 400, response.text);
        return { response, echoed: [otherUser.id] };
      }
      default:
        throw new Error(`unhandled ${op.kind}`);
    }
  }

  it('no response to one account contains an id, userName or team name of another (random operation sequences)', async (t) => {
    await fc.assert(fc.asyncProperty(fc.array(operation, { minLength: 15, maxLength: 60, size: 'max' }), (operations) => run(operations)), { numRuns: 40 });
    t.diagnostic(`${checked} responses checked for leaks across 40 random sequences`);
  });

  it('the same userName and team name may exist in two accounts; each sees only its own', async () => {
    const [a, b] = await Promise.all([server().createAccount({ seats: 10 }), server().createAccount({ seats: 10 })]);
    const clients = [scimClient(server().url, a.apiKey), scimClient(server().url, b.apiKey)];
    const users = await Promise.all(clients.map((scim) => scim.post('/Users', oktaUser('shared.name@example.com'))));
    const teams = await Promise.all(clients.map((scim) => scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Shared Team' })));
    for (const response of [...users, ...teams]) assert.equal(response.status, 201, response.text);
    for (const [i, scim] of clients.entries()) {
      const found = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "shared.name@example.com"')}`);
      assert.deepEqual(found.body.Resources.map((u: { id: string }) => u.id), [users[i]?.body.id]);
      const team = await scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "Shared Team"')}`);
      assert.deepEqual(team.body.Resources.map((t: { id: string }) => t.id), [teams[i]?.body.id]);
    }
  });
});
