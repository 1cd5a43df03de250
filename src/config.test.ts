import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('ROSTER_WORKERS', () => {
  it('is 1 unless set, a number when given one, and one per CPU core with auto', () => {
    assert.equal(loadConfig({}).workers, 1);
    assert.equal(loadConfig({ ROSTER_WORKERS: '3' }).workers, 3);
    assert.equal(loadConfig({ ROSTER_WORKERS: 'auto' }).workers, availableParallelism());
  });

  it('refuses what is not a worker count, naming the variable', () => {
    for (const value of ['0', '-1', '2.5', 'many', '65']) assert.throws(() => loadConfig({ ROSTER_WORKERS: value }), (error: Error) => error instanceof ConfigError && error.message.includes('ROSTER_WORKERS'));
  });

  it('refuses several workers on an in-memory database, which they could not share', () => {
    assert.throws(() => loadConfig({ ROSTER_WORKERS: '2', ROSTER_DB: ':memory:' }), /ROSTER_WORKERS above 1 needs a database the workers can share/);
    assert.equal(loadConfig({ ROSTER_WORKERS: '1', ROSTER_DB: ':memory:' }).workers, 1);
  });
});
