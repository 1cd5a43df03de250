import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:net';
import { runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { request } from '../helpers/http-client.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`roster CLI [${dialect}]`, () => {
    let database: TestDatabase;
    let env: Record<string, string>;
    before(async () => {
      database = await createTestDatabase(dialect);
      env = { ROSTER_DB: database.url };
    });
    after(async () => database.drop());

    it('account create --json prints exactly the documented object and nothing else', () => {
      const result = runCli(['account', 'create', '--name', 'Acme', '--plan', 'enterprise', '--owner-email', 'it@acme.test', '--json'], env);
      assert.equal(result.status, 0, result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.equal(lines.length, 1);
      const json = JSON.parse(lines[0] ?? '');
      assert.deepEqual(Object.keys(json).sort(), ['account', 'apiKey', 'owner']);
      assert.equal(json.account.name, 'Acme');
      assert.equal(json.account.plan, 'enterprise');
      assert.match(json.account.id, /^[0-9a-f-]{36}$/);
      assert.match(json.apiKey, /^rk_/);
      assert.equal(json.owner.email, 'it@acme.test');
      assert.ok(json.owner.password.length >= 12);
    });

    it('without --owner-email there is no owner, and the plan sets the seat limit', () => {
      const result = runCli(['account', 'create', '--name', 'Small', '--plan', 'essentials', '--json'], env);
      const json = JSON.parse(result.stdout);
      assert.equal(json.owner, undefined);
      assert.equal(json.account.seatLimit, 5);
      const custom = JSON.parse(runCli(['account', 'create', '--name', 'Big', '--plan', 'enterprise', '--seats', '250', '--json'], env).stdout);
      assert.equal(custom.account.seatLimit, 250);
    });

    it('key create, list, rotate and revoke manage the account\'s keys', () => {
      const account = JSON.parse(runCli(['account', 'create', '--name', 'Keys', '--plan', 'enterprise', '--json'], env).stdout).account;
      const listed = JSON.parse(runCli(['key', 'list', '--account', account.id, '--json'], env).stdout);
      assert.equal(listed.length, 1);
      const rotated = JSON.parse(runCli(['key', 'rotate', '--account', account.id, '--key', listed[0].id, '--grace', '60', '--json'], env).stdout);
      assert.match(rotated.apiKey, /^rk_/);
      const afterRotate = JSON.parse(runCli(['key', 'list', '--account', account.id, '--json'], env).stdout);
      assert.deepEqual(afterRotate.map((k: { status: string }) => k.status).sort(), ['active', 'expiring']);
      const revoked = runCli(['key', 'revoke', '--account', account.id, '--key', listed[0].id], env);
      assert.equal(revoked.status, 0, revoked.stderr);
      const finalList = JSON.parse(runCli(['key', 'list', '--account', account.id, '--json'], env).stdout);
      assert.ok(finalList.some((k: { status: string }) => k.status === 'revoked'));
      assert.ok(!JSON.stringify(finalList).includes(rotated.apiKey), 'lists never show a key');
    });

    it('account set changes plan, seats and phone validation', () => {
      const account = JSON.parse(runCli(['account', 'create', '--name', 'Grow', '--plan', 'professional', '--json'], env).stdout).account;
      const result = runCli(['account', 'set', '--account', account.id, '--plan', 'enterprise', '--seats', '40', '--phone-validation', 'lenient', '--json'], env);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), { id: account.id, name: 'Grow', plan: 'enterprise', seatLimit: 40, phoneValidation: 'lenient' });
      const bad = runCli(['account', 'set', '--account', account.id, '--phone-validation', 'loose'], env);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /strict.*lenient/);
    });

    it('bad arguments exit 2 with a clear message', () => {
      for (const args of [['account', 'create', '--plan', 'enterprise'], ['account', 'create', '--name', 'X', '--plan', 'enterprise', '--seats', 'many'], ['frobnicate'], ['account', 'create', '--bogus']]) {
        const result = runCli(args, env);
        assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, /^roster: /);
      }
      const plan = runCli(['account', 'create', '--name', 'X', '--plan', 'gold'], env);
      assert.equal(plan.status, 1);
      assert.match(plan.stderr, /Unknown plan "gold"/);
    });
  });
}

describe('roster CLI without a database', () => {
  it('an unreachable database exits 1 and hides the password in the URL', () => {
    const result = runCli(['migrate'], { ROSTER_DB: 'postgres://roster:s3cret@127.0.0.1:1/roster' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Cannot open the database/);
    assert.ok(!result.stderr.includes('s3cret'));
  });
});

describe('npm start (roster serve --demo)', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('sqlite');
  });
  after(async () => database.drop());

  it('creates a demo account once, prints its logins, and prints no secret on the next start', async () => {
    const port = await freePort();
    const env = { ROSTER_DB: database.url, PORT: String(port) };
    const first = startCli(['serve', '--demo'], env, /API key:\s+rk_\S+/);
    await first.ready;
    const key = /API key:\s+(rk_\S+)/.exec(first.output())?.[1];
    assert.match(first.output(), new RegExp(`SCIM base URL:\\s+http://127.0.0.1:${port}/scim/v2`));
    assert.match(first.output(), /Console login:\s+\S+@\S+ \/ \S+/);
    const health = await request(`http://127.0.0.1:${port}`, 'GET', '/readyz');
    assert.equal(health.status, 200);
    assert.equal(await first.stop(), 0, 'SIGTERM shuts down cleanly');

    const second = startCli(['serve', '--demo'], env, /account\(s\) exist/);
    await second.ready;
    assert.ok(key && !second.output().includes(key), 'the key is not printed again');
    assert.doesNotMatch(second.output(), /Console login/);
    await second.stop();
  });
});
