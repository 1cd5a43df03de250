import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { redisFirstContact } from '../redis-first-contact.js';

/**
 * Fixed-window request counters for the SCIM rate limits: in Redis when `ROSTER_REDIS_URL`
 * is set (shared by every instance), in this process otherwise and whenever Redis is
 * unreachable, so an outage of Redis never becomes an outage of provisioning.
 */
export interface WindowCounters {
  /**
   * Adds one request to each counter of window `window` and returns the new counts, in order
   * (a count above the counter's `max` refuses the request): at once when counted in this
   * process, which every SCIM request does without Redis.
   */
  increment(counters: readonly Counter[], window: number, windowMs: number): number[] | Promise<number[]>;
  /** Resolves once the store can be used, or has been found unreachable (never rejects). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface Counter {
  readonly key: string;
  /** The limit: requests allowed per window. */
  readonly max: number;
}

/** Counts in this process; a new window drops the previous one's counters. */
export function memoryCounters(): WindowCounters {
  let current = -1;
  let counts = new Map<string, number>();
  return {
    increment(counters, window) {
      if (window !== current) {
        current = window;
        counts = new Map();
      }
      return counters.map(({ key }) => {
        const next = (counts.get(key) ?? 0) + 1;
        counts.set(key, next);
        return next;
      });
    },
    async ready() {},
    async close() {
      counts.clear();
    },
  };
}

// One round trip, atomic: INCR each key and give a new key its expiry.
const INCREMENT_SCRIPT = `
local counts = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  counts[i] = n
end
return counts`;

const KEY_PREFIX = 'roster:ratelimit:';

/** `redis://user:secret@host` → `redis://host`, for logs. */
function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

/**
 * Counters in Redis, falling back to `fallback` while Redis is down: this process's memory, or,
 * in a worker of `roster serve`, the budgets its primary holds for all the workers (so the
 * workers of one server still admit the limit once between them). Redis commands
 * fail fast (no offline queue, short timeout) so a dead Redis adds no latency; the client
 * reconnects in the background and Redis is used again once it answers.
 */
export function redisCounters(url: string, log: FastifyBaseLogger, fallback: WindowCounters = memoryCounters()): WindowCounters {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  let healthy = true;
  const recover = (): void => {
    if (healthy) return;
    healthy = true;
    log.info({ redis: withoutCredentials(url) }, 'Redis is reachable again: SCIM rate limits are shared across instances');
  };
  const degrade = (error: unknown): void => {
    if (!healthy) return;
    healthy = false;
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ redis: withoutCredentials(url), reason }, 'Redis is unreachable: SCIM rate limits are counted per instance until it is back');
  };
  redis.on('error', degrade);
  redis.on('ready', recover);
  return {
    async increment(counters, window, windowMs) {
      if (redis.status === 'ready') {
        try {
          const counts = (await redis.eval(INCREMENT_SCRIPT, counters.length, ...counters.map(({ key }) => `${KEY_PREFIX}${key}:${window}`), windowMs * 2)) as number[];
          recover();
          return counts.map(Number);
        } catch (error) {
          degrade(error);
        }
      }
      return fallback.increment(counters, window, windowMs);
    },
    ready: () => redisFirstContact(redis),
    async close() {
      redis.disconnect();
      await fallback.close();
    },
  };
}
