/**
 * The fuzz driver: an in-process Roster on 127.0.0.1 (the fuzzer never takes a target URL, so it
 * cannot be pointed at anything but loopback), random and mutated IdP requests from a few
 * concurrent clients, and the checks: no 5xx, SCIM error bodies on every 4xx, /healthz up, and a
 * consistent database afterwards.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildRosterServer, openRoster } from '../../src/app.js';
import { checkConsistency, sqliteIntegrity, type ConsistencyReport } from './db-consistency.js';
import { SEEDS, type Credential, type FuzzRequest, type World } from './idp-requests.js';
import { mutate } from './mutations.js';
import { Random } from './random.js';

export interface FuzzOptions {
  /** Stop after this many SCIM requests… */
  readonly requests: number;
  /** …or after this many seconds, whichever comes first. */
  readonly seconds: number;
  readonly seed: number;
  readonly databaseUrl: string;
  readonly concurrency: number;
}

/** A request that broke an invariant, kept for the report. */
export interface FuzzFailure {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | string;
  readonly problem: string;
  readonly body: string;
}

export interface FuzzSummary {
  readonly requests: number;
  readonly mutated: number;
  readonly seconds: number;
  readonly statuses: Record<string, number>;
  readonly serverErrors: number;
  readonly failures: FuzzFailure[];
  readonly health: { readonly checks: number; readonly ok: number };
  readonly consistency: ConsistencyReport;
  readonly integrity: string;
  readonly eventLoopMaxMs: number;
}

const MUTATION_RATE = 0.6;
const HEALTH_EVERY = 250;
const KEPT_FAILURES = 20;

interface Target {
  readonly url: string;
  readonly keys: Record<'account' | 'other-account' | 'professional', string>;
}

function authorization(target: Target, credential: Credential): string | undefined {
  switch (credential) {
    case 'none':
      return undefined;
    case 'garbage':
      return 'Bearer rk_00000000_notakey';
    case 'basic':
      return `Basic ${Buffer.from(`${target.keys.account}:`).toString('base64')}`;
    default:
      return `Bearer ${target.keys[credential]}`;
  }
}

/** Sends one request; returns its status and body text, or the transport error. */
async function send(target: Target, request: FuzzRequest): Promise<{ status: number; text: string } | { error: string }> {
  const headers: Record<string, string> = { ...request.headers };
  const auth = authorization(target, request.auth ?? 'account');
  if (auth) headers['authorization'] = auth;
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const body = !hasBody ? undefined : request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  try {
    const response = await fetch(`${target.url}/scim/v2${request.path}`, { method: request.method, headers, ...(body !== undefined ? { body } : {}) });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { error: error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error) };
  }
}

/** /Bulk is answered 501 Not Implemented by design (RFC 7644 §3.7; ServiceProviderConfig says bulk: false). */
const isBulkRefusal = (request: FuzzRequest, status: number): boolean => status === 501 && /^\/Bulk\/?(\?|$)/.test(request.path);

/** A 5xx that is a fault, not the documented refusal of /Bulk. */
const isServerError = (request: FuzzRequest, status: number): boolean => status >= 500 && !isBulkRefusal(request, status);

/** What is wrong with this answer, if anything. */
function problemWith(request: FuzzRequest, status: number, text: string): string | undefined {
  if (isServerError(request, status)) return 'server error';
  // Node's HTTP parser answers 431 (request line and headers over 16 KB) before any route runs.
  if (request.method === 'HEAD' || status === 204 || status === 304 || status === 431) return undefined;
  let body: { schemas?: unknown; status?: unknown; detail?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return 'the body is not JSON';
  }
  if (status < 400) return undefined;
  const isError = Array.isArray(body?.schemas) && body.schemas.includes('urn:ietf:params:scim:api:messages:2.0:Error');
  if (!isError || body?.status !== String(status) || typeof body.detail !== 'string' || body.detail === '') return 'not a SCIM error body (RFC 7644 §3.12)';
  return undefined;
}

/** Keeps the fuzzer's view of the account in step with what the server acknowledged. */
function learn(world: World, request: FuzzRequest, status: number, text: string): void {
  if ((request.auth ?? 'account') !== 'account') return;
  const [collection, id] = request.path.split('?')[0]?.split('/').slice(1) ?? [];
  if (request.method === 'POST' && status === 201 && id === undefined) {
    const created = JSON.parse(text) as { id: string; userName?: string; displayName?: string };
    if (collection === 'Users') world.users.push({ id: created.id, userName: created.userName ?? '' });
    if (collection === 'Groups') world.groups.push({ id: created.id, displayName: created.displayName ?? '' });
  }
  if (request.method === 'DELETE' && status === 204 && id !== undefined) {
    const list: { id: string }[] = collection === 'Users' ? world.users : world.groups;
    const index = list.findIndex((item) => item.id === id);
    if (index >= 0) list.splice(index, 1);
  }
}

async function createAccounts(roster: Awaited<ReturnType<typeof openRoster>>): Promise<Target['keys']> {
  const main = await roster.accounts.createAccount({ name: 'Fuzzed', plan: 'enterprise', seatLimit: 300 });
  const other = await roster.accounts.createAccount({ name: 'Neighbour', plan: 'enterprise', seatLimit: 20 });
  const professional = await roster.accounts.createAccount({ name: 'No SCIM', plan: 'professional', seatLimit: 20 });
  return { account: main.apiKey, 'other-account': other.apiKey, professional: professional.apiKey };
}

/** Ids of the neighbour account, which the fuzzed account must never reach. */
async function seedNeighbour(target: Target): Promise<string[]> {
  const ids: string[] = [];
  const neighbour = { ...target, keys: { ...target.keys, account: target.keys['other-account'] } };
  for (let i = 0; i < 3; i += 1) {
    const user = await send(neighbour, { label: 'setup', method: 'POST', path: '/Users', headers: { 'content-type': 'application/scim+json' }, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `neighbour.${i}@example.com` } });
    const group = await send(neighbour, { label: 'setup', method: 'POST', path: '/Groups', headers: { 'content-type': 'application/scim+json' }, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Neighbour ${i}` } });
    for (const answer of [user, group]) if ('text' in answer) ids.push((JSON.parse(answer.text) as { id: string }).id);
  }
  return ids;
}

/** The counters of one run and the loop of one concurrent client. */
class FuzzSession {
  readonly statuses: Record<string, number> = {};
  readonly failures: FuzzFailure[] = [];
  readonly health = { checks: 0, ok: 0 };
  sent = 0;
  mutated = 0;
  serverErrors = 0;

  constructor(
    private readonly target: Target,
    private readonly world: World,
    private readonly rng: Random,
    private readonly limits: { readonly requests: number; readonly deadline: number },
  ) {}

  async checkHealth(): Promise<void> {
    this.health.checks += 1;
    const response = await fetch(`${this.target.url}/healthz`).catch(() => undefined);
    if (response?.status === 200) this.health.ok += 1;
    await response?.text();
  }

  /** One client: draws a seed request, maybe mutates it, sends it and checks the answer. */
  async client(): Promise<void> {
    while (this.sent < this.limits.requests && Date.now() < this.limits.deadline) {
      this.sent += 1;
      if (this.sent % HEALTH_EVERY === 0) await this.checkHealth();
      const request = this.nextRequest();
      const answer = await send(this.target, request);
      if ('error' in answer) {
        this.count('transport error');
        this.record(request, 'transport error', 'the connection failed', answer.error);
        continue;
      }
      this.count(String(answer.status));
      if (isServerError(request, answer.status)) this.serverErrors += 1;
      const problem = problemWith(request, answer.status, answer.text);
      if (problem) this.record(request, answer.status, problem, `${JSON.stringify(request.body ?? request.raw ?? '').slice(0, 300)} → ${answer.text}`);
      else learn(this.world, request, answer.status, answer.text);
    }
  }

  private nextRequest(): FuzzRequest {
    const request = this.rng.pick(SEEDS)(this.rng, this.world);
    if (!this.rng.chance(MUTATION_RATE)) return request;
    this.mutated += 1;
    const once = mutate(this.rng, request);
    return this.rng.chance(0.25) ? mutate(this.rng, once) : once;
  }

  private count(status: string): void {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
  }

  private record(request: FuzzRequest, status: number | string, problem: string, body: string): void {
    if (this.failures.length >= KEPT_FAILURES) return;
    this.failures.push({ label: request.label, method: request.method, path: request.path.slice(0, 300), status, problem, body: body.slice(0, 500) });
  }
}

/** A fresh Roster on loopback with the limiter in the path but limits the fuzzer cannot reach. */
async function startRoster(databaseUrl: string) {
  const roster = await openRoster({ databaseUrl, databasePoolSize: 10 });
  const app = await buildRosterServer(roster, {
    publicUrl: 'http://127.0.0.1',
    bodyLimitBytes: 1_048_576,
    logLevel: 'error',
    rateLimit: { perKey: 100_000_000, perAccount: 100_000_000, windowSeconds: 60 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const target: Target = { url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, keys: await createAccounts(roster) };
  return {
    target,
    async stop() {
      await app.close();
      await roster.database.close();
    },
  };
}

/** Runs one bounded fuzz session against a fresh Roster on `options.databaseUrl`. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const server = await startRoster(options.databaseUrl);
  const world: World = { users: [], groups: [], foreignIds: await seedNeighbour(server.target) };
  const started = Date.now();
  const session = new FuzzSession(server.target, world, new Random(options.seed), { requests: options.requests, deadline: started + options.seconds * 1000 });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  try {
    await Promise.all(Array.from({ length: options.concurrency }, () => session.client()));
    await session.checkHealth();
  } finally {
    loopDelay.disable();
    await server.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  const consistency = await checkConsistency(options.databaseUrl);
  const integrity = sqliteIntegrity(options.databaseUrl);
  return {
    requests: session.sent,
    mutated: session.mutated,
    seconds,
    statuses: session.statuses,
    serverErrors: session.serverErrors,
    failures: session.failures,
    health: session.health,
    consistency,
    integrity: integrity ? `${integrity.integrity}, ${integrity.foreignKeyViolations} foreign-key violations` : 'n/a (PostgreSQL)',
    eventLoopMaxMs: loopDelay.max / 1e6,
  };
}

/** True when the run broke no invariant. */
export function fuzzPassed(summary: FuzzSummary): boolean {
  const integrityOk = summary.integrity.startsWith('n/a') || summary.integrity === 'ok, 0 foreign-key violations';
  return summary.serverErrors === 0 && summary.failures.length === 0 && summary.health.ok === summary.health.checks && summary.consistency.problems.length === 0 && integrityOk;
}
