import cluster, { type Worker } from 'node:cluster';
import { isForgetMessage, isLeaseRequest, isSignInMessage, type LeaseGranted, type LeaseRequest } from './messages.js';

export interface PrimaryOptions {
  readonly workers: number;
  /** One line for the operator (stderr in `roster serve`). */
  readonly say: (line: string) => void;
}

export interface Primary {
  /** Resolves once every worker listens. */
  readonly listening: Promise<void>;
  /** Stops every worker (each drains its requests, as `roster serve` does on SIGTERM) and resolves when all have exited. */
  stop(): Promise<void>;
}

/** A crashed worker is replaced after this delay, doubled for each crash in a row up to a minute. */
const RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 60_000;
/** A worker that served this long without crashing resets the delay. */
const STABLE_AFTER_MS = 30_000;
/** How long stop() waits for a worker to drain before killing it. */
const STOP_TIMEOUT_MS = 30_000;

/**
 * The SCIM rate limits' budgets, for workers without Redis: what each counter's window has
 * granted to the workers together, never more than its max (http/scim/rate-limit-leases.ts).
 * Windows older than the previous one are dropped.
 */
function rateLimitBudgets() {
  /** Per window, what each counter has granted. */
  const windows = new Map<number, Map<string, number>>();
  return (request: LeaseRequest): number => {
    let granted = windows.get(request.window);
    if (!granted) {
      windows.set(request.window, (granted = new Map()));
      for (const window of windows.keys()) if (window < request.window - 1) windows.delete(window);
    }
    const used = granted.get(request.key) ?? 0;
    const grant = Math.max(0, Math.min(request.wanted, request.max - used));
    granted.set(request.key, used + grant);
    return grant;
  };
}

/**
 * V8's young generation grows to two 16 MB semi-spaces under load, per process. Workers share
 * the machine's memory, so each gets 4 MB ones: about 24 MB less per worker (bench/README.md,
 * finding 38). Short-lived request garbage dies young either way.
 */
const WORKER_V8_FLAGS = ['--max-semi-space-size=4'];

/** Starts `workers` copies of this process (cluster.fork), replaces crashed ones, and coordinates them. */
export function startPrimary(options: PrimaryOptions): Primary {
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...WORKER_V8_FLAGS] });
  let stopping = false;
  let restartDelay = RESTART_DELAY_MS;
  const startedAt = new Map<Worker, number>();
  const lease = rateLimitBudgets();

  const fork = (): Worker => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.on('message', (message: unknown) => {
      if (isLeaseRequest(message)) {
        const reply: LeaseGranted = { roster: 'lease-granted', id: message.id, granted: lease(message) };
        if (worker.isConnected()) worker.send(reply);
      } else if (isForgetMessage(message) || isSignInMessage(message)) {
        for (const other of Object.values(cluster.workers ?? {})) if (other && other !== worker && other.isConnected()) other.send(message);
      }
    });
    worker.on('exit', (code, signal) => {
      const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
      startedAt.delete(worker);
      if (stopping) return;
      if (lived >= STABLE_AFTER_MS) restartDelay = RESTART_DELAY_MS;
      options.say(`roster: worker ${worker.process.pid ?? '?'} exited (${signal ?? `code ${code}`}); starting another in ${restartDelay} ms`);
      // Not unref'd: with every worker gone, this timer is what keeps the primary alive.
      setTimeout(() => {
        if (!stopping) fork();
      }, restartDelay);
      restartDelay = Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS);
    });
    return worker;
  };

  const first = Array.from({ length: options.workers }, fork);
  const listening = Promise.all(
    first.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.once('listening', () => resolve());
          worker.once('exit', (code) => reject(new Error(`a worker exited with code ${code} before it listened`)));
        }),
    ),
  ).then(() => undefined);

  return {
    listening,
    async stop() {
      stopping = true;
      const running = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
      await Promise.all(
        running.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              worker.once('exit', () => resolve());
              // A signal, not worker.kill(), which would disconnect the IPC channel first: a
              // worker still draining may revoke a key and must tell the others.
              worker.process.kill('SIGTERM');
              setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
            }),
        ),
      );
    },
  };
}
