import type { SignInPeers } from '../shared/worker-peers.js';

/**
 * Slows down password guessing: failed sign-ins are counted per email address and per client
 * address in a sliding window, and further attempts are refused until the window has room.
 * Counters live in the process, and the workers of one `roster serve` tell each other theirs
 * (throttleAcrossWorkers); with several instances each keeps its own, which still bounds an
 * attacker to (instances × limit) guesses per window.
 */
export interface ThrottleLimits {
  readonly perEmail: number;
  readonly perIp: number;
  readonly windowMs: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = { perEmail: 5, perIp: 30, windowMs: 15 * 60_000 };

/** Keeps memory bounded under a flood of distinct keys. */
const MAX_KEYS = 10_000;

/** What sign-in asks of a throttle: one process's (SignInThrottle) or the workers' together. */
export type SignInCounter = Pick<SignInThrottle, 'retryAfterMs' | 'recordFailure' | 'recordSuccess'>;

export class SignInThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before another attempt for this email from this address (0 = go). */
  retryAfterMs(email: string, ip: string): number {
    return Math.max(this.#wait(`e:${email.toLowerCase()}`, this.limits.perEmail), this.#wait(`i:${ip}`, this.limits.perIp));
  }

  recordFailure(email: string, ip: string): void {
    this.#push(`e:${email.toLowerCase()}`);
    this.#push(`i:${ip}`);
  }

  /** A successful sign-in clears the email's counter (not the address's). */
  recordSuccess(email: string): void {
    this.#failures.delete(`e:${email.toLowerCase()}`);
  }

  #recent(key: string): number[] {
    const cutoff = this.now() - this.limits.windowMs;
    const recent = (this.#failures.get(key) ?? []).filter((at) => at > cutoff);
    if (recent.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, recent);
    return recent;
  }

  #wait(key: string, limit: number): number {
    const recent = this.#recent(key);
    if (recent.length < limit) return 0;
    const oldest = recent[recent.length - limit] ?? this.now();
    return Math.max(1, oldest + this.limits.windowMs - this.now());
  }

  #push(key: string): void {
    if (!this.#failures.has(key) && this.#failures.size >= MAX_KEYS) {
      const first = this.#failures.keys().next();
      if (!first.done) this.#failures.delete(first.value);
    }
    this.#failures.set(key, [...this.#recent(key), this.now()]);
  }
}

/**
 * A throttle that tells the server's other workers every failure and success it records, and
 * records theirs. Without it each worker would allow its own five guesses per email, and
 * node:cluster hands each new connection to the next worker.
 */
export function throttleAcrossWorkers(throttle: SignInThrottle, peers: SignInPeers): SignInCounter {
  peers.subscribe((outcome) => (outcome.kind === 'failure' ? throttle.recordFailure(outcome.email, outcome.ip) : throttle.recordSuccess(outcome.email)));
  return {
    retryAfterMs: (email, ip) => throttle.retryAfterMs(email, ip),
    recordFailure(email, ip) {
      throttle.recordFailure(email, ip);
      peers.publish({ kind: 'failure', email, ip });
    },
    recordSuccess(email) {
      throttle.recordSuccess(email);
      peers.publish({ kind: 'success', email });
    },
  };
}
