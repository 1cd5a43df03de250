import assert from 'node:assert/strict';
import { it } from 'node:test';
import { scimClient, type TestResponse } from '../helpers/http-client.js';
import { describeEachDatabase } from '../helpers/test-server.js';
import { eventsOf, storedMemberIds } from '../scim/groups-fixtures.js';
import { assertScimError, ENTERPRISE, GROUP_SCHEMA, isRetryableConflict, listAllUsers, oktaUser, patchOp, statusCounts, withRetries } from './fixtures.js';

/**
 * IdPs send requests in parallel (Entra runs several workers per job, Okta imports and pushes
 * in bursts, okta.md §7.3 "Concurrent PATCHes must not lose members"). Every race below is
 * started with Promise.all, so all requests are on the wire before any answer is awaited.
 */
describeEachDatabase('reliability: concurrent requests', (server) => {
  async function account(seats = 500) {
    const created = await server().createAccount({ seats });
    return { ...created, scim: scimClient(server().url, created.apiKey) };
  }

  it('50 simultaneous POST /Users with one userName: exactly one 201, 49 × 409 uniqueness, one stored user', async () => {
    const { scim } = await account();
    // Case variants too: userName is unique case-insensitively (RFC 7643 §4.1.1, caseExact false).
    const names = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 'Race.Winner@Example.com' : i % 3 === 1 ? 'race.winner@example.com' : 'RACE.WINNER@EXAMPLE.COM'));
    const responses = await Promise.all(names.map((userName) => scim.post('/Users', oktaUser(userName))));
    assert.deepEqual(statusCounts(responses), { 201: 1, 409: 49 });
    for (const refused of responses.filter((r) => r.status === 409)) assertScimError(refused, 409, 'uniqueness');
    const users = await listAllUsers(scim);
    assert.equal(users.length, 1);
    const winner = responses.find((r) => r.status === 201);
    assert.equal(users[0]?.['id'], winner?.body.id);
  });

  it('100 simultaneous creates with 10 free seats: exactly 10 created, 90 × 403 userLimitReached', async () => {
    const { scim } = await account(10);
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => scim.post('/Users', oktaUser(`seat.${i}@example.com`))));
    assert.deepEqual(statusCounts(responses), { 201: 10, 403: 90 });
    for (const refused of responses.filter((r) => r.status === 403)) assertScimError(refused, 403, 'userLimitReached');
    const users = await listAllUsers(scim);
    assert.deepEqual(users.map((u) => u['id']).sort(), responses.filter((r) => r.status === 201).map((r) => r.body.id).sort());
  });

  it('simultaneous reactivations never take more seats than are free', async () => {
    const { scim } = await account(12);
    const created = await Promise.all(Array.from({ length: 12 }, (_, i) => scim.post('/Users', oktaUser(`react.${i}@example.com`))));
    const ids: string[] = created.map((r) => r.body.id);
    for (const id of ids) assert.equal((await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: false }))).status, 200);
    // 12 deactivated users free 12 seats; 8 new active users take 8 of them: 4 remain.
    for (let i = 0; i < 8; i += 1) assert.equal((await scim.post('/Users', oktaUser(`filler.${i}@example.com`))).status, 201);
    const reactivations = await Promise.all(ids.map((id) => withRetries(() => scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: true })))));
    assert.deepEqual(statusCounts(reactivations.map((r) => r.response)), { 200: 4, 403: 8 });
    const active = (await listAllUsers(scim)).filter((u) => u['active'] === true);
    assert.equal(active.length, 12);
  });

  it('concurrent PATCHes of different attributes of one user: every change is applied, none lost', async (t) => {
    const { scim } = await account();
    const created = await scim.post('/Users', oktaUser('many.writers@example.com', { schemas: [oktaUser('x').schemas, ENTERPRISE].flat() }));
    assert.equal(created.status, 201, created.text);
    const id: string = created.body.id;
    const changes: [string, string][] = [
      ['title', 'Head of Check-in'],
      ['displayName', 'Many Writers'],
      ['nickName', 'Writers'],
      ['profileUrl', 'https://example.com/many'],
      ['locale', 'de-CH'],
      ['timezone', 'Europe/Zurich'],
      ['preferredLanguage', 'de'],
      ['userType', 'Contractor'],
      ['name.middleName', 'M'],
      ['name.honorificPrefix', 'Dr.'],
      ['externalId', '00u1abcd'],
      [`${ENTERPRISE}:department`, 'Events'],
      [`${ENTERPRISE}:employeeNumber`, 'E-42'],
      [`${ENTERPRISE}:costCenter`, 'CC-7'],
      [`${ENTERPRISE}:organization`, 'Acme'],
      [`${ENTERPRISE}:division`, 'EMEA'],
    ];
    const results = await Promise.all(changes.map(([path, value]) => withRetries(() => scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path, value })))));
    for (const { response } of results) assert.equal(response.status, 200, response.text);
    // Writers of one user queue on its row (dialect.ts lockMember), so none even needs a retry.
    const conflicts = results.reduce((n, r) => n + r.conflicts, 0);
    t.diagnostic(`${changes.length} concurrent PATCHes, ${conflicts} retryable 409s`);
    assert.equal(conflicts, 0);
    const user = (await scim.get(`/Users/${id}`)).body;
    const enterprise = user[ENTERPRISE] ?? {};
    const read = (path: string): unknown => {
      if (path.startsWith(ENTERPRISE)) return enterprise[path.slice(ENTERPRISE.length + 1)];
      const [head = '', sub] = path.split('.');
      return sub === undefined ? user[head] : user[head]?.[sub];
    };
    for (const [path, value] of changes) assert.equal(read(path), value, `${path} was lost`);
    // Each applied PATCH wrote exactly one new version: a lost update would leave a gap.
    assert.equal(user.meta.version, `W/"${1 + changes.length}"`);
  });

  it('concurrent PATCHes with If-Match: exactly one wins per version, the others get 412 and succeed on retry with a fresh ETag', async () => {
    const { scim } = await account();
    const created = await scim.post('/Users', oktaUser('etag.race@example.com'));
    const id: string = created.body.id;
    const etag: string = created.headers.get('etag') ?? '';
    const titles = Array.from({ length: 8 }, (_, i) => `Title ${i}`);
    const first = await Promise.all(titles.map((value) => scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value }), { headers: { 'if-match': etag } })));
    assert.deepEqual(statusCounts(first), { 200: 1, 412: 7 });
    for (const stale of first.filter((r) => r.status === 412)) assertScimError(stale, 412);
    // The client's retry: read the fresh ETag, apply its change again.
    const retried = await Promise.all(
      first.map((response, i) => {
        if (response.status === 200) return Promise.resolve(response);
        return withRetries(async () => {
          const fresh = await scim.get(`/Users/${id}`);
          return scim.patch(`/Users/${id}`, patchOp({ op: 'add', path: 'emails', value: [{ value: `alias${i}@example.com`, type: `alias${i}` }] }), {
            headers: { 'if-match': fresh.headers.get('etag') ?? '' },
          });
        }).then((r) => r.response);
      }),
    );
    for (const response of retried) assert.equal(response.status, 200, response.text);
    const user = (await scim.get(`/Users/${id}`)).body;
    const aliases = (user.emails as { value: string }[]).map((e) => e.value).filter((v) => v.startsWith('alias'));
    assert.equal(aliases.length, 7, 'every retried change is present');
  });

  it('concurrent membership PATCHes adding different members to one team: all of them are present', async () => {
    const { scim } = await account();
    const users = await Promise.all(Array.from({ length: 40 }, (_, i) => scim.post('/Users', oktaUser(`member.${i}@example.com`))));
    const ids: string[] = users.map((r) => r.body.id);
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Door Staff' });
    assert.equal(team.status, 201, team.text);
    const teamId: string = team.body.id;
    // Okta splits membership pushes into several PATCHes (okta.md §7.3); Entra sends one per member.
    const okta = ids.slice(0, 20).map((id) => patchOp({ op: 'add', path: 'members', value: [{ value: id, display: id }] }));
    const entra = ids.slice(20).map((id) => patchOp({ op: 'Add', path: 'members', value: [{ value: id }] }));
    const results = await Promise.all([...okta, ...entra].map((body) => withRetries(() => scim.patch(`/Groups/${teamId}`, body))));
    for (const { response } of results) assert.ok(response.status === 204 || response.status === 200, response.text);
    const group = await scim.get(`/Groups/${teamId}`);
    const members = (group.body.members as { value: string }[]).map((m) => m.value).sort();
    assert.deepEqual(members, [...ids].sort());
    // Every PATCH advanced the version once (created at 1): none lost, none counted twice.
    assert.equal(group.headers.get('etag'), `W/"${1 + ids.length}"`);
  });

  it('concurrent adds and removes on one team apply every change exactly once', async () => {
    const { scim } = await account();
    const users = await Promise.all(Array.from({ length: 30 }, (_, i) => scim.post('/Users', oktaUser(`churn.${i}@example.com`))));
    const ids: string[] = users.map((r) => r.body.id);
    const initial = ids.slice(0, 15);
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Churn', members: initial.map((value) => ({ value })) });
    assert.equal(team.status, 201, team.text);
    const removes = ids.slice(0, 10).map((id) => patchOp({ op: 'remove', path: `members[value eq "${id}"]` }));
    const adds = ids.slice(15).map((id) => patchOp({ op: 'add', path: 'members', value: [{ value: id }] }));
    const results = await Promise.all([...removes, ...adds].map((body) => withRetries(() => scim.patch(`/Groups/${team.body.id}`, body))));
    for (const { response } of results) assert.ok(response.status === 204 || response.status === 200, response.text);
    const members = ((await scim.get(`/Groups/${team.body.id}`)).body.members as { value: string }[]).map((m) => m.value).sort();
    assert.deepEqual(members, ids.slice(10).sort());
  });

  // On PostgreSQL, one-member PATCHes of a team that arrive together are written together
  // (provisioning/teams/one-member-writes.ts); each must still be a change of its own.
  it('concurrent one-member PATCHes of one team: each 204 carries a version of its own, and the log has one entry per change', async () => {
    const { scim } = await account();
    const users = await Promise.all(Array.from({ length: 24 }, (_, i) => scim.post('/Users', oktaUser(`batched.${i}@example.com`))));
    const ids: string[] = users.map((r) => r.body.id);
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Batched', members: ids.slice(0, 12).map((value) => ({ value })) });
    const teamId: string = team.body.id;
    const removes = ids.slice(0, 12).map((id) => patchOp({ op: 'remove', path: `members[value eq "${id}"]` }));
    const adds = ids.slice(12).map((id) => patchOp({ op: 'add', path: 'members', value: [{ value: id }] }));
    const responses = await Promise.all([...removes, ...adds].map((body) => scim.patch(`/Groups/${teamId}`, body)));
    assert.deepEqual(statusCounts(responses), { 204: 24 });
    const versions = responses.map((response) => response.headers.get('etag')).sort();
    assert.deepEqual(versions, Array.from({ length: 24 }, (_, i) => `W/"${i + 2}"`).sort(), 'versions 2 to 25, one per PATCH');
    assert.equal((await scim.get(`/Groups/${teamId}`)).headers.get('etag'), 'W/"25"');
    assert.deepEqual(await storedMemberIds(server(), teamId), ids.slice(12).sort());
    const logged = (await eventsOf(server(), teamId)).filter((event) => event.method === 'PATCH');
    assert.deepEqual(logged.map((event) => (event.changes?.['memberIds'] as string[])[0]).sort(), [...ids].sort(), 'one entry per member changed');
  });

  it('one PATCH naming an unknown member among concurrent ones is refused by itself; its neighbours land', async () => {
    const { scim } = await account();
    const users = await Promise.all(Array.from({ length: 10 }, (_, i) => scim.post('/Users', oktaUser(`neighbour.${i}@example.com`))));
    const ids: string[] = users.map((r) => r.body.id);
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Neighbours' });
    const teamId: string = team.body.id;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const values = [...ids.slice(0, 5), unknown, ...ids.slice(5)];
    const responses = await Promise.all(values.map((value) => scim.patch(`/Groups/${teamId}`, patchOp({ op: 'add', path: 'members', value: [{ value }] }))));
    assertScimError(responses[5] as TestResponse, 400, 'invalidValue');
    assert.deepEqual(statusCounts(responses), { 204: 10, 400: 1 });
    assert.deepEqual(await storedMemberIds(server(), teamId), [...ids].sort());
    assert.equal((await scim.get(`/Groups/${teamId}`)).headers.get('etag'), 'W/"11"');
  });

  it('the same member added and removed by concurrent PATCHes: the version advances once per change that happened, each one logged', async () => {
    const { scim } = await account();
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => scim.post('/Users', oktaUser(`flip.${i}@example.com`))));
    const ids: string[] = users.map((r) => r.body.id);
    const [flipped = ''] = ids;
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Flip' });
    const teamId: string = team.body.id;
    const add = patchOp({ op: 'add', path: 'members', value: [{ value: flipped }] });
    const remove = patchOp({ op: 'remove', path: `members[value eq "${flipped}"]` });
    const others = ids.slice(1).map((value) => patchOp({ op: 'add', path: 'members', value: [{ value }] }));
    const responses = await Promise.all([add, remove, add, ...others, remove, add].map((body) => scim.patch(`/Groups/${teamId}`, body)));
    assert.deepEqual(statusCounts(responses), { 204: 10 });
    const changes = (await eventsOf(server(), teamId)).filter((event) => event.method === 'PATCH');
    const version = Number(/W\/"(\d+)"/.exec((await scim.get(`/Groups/${teamId}`)).headers.get('etag') ?? '')?.[1]);
    assert.equal(version, 1 + changes.length, 'one version per logged change');
    // The flipped member's changes alternate, as they must when applied one after another.
    const flips = changes.filter((event) => (event.changes?.['memberIds'] as string[])[0] === flipped).map((event) => event.action);
    assert.ok(flips.every((action, i) => action === (i % 2 === 0 ? 'group.members_added' : 'group.members_removed')), flips.join(' '));
    const stored = await storedMemberIds(server(), teamId);
    assert.equal(stored.includes(flipped), flips.at(-1) === 'group.members_added');
    for (const id of ids.slice(1)) assert.ok(stored.includes(id));
  });

  it('concurrent membership PATCHes with one If-Match: one wins, the others get 412 and add nobody', async () => {
    const { scim } = await account();
    const users = await Promise.all(Array.from({ length: 8 }, (_, i) => scim.post('/Users', oktaUser(`guarded.${i}@example.com`))));
    const ids: string[] = users.map((r) => r.body.id);
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Guarded' });
    const etag = team.headers.get('etag') ?? '';
    const responses = await Promise.all(ids.map((value) => scim.patch(`/Groups/${team.body.id}`, patchOp({ op: 'add', path: 'members', value: [{ value }] }), { headers: { 'if-match': etag } })));
    const winners = responses.flatMap((response, i) => (response.status === 200 || response.status === 204 ? [ids[i]] : []));
    assert.equal(winners.length, 1, responses.map((r) => r.status).join(' '));
    for (const stale of responses.filter((r) => r.status !== 200 && r.status !== 204)) assertScimError(stale, 412);
    const group = await scim.get(`/Groups/${team.body.id}`);
    assert.deepEqual((group.body.members as { value: string }[]).map((m) => m.value), winners, 'only the winner added a member');
    assert.notEqual(group.headers.get('etag'), etag);
  });

  it('a DELETE of a team racing membership PATCHes: every answer is 2xx, 404 or a retryable 409, and the members stay', async () => {
    const { scim } = await account();
    const users = await Promise.all(Array.from({ length: 10 }, (_, i) => scim.post('/Users', oktaUser(`late.${i}@example.com`))));
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Short-lived', members: [{ value: users[0]?.body.id }] });
    const teamId: string = team.body.id;
    const requests: Promise<TestResponse>[] = [
      ...users.slice(1).map((user) => scim.patch(`/Groups/${teamId}`, patchOp({ op: 'add', path: 'members', value: [{ value: user.body.id }] }))),
      scim.patch(`/Groups/${teamId}`, patchOp({ op: 'remove', path: `members[value eq "${String(users[0]?.body.id)}"]` })),
      scim.delete(`/Groups/${teamId}`),
    ];
    const responses = await Promise.all(requests);
    const deleted = responses.at(-1);
    assert.ok(deleted?.status === 204 || (deleted !== undefined && isRetryableConflict(deleted)), `${deleted?.status} ${deleted?.text}`);
    for (const response of responses.slice(0, -1)) {
      assert.ok([200, 204, 404].includes(response.status) || isRetryableConflict(response), `${response.status} ${response.text}`);
    }
    if (deleted?.status === 204) assert.equal((await scim.get(`/Groups/${teamId}`)).status, 404);
    for (const user of users) assert.equal((await scim.get(`/Users/${user.body.id}`)).status, 200, 'the members stay');
  });

  it('a DELETE racing PATCHes of the same user leaves either the deleted user or nothing half-applied', async () => {
    const { scim } = await account();
    const created = await scim.post('/Users', oktaUser('doomed@example.com'));
    const id: string = created.body.id;
    const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Doomed team', members: [{ value: id }] });
    const requests: Promise<TestResponse>[] = [
      ...Array.from({ length: 10 }, (_, i) => scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: `T${i}` }))),
      scim.delete(`/Users/${id}`),
    ];
    const responses = await Promise.all(requests);
    const deleted = responses.at(-1);
    assert.equal(deleted?.status, 204, deleted?.text);
    for (const response of responses.slice(0, -1)) {
      assert.ok([200, 404].includes(response.status) || isRetryableConflict(response), `${response.status} ${response.text}`);
    }
    assert.equal((await scim.get(`/Users/${id}`)).status, 404);
    const group = await scim.get(`/Groups/${team.body.id}`);
    assert.deepEqual(group.body.members ?? [], [], 'the deleted user left the team');
  });
});
