import type { Redis } from 'ioredis';

/** How long a starting server waits for Redis before it carries on without it. */
export const REDIS_FIRST_CONTACT_MS = 2_000;

/**
 * Resolves once `redis` is ready or its first connection attempt has failed (never rejects),
 * so a starting server neither blocks on a dead Redis nor counts its first requests elsewhere
 * than a live one.
 */
export function redisFirstContact(redis: Redis, waitMs = REDIS_FIRST_CONTACT_MS): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    redis.once('ready', done);
    redis.once('error', done);
  });
}
