import type { CounterLeases } from '../../shared/worker-peers.js';
import type { Counter, WindowCounters } from './rate-limit-counters.js';

/**
 * Requests a lease asks for: a hundredth of the limit (one message per 60 requests at the
 * default 6,000 per minute), at least 1. What one worker leased and did not use is at most that
 * much, so the workers together refuse a client at most a hundredth of the limit early per worker.
 */
const LEASE_FRACTION = 100;

interface Allowance {
  /** Leased and not used yet. */
  left: number;
  /** Used in this worker this window. */
  used: number;
  /** Refused in this worker this window. */
  refused: number;
  /** The primary granted nothing more: the workers together have used the window's budget. */
  exhausted: boolean;
  /** A lease on its way, shared by the requests that wait for it. */
  pending: Promise<void> | undefined;
}

/**
 * Counters for several workers without Redis: each worker answers from allowances leased from
 * the primary, so the workers together never admit more than the limit, and a request waits for
 * a message to the primary only when its worker's allowance of a counter is used up. Counting
 * every request in the primary would put a message on every request; counting in each worker
 * alone would multiply every limit by the number of workers.
 */
export function leasedCounters(leases: CounterLeases): WindowCounters {
  let current = -1;
  let allowances = new Map<string, Allowance>();

  const allowancesOf = (counters: readonly Counter[], window: number): Allowance[] => {
    if (window !== current) {
      current = window;
      allowances = new Map();
    }
    return counters.map(({ key }) => {
      let allowance = allowances.get(key);
      if (!allowance) allowances.set(key, (allowance = { left: 0, used: 0, refused: 0, exhausted: false, pending: undefined }));
      return allowance;
    });
  };
  const admit = (entries: readonly Allowance[]): number[] =>
    entries.map((entry) => {
      entry.left -= 1;
      return (entry.used += 1);
    });
  // The counters that ran out count past their max (rate-limit.ts logs the first refusal of a
  // window); the others are not charged for a request that is not served.
  const refuse = (counters: readonly Counter[], entries: readonly Allowance[]): number[] =>
    entries.map((entry, i) => (entry.left > 0 ? entry.used : (counters[i]?.max ?? 0) + (entry.refused += 1)));
  const topUp = (counter: Counter, entry: Allowance, window: number): Promise<void> =>
    (entry.pending ??= leases
      .lease(counter.key, window, counter.max, Math.max(1, Math.floor(counter.max / LEASE_FRACTION)))
      .then((granted) => {
        entry.left += granted;
        if (granted === 0) entry.exhausted = true;
      })
      .finally(() => {
        entry.pending = undefined;
      }));

  const increment = (counters: readonly Counter[], window: number): number[] | Promise<number[]> => {
    const entries = allowancesOf(counters, window);
    if (entries.every((entry) => entry.left > 0)) return admit(entries);
    const settle = async (): Promise<number[]> => {
      for (;;) {
        // The window rolled over while a lease was on its way: count in the new one.
        if (current !== window) return increment(counters, current);
        const lacking = counters.flatMap((counter, i) => ((entries[i]?.left ?? 0) > 0 ? [] : [{ counter, entry: entries[i] as Allowance }]));
        if (lacking.length === 0) return admit(entries);
        if (lacking.some(({ entry }) => entry.exhausted)) return refuse(counters, entries);
        await Promise.all(lacking.map(({ counter, entry }) => topUp(counter, entry, window)));
      }
    };
    return settle();
  };

  return {
    increment: (counters, window) => increment(counters, window),
    async ready() {},
    async close() {
      allowances.clear();
    },
  };
}
