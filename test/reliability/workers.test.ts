import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS } from '../helpers/databases.js';
import { freePort, oktaUser } from './fixtures.js';

/**
 * `roster serve` with ROSTER_WORKERS=2: two processes answer on one port (node:cluster hands
 * each new connection to the next worker in turn). What an IdP and an admin see must not
 * change: every write lands once, a read right after a write sees it whichever worker answers,
 * a revoked key stops everywhere at once, and a crashed worker is replaced.
 */

interface Reply {
  readonly status: number;
  readonly body: any;
}

/** One request on a connection of its own, so that consecutive requests reach alternate workers. */
function onNewConnection(port: number, method: string, path: string, headers: Record<string, string>, payload?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.end(payload);
  });
}

/** A SCIM request on a connection of its own. */
function send(port: number, method: string, path: string, apiKey: string, body?: unknown): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/scim+json', ...(payload ? { 'content-type': 'application/scim+json' } : {}) };
  return onNewConnection(port, method, `/scim/v2${path}`, headers, payload);
}

/** The pids of a process's children (its workers). */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
      .trim()
      .split(' ')
      .filter(Boolean)
      .map(Number),
  );
}

/** Request log lines (LOG_LEVEL=info) name the pid of the worker that answered. */
function pidsThatAnswered(output: string): Set<number> {
  const pids = new Set<number>();
  for (const line of output.split('\n')) {
    if (!line.includes('"request completed"')) continue;
    pids.add((JSON.parse(line) as { pid: number }).pid);
  }
  return pids;
}

interface TwoWorkers {
  readonly server: ReturnType<typeof startCli>;
  readonly port: number;
  readonly apiKey: string;
  readonly owner: { email: string; password: string };
  stop(): Promise<void>;
}

/** A fresh database with one Enterprise account, served by `roster serve` with two workers and `env`. */
async function startTwoWorkers(dialect: 'sqlite' | 'postgres', env: Record<string, string>): Promise<TwoWorkers> {
  const database = await createTestDatabase(dialect);
  const port = await freePort();
  const all = { ROSTER_DB: database.url, PORT: String(port), ROSTER_WORKERS: '2', ...env };
  const created = runCli(['account', 'create', '--name', 'Workers', '--plan', 'enterprise', '--seats', '1000', '--owner-email', 'owner@workers.example.com', '--json'], all);
  assert.equal(created.status, 0, created.stderr);
  const { apiKey, owner } = JSON.parse(created.stdout) as { apiKey: string; owner: { email: string; password: string } };
  const server = startCli(['serve'], all, /Roster is listening on \S+ \(2 workers\)/);
  await server.ready;
  return {
    server,
    port,
    apiKey,
    owner,
    async stop() {
      await server.stop();
      await database.drop();
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`roster serve with two workers [${dialect}]`, () => {
    let workers: TwoWorkers;
    let port: number;
    let apiKey: string;
    let server: ReturnType<typeof startCli>;

    before(async () => {
      workers = await startTwoWorkers(dialect, { LOG_LEVEL: 'info', ROSTER_RATE_LIMIT_PER_KEY: '0', ROSTER_RATE_LIMIT_PER_ACCOUNT: '0' });
      ({ port, apiKey, server } = workers);
    });
    after(() => workers.stop());

    it('creates from 16 clients at once all land exactly once, and each is read back at once by the other worker', async () => {
      const before = (await send(port, 'GET', '/Users?count=1', apiKey)).body.totalResults as number;
      const results = await Promise.all(
        Array.from({ length: 16 }, async (_, client) => {
          const statuses: number[] = [];
          for (let round = 0; round < 10; round += 1) {
            const created = await send(port, 'POST', '/Users', apiKey, oktaUser(`c${client}.r${round}@workers.example.com`));
            statuses.push(created.status);
            if (created.status !== 201) continue;
            // A new connection: the other worker, which must see the commit of the first.
            const read = await send(port, 'GET', `/Users/${created.body.id}`, apiKey);
            statuses.push(read.status);
          }
          return statuses;
        }),
      );
      assert.deepEqual([...new Set(results.flat())].sort(), [200, 201]);
      const list = await send(port, 'GET', '/Users?count=1', apiKey);
      assert.equal(list.body.totalResults, before + 160);
      assert.equal(pidsThatAnswered(server.output()).size, 2, 'both workers answered');
    });

    it('a key revoked through one worker is refused by every worker at once', async () => {
      const admin = await signIn(port, workers.owner);
      const issued = await admin.send('POST', '/api-keys', { name: 'to revoke' });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      const doomed: string = issued.body.secret;
      // Both workers cache the key's lookup (five connections each, alternating).
      for (let i = 0; i < 10; i += 1) assert.equal((await send(port, 'GET', '/Users?count=1', doomed)).status, 200);
      const revoked = await admin.send('DELETE', `/api-keys/${issued.body.key.id}`);
      assert.equal(revoked.status, 204, JSON.stringify(revoked.body));
      await sleep(20); // the other worker hears of it through the primary, well within this
      const after = await Promise.all(Array.from({ length: 10 }, () => send(port, 'GET', '/Users?count=1', doomed)));
      assert.deepEqual(
        after.map((reply) => reply.status),
        Array<number>(10).fill(401),
      );
    });

    it('a worker killed by the OS is replaced, and the service keeps answering meanwhile', async () => {
      const primaryPid = server.pid;
      const before = childrenOf(primaryPid);
      assert.equal(before.length, 2);
      process.kill(before[0] ?? 0, 'SIGKILL');
      // A connection the primary hands to the worker in the moment it dies, before Node.js's
      // cluster module has seen it exit, is lost (the client's timeout ends it); from then on
      // every connection goes to a live worker.
      const noticed = Date.now() + 5_000;
      while (Date.now() < noticed && !/exited \(SIGKILL\)/.test(server.errors())) await sleep(20);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await send(port, 'GET', '/Users?count=1', apiKey)).status);
      assert.deepEqual([...new Set(statuses)], [200], 'the surviving worker answered every request');
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !(childrenOf(primaryPid).length === 2 && !childrenOf(primaryPid).includes(before[0] ?? 0))) await sleep(100);
      const now = childrenOf(primaryPid);
      assert.equal(now.length, 2, 'a new worker took its place');
      assert.ok(!now.includes(before[0] ?? 0));
      assert.match(server.errors(), /worker \d+ exited \(SIGKILL\); starting another/);
    });

    it('with every worker killed at once, the primary lives on and starts new ones', async () => {
      const before = childrenOf(server.pid);
      for (const pid of before) process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 15_000;
      let answered = 0;
      while (Date.now() < deadline && answered === 0) {
        await sleep(200);
        const now = childrenOf(server.pid);
        // A request may fail until a new worker listens.
        if (now.length === 2 && !now.some((pid) => before.includes(pid))) answered = await send(port, 'GET', '/Users?count=1', apiKey).then((reply) => reply.status, () => 0);
      }
      assert.equal(answered, 200);
    });

    it('SIGTERM to the primary stops every worker and exits 0', async () => {
      const workers = childrenOf(server.pid);
      assert.equal(await server.stop('SIGTERM'), 0);
      for (const pid of workers) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
    });
  });
}

/** Signs in to the console API like the browser does (cookie and CSRF token). */
async function signIn(port: number, owner: { email: string; password: string }) {
  const origin = `http://127.0.0.1:${port}/api/v1`;
  const response = await fetch(`${origin}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) });
  assert.equal(response.status, 200);
  const cookie = /roster_session=[^;]*/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return {
    async send(method: string, path: string, body?: unknown): Promise<Reply> {
      const reply = await fetch(`${origin}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await reply.text();
      return { status: reply.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

describe('roster serve with two workers and no Redis: the SCIM rate limits', () => {
  let workers: TwoWorkers;

  before(async () => {
    workers = await startTwoWorkers('sqlite', { ROSTER_RATE_LIMIT_PER_KEY: '20', ROSTER_RATE_LIMIT_PER_ACCOUNT: '0', ROSTER_RATE_LIMIT_WINDOW: '3600' });
  });
  after(() => workers.stop());

  it('hold for the workers together: 40 requests spread over both get 20 answers and 20 × 429', async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, () => send(workers.port, 'GET', '/Users?count=1', workers.apiKey)));
    const statuses = replies.map((reply) => reply.status);
    assert.equal(statuses.filter((status) => status === 200).length, 20, statuses.join(' '));
    assert.equal(statuses.filter((status) => status === 429).length, 20);
    const refused = replies.find((reply) => reply.status === 429);
    assert.match(refused?.body.detail, /may send 20 requests per 3600 seconds/);
  });
});

/** A console sign-in on a connection of its own, so that consecutive attempts reach alternate workers. */
async function attemptSignIn(port: number, email: string, password: string): Promise<number> {
  return (await onNewConnection(port, 'POST', '/api/v1/session', { 'content-type': 'application/json' }, JSON.stringify({ email, password }))).status;
}

describe("roster serve with two workers: the console's sign-in throttle", () => {
  let workers: TwoWorkers;

  before(async () => {
    workers = await startTwoWorkers('sqlite', { LOG_LEVEL: 'info' });
  });
  after(() => workers.stop());

  it('holds for the workers together: five wrong passwords spread over both, then even the right one waits', async () => {
    const { email, password } = workers.owner;
    for (let attempt = 0; attempt < 5; attempt += 1) assert.equal(await attemptSignIn(workers.port, email, `wrong-${attempt}`), 401);
    // Each worker saw two or three of the failures itself; the limit is five per email.
    assert.equal(await attemptSignIn(workers.port, email, password), 429);
    assert.equal(await attemptSignIn(workers.port, email, password), 429);
    assert.equal(pidsThatAnswered(workers.server.output()).size, 2, 'both workers answered');
  });
});
