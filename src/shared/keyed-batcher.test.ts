import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedBatcher } from './keyed-batcher.js';

/** A write whose batches are recorded and held until `release` is called. */
function heldWrites() {
  const batches: { key: string; items: readonly string[] }[] = [];
  const releases: (() => void)[] = [];
  const write = (key: string, items: readonly string[]) => {
    batches.push({ key, items });
    return new Promise<string[]>((resolve, reject) => {
      releases.push(() => (items.includes('fail') ? reject(new Error(`batch ${items.join(',')} failed`)) : resolve(items.map((item) => `${key}:${item}`))));
    });
  };
  const release = async () => {
    const next = releases.shift();
    assert.ok(next, 'a batch is in flight');
    next();
    // Let the batcher settle the batch and start the next one.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, write, release };
}

describe('KeyedBatcher', () => {
  it('writes a lone item at once, by itself', async () => {
    const { batches, write, release } = heldWrites();
    const batcher = new KeyedBatcher(write, 10);
    const result = batcher.submit('team', 'a');
    assert.deepEqual(batches, [{ key: 'team', items: ['a'] }]);
    await release();
    assert.equal(await result, 'team:a');
  });

  it('writes what arrives for a key while a batch is in flight as the next batch, in arrival order, each item getting its own result', async () => {
    const { batches, write, release } = heldWrites();
    const batcher = new KeyedBatcher(write, 10);
    const results = ['a', 'b', 'c', 'd'].map((item) => batcher.submit('team', item));
    assert.deepEqual(batches, [{ key: 'team', items: ['a'] }]);
    await release();
    assert.deepEqual(batches.at(-1), { key: 'team', items: ['b', 'c', 'd'] });
    await release();
    assert.deepEqual(await Promise.all(results), ['team:a', 'team:b', 'team:c', 'team:d']);
    assert.equal(batches.length, 2);
  });

  it('cuts batches at the maximum size', async () => {
    const { batches, write, release } = heldWrites();
    const batcher = new KeyedBatcher(write, 2);
    const results = ['a', 'b', 'c', 'd', 'e'].map((item) => batcher.submit('team', item));
    for (let i = 0; i < 3; i += 1) await release();
    assert.deepEqual(await Promise.all(results), ['team:a', 'team:b', 'team:c', 'team:d', 'team:e']);
    assert.deepEqual(batches.map((batch) => batch.items), [['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('does not hold one key up for another', async () => {
    const { batches, write } = heldWrites();
    const batcher = new KeyedBatcher(write, 10);
    void batcher.submit('one', 'a');
    void batcher.submit('two', 'b');
    assert.deepEqual(batches, [{ key: 'one', items: ['a'] }, { key: 'two', items: ['b'] }]);
  });

  it('rejects every item of a failed batch, and only those; the key goes on with the next batch', async () => {
    const { batches, write, release } = heldWrites();
    const batcher = new KeyedBatcher(write, 10);
    const first = batcher.submit('team', 'a');
    const failing = [batcher.submit('team', 'b'), batcher.submit('team', 'fail')].map((result) => assert.rejects(result, /batch b,fail failed/));
    await release();
    const later = batcher.submit('team', 'c');
    await release();
    await release();
    assert.equal(await first, 'team:a');
    await Promise.all(failing);
    assert.equal(await later, 'team:c');
    assert.deepEqual(batches.map((batch) => batch.items), [['a'], ['b', 'fail'], ['c']]);
  });
});
