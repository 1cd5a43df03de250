import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ScimError, toErrorBody } from '../../scim/errors.js';
import type { CounterLeases } from '../../shared/worker-peers.js';
import { memoryCounters, redisCounters, type Counter, type WindowCounters } from './rate-limit-counters.js';
import { leasedCounters } from './rate-limit-leases.js';
import { sendScimError } from './scim-reply.js';

/** The SCIM rate limits (README "Limits"); a limit of 0 turns that limit off. */
export interface RateLimitOptions {
  /** Requests per window per API key. */
  readonly perKey: number;
  /** Requests per window per account, all its keys together (two during a rotation). */
  readonly perAccount: number;
  readonly windowSeconds: number;
  /** When set, counters live in Redis and are shared by every instance. */
  readonly redisUrl?: string | undefined;
  /** Without Redis, the budgets held by the primary when several workers serve (ROSTER_WORKERS > 1). */
  readonly leases?: CounterLeases | undefined;
  /** The clock (ms since the epoch); tests pin it so a window never rolls over mid-test. */
  readonly now?: () => number;
}

interface Limit extends Counter {
  readonly exceeded: (windowSeconds: number) => string;
}

function limitsFor(request: FastifyRequest, options: RateLimitOptions): Limit[] {
  const context = request.scim;
  if (!context) return [];
  const limits: Limit[] = [];
  if (options.perKey > 0) {
    limits.push({
      key: `key:${context.keyId}`,
      max: options.perKey,
      exceeded: (seconds) => `Too many requests: this API key ("${context.keyName}") may send ${options.perKey} requests per ${seconds} seconds.`,
    });
  }
  if (options.perAccount > 0) {
    limits.push({
      key: `account:${context.account.id}`,
      max: options.perAccount,
      exceeded: (seconds) => `Too many requests: the account ${context.account.name} may send ${options.perAccount} SCIM requests per ${seconds} seconds across all its API keys.`,
    });
  }
  return limits;
}

/**
 * An `onRequest` hook, registered after bearer authentication, that answers 429 with
 * `Retry-After` and a SCIM error body (RFC 6585 §4; Okta slows down on 429, okta.md §9) once a
 * key or account has used its window. Refusals are not written to the activity log: a flood
 * must not turn into database writes.
 */
export function rateLimit(app: FastifyInstance, options: RateLimitOptions) {
  const local = options.leases ? leasedCounters(options.leases) : memoryCounters();
  const counters: WindowCounters = options.redisUrl ? redisCounters(options.redisUrl, app.log, local) : local;
  app.addHook('onReady', () => counters.ready());
  app.addHook('onClose', () => counters.close());
  const windowMs = options.windowSeconds * 1000;
  const now = options.now ?? Date.now;

  // A callback hook: counted in this process (no Redis), the count is known at once, and every
  // SCIM request would otherwise pay for two promises here.
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const limits = limitsFor(request, options);
    if (limits.length === 0) return done();
    const at = now();
    const window = Math.floor(at / windowMs);
    const answer = (counts: readonly number[]): void => {
      const index = limits.findIndex((limit, i) => (counts[i] ?? 0) > limit.max);
      const exceeded = limits[index];
      if (!exceeded) return done();
      // Log the first refusal of each window only, so a flood cannot flood the logs.
      if (counts[index] === exceeded.max + 1) request.log.warn({ counter: exceeded.key, limit: exceeded.max }, 'SCIM rate limit reached');
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * windowMs - at) / 1000));
      reply.header('retry-after', String(retryAfter));
      const detail = `${exceeded.exceeded(options.windowSeconds)} Retry after ${retryAfter} seconds.`;
      // Answered here, so the chain stops: the hook does not call done (Fastify's hooks docs).
      sendScimError(reply, 429, toErrorBody(new ScimError(429, undefined, detail)));
    };
    const counts = counters.increment(limits, window, windowMs);
    if (Array.isArray(counts)) answer(counts);
    else counts.then(answer, done);
  };
}
