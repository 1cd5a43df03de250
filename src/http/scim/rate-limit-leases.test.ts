import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CounterLeases } from '../../shared/worker-peers.js';
import { leasedCounters } from './rate-limit-leases.js';

/** The primary's side, in process: one budget per counter and window, and a log of the messages. */
function primary(): CounterLeases & { messages: number } {
  const granted = new Map<string, number>();
  const budget = {
    messages: 0,
    async lease(key: string, window: number, max: number, wanted: number) {
      budget.messages += 1;
      await new Promise((resolve) => setImmediate(resolve)); // the IPC round trip
      const used = granted.get(`${window}:${key}`) ?? 0;
      const grant = Math.max(0, Math.min(wanted, max - used));
      granted.set(`${window}:${key}`, used + grant);
      return grant;
    },
  };
  return budget;
}

const admitted = (counts: readonly number[], maxes: readonly number[]) => counts.every((count, i) => count <= (maxes[i] ?? 0));

describe('rate-limit counters leased from the primary (ROSTER_WORKERS > 1, no Redis)', () => {
  it('two workers together admit exactly the limit, however the requests are spread', async () => {
    const budget = primary();
    const workers = [leasedCounters(budget), leasedCounters(budget)];
    const counters = [{ key: 'key:k1', max: 25 }];
    const results = await Promise.all(Array.from({ length: 80 }, (_, i) => workers[i % 3 === 0 ? 0 : 1]?.increment(counters, 7, 60_000)));
    assert.equal(results.filter((counts) => counts && admitted(counts, [25])).length, 25);
  });

  it('asks the primary once per hundredth of the limit, not once per request', async () => {
    const budget = primary();
    const worker = leasedCounters(budget);
    const counters = [{ key: 'key:k1', max: 6000 }];
    for (let i = 0; i < 600; i += 1) assert.ok(admitted(await worker.increment(counters, 1, 60_000), [6000]));
    assert.equal(budget.messages, 10);
  });

  it('refuses past the limit with a count of max + 1 first (the refusal that is logged), then higher', async () => {
    const worker = leasedCounters(primary());
    const counters = [{ key: 'key:k1', max: 2 }];
    const counts = [];
    for (let i = 0; i < 5; i += 1) counts.push((await worker.increment(counters, 1, 60_000))[0]);
    assert.deepEqual(counts, [1, 2, 3, 4, 5]);
  });

  it('a request refused by one counter does not use the allowance of the other', async () => {
    const worker = leasedCounters(primary());
    const key = { key: 'key:k1', max: 1 };
    const account = { key: 'account:a1', max: 3 };
    assert.deepEqual(await worker.increment([key, account], 1, 60_000), [1, 1]);
    assert.deepEqual(await worker.increment([key, account], 1, 60_000), [2, 1], 'the key is refused, the account not charged');
    const otherKey = { key: 'key:k2', max: 5 };
    assert.deepEqual(await worker.increment([otherKey, account], 1, 60_000), [1, 2]);
  });

  it('a new window starts with a new budget', async () => {
    const worker = leasedCounters(primary());
    const counters = [{ key: 'key:k1', max: 1 }];
    assert.ok(admitted(await worker.increment(counters, 1, 60_000), [1]));
    assert.ok(!admitted(await worker.increment(counters, 1, 60_000), [1]));
    assert.ok(admitted(await worker.increment(counters, 2, 60_000), [1]));
  });
});
