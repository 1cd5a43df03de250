import { Redis } from 'ioredis';
import { redisFirstContact } from './redis-first-contact.js';

/** A Redis connection that only answers readiness checks (the rate limiter keeps its own). */
export interface RedisProbe {
  /** Resolves when Redis answers PING; rejects at once while it is unreachable. */
  check(): Promise<void>;
  /** Resolves once the first connection attempt has succeeded or failed (never rejects). */
  firstContact(): Promise<void>;
  close(): void;
}

/**
 * Opens the probe connection. Commands fail fast (no offline queue) so `/readyz` never hangs
 * on a dead Redis; the client keeps reconnecting in the background, so readiness comes back
 * by itself once Redis answers again (within about 2 s).
 */
export function redisProbe(url: string): RedisProbe {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // Failures surface through check(); without a listener ioredis prints every one of them.
  redis.on('error', () => undefined);
  return {
    async check() {
      await redis.ping();
    },
    firstContact: () => redisFirstContact(redis),
    close() {
      redis.disconnect();
    },
  };
}
