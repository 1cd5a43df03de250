/**
 * Microsoft Entra ID user lifecycle replayed request by request: disable / re-enable (§3.7)
 * and the manager reference (§3.8) of entra-onelogin-jumpcloud.md.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { describeEachDatabase } from '../helpers/test-server.js';
import {
  addToNewTeam,
  assertEmptyList,
  assertScimError,
  ENTERPRISE,
  enterpriseOf,
  entraJob,
  patchOk,
  patchOp,
  provisionedUser,
  readUser,
  usersFilter,
} from './idp-flow-helpers.js';

const MANAGER = `${ENTERPRISE}:manager`;

describeEachDatabase('Microsoft Entra ID user lifecycle: disable, re-enable, manager', (server) => {
  // §3.7 Disable / re-enable ------------------------------------------------------------------

  it('§3.7 Entra default-mode disable: Replace active "False" (string) → 200 active false; GET and the filter still return the user', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    const body = await patchOk(scim, user.id, { op: 'Replace', path: 'active', value: 'False' });
    assert.equal(body.active, false);
    const got = await readUser(scim, user.id);
    assert.equal(got.active, false);
    const found = await scim.get(usersFilter(`userName eq "${user.userName}"`));
    assert.equal(found.body.totalResults, 1);
    assert.equal(found.body.Resources[0].active, false, 'Validator: "a GET and filter request on a disabled User should have attribute active"');
  });

  it('§3.7 Entra re-enable: Replace active "True" (string) → active true', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'Replace', path: 'active', value: 'False' });
    const body = await patchOk(scim, user.id, { op: 'Replace', path: 'active', value: 'True' });
    assert.equal(body.active, true);
    assert.equal((await readUser(scim, user.id)).active, true);
  });

  it('§3.6 field reports: lower-case string "false" / "true" on active are accepted', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    assert.equal((await patchOk(scim, user.id, { op: 'replace', path: 'active', value: 'false' })).active, false);
    assert.equal((await patchOk(scim, user.id, { op: 'replace', path: 'active', value: 'true' })).active, true);
  });

  it('§3.7 a disabled user keeps id, profile and team memberships; re-enabled, it is still in its teams', async () => {
    const { scim, accountId } = await entraJob(server());
    const user = await provisionedUser(scim);
    const teamId = await addToNewTeam(server(), accountId, user.id, 'Event Staff');
    await patchOk(scim, user.id, { op: 'Replace', path: 'active', value: 'False' });
    const disabled = await readUser(scim, user.id);
    assert.equal(disabled.id, user.id);
    assert.deepEqual(disabled.name, user.name);
    assert.deepEqual(disabled.groups.map((g: { value: string }) => g.value), [teamId]);
    await patchOk(scim, user.id, { op: 'Replace', path: 'active', value: 'True' });
    assert.deepEqual((await readUser(scim, user.id)).groups.map((g: { value: string; display: string }) => [g.value, g.display]), [[teamId, 'Event Staff']]);
  });

  it('§3.7 disabling twice is idempotent: the second disable answers 200 and changes nothing', async () => {
    const { scim } = await entraJob(server());
    const user = await provisionedUser(scim);
    const first = await patchOk(scim, user.id, { op: 'Replace', path: 'active', value: 'False' });
    const second = await patchOk(scim, user.id, { op: 'Replace', path: 'active', value: 'False' });
    assert.equal(second.active, false);
    assert.equal(second.meta.version, first.meta.version);
  });

  it('§3.7 a disabled user frees its seat; re-enabling past the seat limit → 403 naming the limit, user stays disabled', async () => {
    const { scim } = await entraJob(server(), { seats: 1 });
    const first = await provisionedUser(scim);
    await patchOk(scim, first.id, { op: 'Replace', path: 'active', value: 'False' });
    const second = await provisionedUser(scim);
    const refused = await scim.patch(`/Users/${first.id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }));
    assertScimError(refused, 403);
    assert.match(refused.body.detail, /Seat limit reached/);
    assert.equal((await readUser(scim, first.id)).active, false);
    await patchOk(scim, second.id, { op: 'Replace', path: 'active', value: 'False' });
    assert.equal((await patchOk(scim, first.id, { op: 'Replace', path: 'active', value: 'True' })).active, true);
  });

  // §3.8 Manager ------------------------------------------------------------------------------

  it('§3.8 Entra tutorial Example 5: Add path "manager" with [{"$ref", "value"}] → read back as {"value": id}', async () => {
    const { scim } = await entraJob(server());
    const manager = await provisionedUser(scim);
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'Add', path: 'manager', value: [{ $ref: `http://example.com/scim/Users/${manager.id}`, value: manager.id }] });
    const got = enterpriseOf(await readUser(scim, user.id))?.['manager'] as Record<string, unknown>;
    assert.equal(typeof got, 'object');
    assert.equal(got['value'], manager.id);
  });

  it('§3.8 Logic-App SCIM_Update_Manager: Add URN manager as a plain string, replace with another id, replace "" removes it', async () => {
    const { scim } = await entraJob(server());
    const manager = await provisionedUser(scim);
    const manager2 = await provisionedUser(scim);
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'Add', path: MANAGER, value: manager.id });
    let got = await readUser(scim, user.id);
    assert.deepEqual(enterpriseOf(got)?.['manager'], { value: manager.id }, 'never a bare string (§3.4: Entra cannot read "manager":"id")');
    await patchOk(scim, user.id, { op: 'replace', path: MANAGER, value: manager2.id });
    got = await readUser(scim, user.id);
    assert.deepEqual(enterpriseOf(got)?.['manager'], { value: manager2.id });
    await patchOk(scim, user.id, { op: 'replace', path: MANAGER, value: '' });
    got = await readUser(scim, user.id);
    const cleared = enterpriseOf(got)?.['manager'] as { value?: string } | null | undefined;
    assert.ok(cleared === undefined || cleared === null || !cleared.value, 'manager removed');
  });

  it('§3.8 Entra manager as [{"value": id}] under the URN path is read back as {"value": id}', async () => {
    const { scim } = await entraJob(server());
    const manager = await provisionedUser(scim);
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'Replace', path: MANAGER, value: [{ value: manager.id }] });
    assert.deepEqual(enterpriseOf(await readUser(scim, user.id))?.['manager'], { value: manager.id });
  });

  it('§3.8 Entra reference check: filter id eq "<user>" and manager eq "<mgr>" with attributes=id', async () => {
    const { scim } = await entraJob(server());
    const manager = await provisionedUser(scim);
    const user = await provisionedUser(scim, { [ENTERPRISE]: { manager: manager.id } });
    const matching = await scim.get(`${usersFilter(`id eq "${user.id}" and manager eq "${manager.id}"`)}&attributes=id`);
    assert.equal(matching.status, 200, matching.text);
    assert.equal(matching.body.totalResults, 1);
    assert.equal(matching.body.Resources[0].id, user.id);
    assert.equal(matching.body.Resources[0].userName, undefined, 'attributes=id returns the id only');
    assertEmptyList(await scim.get(`${usersFilter(`id eq "${user.id}" and manager eq "${randomUUID()}"`)}&attributes=id`));
  });

  it('§3.6/§3.8 Entra aadOptscim062020 mode: manager set through the path-less replace with a URN key', async () => {
    const { scim } = await entraJob(server(), { flag: true });
    const manager = await provisionedUser(scim);
    const user = await provisionedUser(scim);
    await patchOk(scim, user.id, { op: 'replace', value: { [MANAGER]: manager.id } });
    assert.deepEqual(enterpriseOf(await readUser(scim, user.id))?.['manager'], { value: manager.id });
  });
});
