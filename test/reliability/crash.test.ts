import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { scimClient, type ScimClient, type TestResponse } from '../helpers/http-client.js';
import { checkConsistency, sqliteIntegrity } from '../../scripts/fuzz/db-consistency.js';
import { freePort, GROUP_SCHEMA, listAllUsers, oktaUser, patchOp } from './fixtures.js';

/**
 * Crash safety: `roster serve` is killed with SIGKILL in the middle of a write load, restarted,
 * and every write that got a 2xx must be there, nothing may be half-written, and SQLite must
 * pass its integrity check. SIGTERM must drain in-flight requests and close the database.
 */

interface Started {
  readonly cli: ReturnType<typeof startCli>;
  readonly scim: ScimClient;
}

async function startServer(env: Record<string, string>, apiKey: string): Promise<Started> {
  const cli = startCli(['serve'], env, /Roster is listening/);
  await cli.ready;
  return { cli, scim: scimClient(`http://127.0.0.1:${env['PORT']}`, apiKey) };
}

async function setUp(database: TestDatabase): Promise<{ env: Record<string, string>; apiKey: string }> {
  const env = {
    ROSTER_DB: database.url,
    PORT: String(await freePort()),
    // The load below is far above an IdP's rate on purpose.
    ROSTER_RATE_LIMIT_PER_KEY: '0',
    ROSTER_RATE_LIMIT_PER_ACCOUNT: '0',
  };
  const created = runCli(['account', 'create', '--name', 'Crash Test', '--plan', 'enterprise', '--seats', '100000', '--json'], env);
  assert.equal(created.status, 0, created.stderr);
  return { env, apiKey: (JSON.parse(created.stdout) as { apiKey: string }).apiKey };
}

/** What the client was told (acknowledged) and what may or may not have landed (in flight at the kill). */
interface UserLedger {
  readonly id: string;
  readonly userName: string;
  titles: string[];
}

interface TeamLedger {
  readonly id: string;
  readonly name: string;
  readonly members: Set<string>;
  readonly maybe: Set<string>;
}

class Ledger {
  readonly users = new Map<string, UserLedger>();
  readonly maybeUsers = new Set<string>();
  readonly teams: TeamLedger[] = [];
  acknowledged = 0;
}

/** One IdP worker: create a user, retitle it, every 4th round push a team and add a member. */
async function worker(scim: ScimClient, ledger: Ledger, name: string, onAck: () => void): Promise<void> {
  const ack = (response: TestResponse, expected: number[]): boolean => {
    assert.ok(expected.includes(response.status), `${response.status} ${response.text}`);
    ledger.acknowledged += 1;
    onAck();
    return true;
  };
  const mine: string[] = [];
  try {
    for (let round = 0; ; round += 1) {
      const userName = `${name}.${round}@crash.example.com`;
      ledger.maybeUsers.add(userName);
      const created = await scim.post('/Users', oktaUser(userName, { title: 'v0' }));
      ack(created, [201]);
      const user: UserLedger = { id: created.body.id, userName, titles: ['v0'] };
      ledger.users.set(user.id, user);
      mine.push(user.id);
      user.titles.push('v1');
      ack(await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'v1' })), [200]);
      user.titles.splice(0, 1);
      if (round % 4 === 3) {
        const teamName = `${name} team ${round}`;
        const team = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: teamName, members: mine.slice(-3).map((value) => ({ value })) });
        ack(team, [201]);
        const entry: TeamLedger = { id: team.body.id, name: teamName, members: new Set(mine.slice(-3)), maybe: new Set() };
        ledger.teams.push(entry);
        const extra = mine[0] ?? user.id;
        entry.maybe.add(extra);
        ack(await scim.patch(`/Groups/${entry.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: extra }] })), [200, 204]);
        entry.members.add(extra);
      }
    }
  } catch (error) {
    // The server died under this request: its outcome is unknown, which the checks allow.
    if (error instanceof assert.AssertionError) throw error;
  }
}

async function writeLoadAndKill(started: Started, ledger: Ledger, workers: number, killAfter: number, prefix: string): Promise<void> {
  let killed: Promise<number | null> | undefined;
  const onAck = () => {
    if (ledger.acknowledged >= killAfter && !killed) killed = started.cli.stop('SIGKILL');
  };
  await Promise.all(Array.from({ length: workers }, (_, i) => worker(started.scim, ledger, `${prefix}${i}`, onAck)));
  assert.ok(killed, 'the server was killed');
  assert.equal(await killed, null, 'the process died of the signal');
}

async function verify(scim: ScimClient, ledger: Ledger): Promise<number> {
  const users = new Map((await listAllUsers(scim)).map((u) => [u['id'] as string, u]));
  let checked = 0;
  for (const expected of ledger.users.values()) {
    const found = users.get(expected.id);
    assert.ok(found, `acknowledged user ${expected.userName} is missing after the crash`);
    assert.equal(found['userName'], expected.userName);
    assert.ok(expected.titles.includes(found['title'] as string), `${expected.userName}: title ${String(found['title'])}, acknowledged ${expected.titles.join(' or ')}`);
    checked += 1;
  }
  for (const found of users.values()) assert.ok(ledger.maybeUsers.has(found['userName'] as string), `unexpected user ${String(found['userName'])}`);
  for (const team of ledger.teams) {
    const group = await scim.get(`/Groups/${team.id}`);
    assert.equal(group.status, 200, `acknowledged team ${team.name} is missing after the crash`);
    const members = new Set(((group.body.members ?? []) as { value: string }[]).map((m) => m.value));
    for (const id of team.members) assert.ok(members.has(id), `${team.name}: acknowledged member ${id} is missing`);
    for (const id of members) assert.ok(team.members.has(id) || team.maybe.has(id), `${team.name}: unexpected member ${id}`);
    checked += 1;
  }
  return checked;
}

/** Resolves once a new connection to `port` is refused (bounded: each try is a real connect). */
async function listenerClosed(port: number): Promise<void> {
  for (let attempt = 0; attempt < 5000; attempt += 1) {
    const refused = await new Promise<boolean>((resolve) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(false);
      });
      probe.once('error', () => resolve(true));
    });
    if (refused) return;
  }
  throw new Error(`port ${port} still accepts connections after SIGTERM`);
}

describe('reliability: crash safety (SIGKILL mid-write) and graceful shutdown (SIGTERM)', () => {
  for (const dialect of DIALECTS) {
    it(`every acknowledged write survives SIGKILL twice, nothing is half-written, the database is intact [${dialect}]`, async (t) => {
      const database = await createTestDatabase(dialect);
      try {
        const { env, apiKey } = await setUp(database);
        const ledger = new Ledger();
        for (const [round, killAfter] of [['a', 250], ['b', 500]] as const) {
          await writeLoadAndKill(await startServer(env, apiKey), ledger, 16, killAfter, `w${round}`);
          const integrity = sqliteIntegrity(database.url);
          if (integrity) assert.deepEqual(integrity, { integrity: 'ok', foreignKeyViolations: 0 });
        }
        const restarted = await startServer(env, apiKey);
        try {
          const checked = await verify(restarted.scim, ledger);
          const report = await checkConsistency(database.url);
          assert.deepEqual(report.problems, []);
          t.diagnostic(`${ledger.acknowledged} writes acknowledged before two SIGKILLs; ${checked} users and teams checked; ${report.members} members, ${report.teams} teams, ${report.memberships} memberships consistent`);
        } finally {
          assert.equal(await restarted.cli.stop('SIGTERM'), 0);
        }
      } finally {
        await database.drop();
      }
    });

    it(`SIGTERM lets an in-flight request finish, then exits 0 with the database closed cleanly [${dialect}]`, async () => {
      const database = await createTestDatabase(dialect);
      try {
        const { env, apiKey } = await setUp(database);
        const { cli, scim } = await startServer(env, apiKey);
        assert.equal((await scim.post('/Users', oktaUser('before@drain.example.com'))).status, 201);
        // `Expect: 100-continue`: the server's "100 Continue" proves it is handling the request
        // before the signal is sent; the body follows only after SIGTERM.
        const body = JSON.stringify(oktaUser('inflight@drain.example.com'));
        let exited: Promise<number | null> | undefined;
        // An IdP keeps its connection alive; the drain must not wait for the client to drop it.
        const agent = new Agent({ keepAlive: true, timeout: 600_000 });
        const response = await new Promise<{ status: number; text: string; connection: string | undefined }>((resolve, reject) => {
          const req = httpRequest({
            agent,
            host: '127.0.0.1',
            port: Number(env['PORT']),
            method: 'POST',
            path: '/scim/v2/Users',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
          });
          req.on('continue', () => {
            exited = cli.stop('SIGTERM');
            // The body goes out only once the server has stopped accepting connections, so the
            // request is provably in flight while the server shuts down.
            listenerClosed(Number(env['PORT'])).then(() => req.end(body), reject);
          });
          req.on('response', (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }));
          });
          req.on('error', reject);
        });
        assert.equal(response.status, 201, response.text);
        assert.equal((JSON.parse(response.text) as { userName: string }).userName, 'inflight@drain.example.com');
        assert.equal(response.connection, 'close', 'a draining server ends keep-alive connections after the response');
        assert.equal(await exited, 0, cli.errors());
        agent.destroy();
        assert.doesNotMatch(cli.output() + cli.errors(), /"level":(50|60)/, 'no error was logged while draining');
        if (dialect === 'sqlite') {
          // SQLite removes the write-ahead log when the last connection closes cleanly.
          assert.equal(existsSync(`${database.url}-wal`), false, 'the database was closed cleanly');
          assert.deepEqual(sqliteIntegrity(database.url), { integrity: 'ok', foreignKeyViolations: 0 });
        }
        const restarted = await startServer(env, apiKey);
        try {
          const names = (await listAllUsers(restarted.scim)).map((u) => u['userName']).sort();
          assert.deepEqual(names, ['before@drain.example.com', 'inflight@drain.example.com']);
        } finally {
          assert.equal(await restarted.cli.stop('SIGTERM'), 0);
        }
      } finally {
        await database.drop();
      }
    });
  }
});
