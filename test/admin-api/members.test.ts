import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { describeEachDatabase } from '../helpers/test-server.js';
import { addMember, GROUP_SCHEMA, newAdminTenant, pushUser } from './console-client.js';

describeEachDatabase('Console API: members, teams and seats', (server) => {
  it('adds a manual member as invited, taking a seat, visible over SCIM too', async () => {
    const tenant = await newAdminTenant(server());
    const email = `nora.${randomUUID().slice(0, 6)}@example.com`;
    const response = await tenant.console.post('/members', { email, givenName: 'Nora', familyName: 'Nilsson', phone: '+41 441234567', role: 'events_creator' });
    assert.equal(response.status, 201);
    assert.equal(response.body.initialPassword, undefined, 'only admins get a console password');
    const member = response.body.member;
    assert.deepEqual(
      { name: member.name, email: member.email, phone: member.phone, role: member.role, status: member.status, source: member.source },
      { name: 'Nora Nilsson', email, phone: '+41 441234567', role: 'events_creator', status: 'invited', source: 'manual' },
    );
    const overview = await tenant.console.get('/account');
    assert.deepEqual(overview.body.seats, { used: 2, limit: 15, invited: 1, active: 1, deactivated: 0 });
    const scim = await tenant.scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${email.toUpperCase()}"`)}`);
    assert.equal(scim.body.totalResults, 1, 'an IdP finds the manual member by userName and can link it');
  });

  it('refuses a duplicate email (case-insensitive), a bad phone and a missing name with clear messages', async () => {
    const tenant = await newAdminTenant(server());
    const member = await addMember(tenant.console);
    const duplicate = await tenant.console.post('/members', { email: member.userName.toUpperCase(), givenName: 'A', familyName: 'B', role: 'no_access' });
    assert.equal(duplicate.status, 409);
    assert.match(duplicate.body.error.message, /already exists/);
    const phone = await tenant.console.post('/members', { email: 'p@example.com', givenName: 'A', familyName: 'B', role: 'no_access', phone: '0441234567' });
    assert.equal(phone.status, 400);
    assert.match(phone.body.error.message, /\+41 441234567/);
    const name = await tenant.console.post('/members', { email: 'n@example.com', givenName: ' ', familyName: 'B', role: 'no_access' });
    assert.equal(name.status, 400);
    const owner = await tenant.console.post('/members', { email: 'o@example.com', givenName: 'A', familyName: 'B', role: 'owner' });
    assert.equal(owner.status, 400, 'ownership is never assigned');
  });

  it('enforces the seat limit on add and reactivation; deactivation frees the seat', async () => {
    const tenant = await newAdminTenant(server(), { seats: 2 });
    const first = await addMember(tenant.console);
    const full = await tenant.console.post('/members', { email: 'full@example.com', givenName: 'F', familyName: 'Ull', role: 'no_access' });
    assert.equal(full.status, 409);
    assert.match(full.body.error.message, /^Seat limit reached: the Enterprise plan allows 2 account users and 2 are in use\./);

    const deactivated = await tenant.console.post(`/members/${first.id}/deactivate`);
    assert.equal(deactivated.status, 200);
    assert.equal(deactivated.body.member.status, 'deactivated');
    assert.equal(deactivated.body.member.deactivatedBy, 'admin');
    assert.equal((await tenant.console.get('/account')).body.seats.used, 1);

    const second = await addMember(tenant.console);
    const reactivate = await tenant.console.post(`/members/${first.id}/reactivate`);
    assert.equal(reactivate.status, 409, 'no seat is free');
    assert.equal((await tenant.console.post(`/members/${second.id}/deactivate`)).status, 200);
    const again = await tenant.console.post(`/members/${first.id}/reactivate`);
    assert.equal(again.status, 200);
    assert.equal(again.body.member.status, 'invited', 'never signed in, so invited again');
  });

  it('concurrent adds never exceed the seat limit', async () => {
    const tenant = await newAdminTenant(server(), { seats: 3 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => tenant.console.post('/members', { email: `race${i}.${randomUUID().slice(0, 6)}@example.com`, givenName: 'R', familyName: `${i}`, role: 'no_access' })),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 2);
    assert.ok(results.every((r) => r.status === 201 || r.status === 409));
    assert.equal((await tenant.console.get('/account')).body.seats.used, 3);
  });

  it('edits a manual member\'s profile and bumps the SCIM version', async () => {
    const tenant = await newAdminTenant(server());
    const member = await addMember(tenant.console);
    const before = await tenant.scim.get(`/Users/${member.id}`);
    const edited = await tenant.console.patch(`/members/${member.id}`, { givenName: 'Maria', phone: '+1 4155552671' });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.member.name, `Maria ${member.name.split(' ').slice(1).join(' ')}`);
    assert.equal(edited.body.member.phone, '+1 4155552671');
    const after = await tenant.scim.get(`/Users/${member.id}`);
    assert.equal(after.body.name.givenName, 'Maria');
    assert.notEqual(after.body.meta.version, before.body.meta.version);
  });

  it('SCIM-managed members: profile and status are read-only, the role is editable', async () => {
    const tenant = await newAdminTenant(server());
    const id = await pushUser(tenant.scim);
    const profile = await tenant.console.patch(`/members/${id}`, { givenName: 'Changed' });
    assert.equal(profile.status, 403);
    assert.match(profile.body.error.message, /managed by your identity provider/);
    assert.equal((await tenant.console.post(`/members/${id}/deactivate`)).status, 403);
    const role = await tenant.console.patch(`/members/${id}`, { role: 'events_creator' });
    assert.equal(role.status, 200);
    assert.equal(role.body.member.role, 'events_creator');
    assert.equal(role.body.member.source, 'scim');
    assert.equal((await tenant.scim.get(`/Users/${id}`)).body.name.givenName, 'Sam', 'the IdP\'s data is untouched');
  });

  it('the owner cannot be deactivated or demoted, and an admin cannot deactivate themselves', async () => {
    const tenant = await newAdminTenant(server());
    const ownerId = tenant.console.memberId;
    assert.equal((await tenant.console.post(`/members/${ownerId}/deactivate`)).status, 403);
    assert.equal((await tenant.console.patch(`/members/${ownerId}`, { role: 'admin' })).status, 403);
    assert.equal((await tenant.console.get(`/members/${ownerId}`)).body.status, 'active');
  });

  it('searches case-insensitively by name and email, filters, and paginates with a total', async () => {
    const tenant = await newAdminTenant(server());
    const tag = randomUUID().slice(0, 6);
    for (let i = 0; i < 5; i += 1) await addMember(tenant.console, { email: `${tag}.${i}@example.com`, givenName: `Zed${i}`, familyName: 'Search_Me', role: i === 0 ? 'events_creator' : 'no_access' });
    await pushUser(tenant.scim, `${tag}.scim@example.com`);

    const byEmail = await tenant.console.get(`/members?q=${tag.toUpperCase()}&pageSize=2`);
    assert.equal(byEmail.body.total, 6);
    assert.equal(byEmail.body.items.length, 2);
    const page3 = await tenant.console.get(`/members?q=${tag}&pageSize=2&page=3`);
    assert.equal(page3.body.items.length, 2);
    const all = new Set([...byEmail.body.items, ...page3.body.items].map((m: { id: string }) => m.id));
    assert.equal(all.size, 4, 'pages do not overlap');
    assert.equal((await tenant.console.get('/members?q=zed3')).body.total, 1);
    assert.equal((await tenant.console.get('/members?q=search_me')).body.total, 5);
    assert.equal((await tenant.console.get('/members?q=%25')).body.total, 0, 'LIKE wildcards are literal');
    assert.equal((await tenant.console.get(`/members?q=${tag}&source=scim`)).body.total, 1);
    assert.equal((await tenant.console.get(`/members?q=${tag}&role=events_creator`)).body.total, 1);
    assert.equal((await tenant.console.get(`/members?q=${tag}&status=active`)).body.total, 1);
    assert.equal((await tenant.console.get('/members?status=gone')).status, 400);
  });

  it('shows SCIM teams with member counts, each team\'s members, and members\' teams', async () => {
    const tenant = await newAdminTenant(server());
    const alice = await pushUser(tenant.scim);
    const bob = await pushUser(tenant.scim);
    const crew = await tenant.scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Door Crew', members: [{ value: alice }, { value: bob }] });
    await tenant.scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Bar', members: [{ value: alice }] });
    const teams = await tenant.console.get('/teams');
    assert.deepEqual(
      teams.body.items.map((t: { name: string; memberCount: number; source: string }) => [t.name, t.memberCount, t.source]),
      [['Bar', 1, 'scim'], ['Door Crew', 2, 'scim']],
    );
    const team = await tenant.console.get(`/teams/${crew.body.id}`);
    assert.deepEqual(team.body.members.map((m: { id: string }) => m.id).sort(), [alice, bob].sort());
    const member = await tenant.console.get(`/members/${alice}`);
    assert.deepEqual(member.body.teams.map((t: { name: string }) => t.name), ['Bar', 'Door Crew']);
    assert.equal((await tenant.console.get(`/teams/${randomUUID()}`)).status, 404);
  });

  it('explains the seat refusal of a SCIM create on the overview', async () => {
    const tenant = await newAdminTenant(server(), { seats: 1 });
    const refused = await tenant.scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'late@example.com', active: true });
    assert.equal(refused.status, 403);
    const overview = await tenant.console.get('/account');
    assert.equal(overview.body.seatRefusal?.target, 'late@example.com');
    assert.match(overview.body.seatRefusal?.detail ?? '', /Seat limit reached/);
  });
});
