/**
 * Shared pieces of the scale-out suites: Roster processes on one PostgreSQL database, a TCP
 * relay that can cut a dependency off (as a network partition would) and bounded polls.
 */
import { spawn } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startCli } from '../helpers/cli.js';

export const REDIS_URL = process.env['ROSTER_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A TCP port that was free a moment ago, for a server started as a child process. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A running `roster serve` process. */
export interface Instance {
  readonly url: string;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `roster serve` processes at once with `env`, each on its own loopback port. */
export async function startInstances(count: number, env: Record<string, string>): Promise<Instance[]> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const started = ports.map((port) => ({ port, cli: startCli(['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' }, /Roster is listening/) }));
  const outcomes = await Promise.allSettled(started.map((s) => s.cli.ready));
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => s.cli.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return started.map(({ port, cli }) => ({ url: `http://127.0.0.1:${port}`, output: cli.output, stop: () => cli.stop('SIGTERM') }));
}

/** Runs the CLI as a child process without blocking the event loop (several at once). */
export function runCliAsync(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Polls `check` until it returns true or `timeoutMs` has passed since the first try; returns
 * when the successful try began. A short pause between tries keeps it from spinning, and the bound is what
 * the test asserts, so no sleep decides the outcome.
 */
export async function pollUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    // Judged by when a try began: a request sent within the bound may answer after it.
    const at = Date.now() - started;
    if (await check()) return at;
    if (at > timeoutMs) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await new Promise<void>((resolve) => setTimeout(resolve, 25));
  }
}

/** A TCP relay on loopback to `target` that the test can cut (every open connection too) and restore on the same port. */
export interface Relay {
  readonly port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function tcpRelay(target: { host: string; port: number }): Promise<Relay> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => socket.destroy());
          socket.on('close', () => {
            sockets.delete(socket);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        server = next;
        resolve((next.address() as AddressInfo).port);
      });
    });
  const cut = async (): Promise<void> => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  const port = await listen(0);
  return {
    port,
    cut,
    restore: async () => {
      if (!server) await listen(port);
    },
    close: cut,
  };
}

/** A minimal Okta-shaped user (okta.md §4). */
export function oktaUser(userName: string): Record<string, unknown> {
  return { schemas: [USER_SCHEMA], userName, name: { givenName: 'Scale', familyName: 'Out' }, emails: [{ primary: true, value: userName, type: 'work' }], active: true };
}

/** Counts responses by status, e.g. `{ 201: 10, 403: 50 }`. */
export function statusCounts(responses: readonly { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const response of responses) counts[response.status] = (counts[response.status] ?? 0) + 1;
  return counts;
}
