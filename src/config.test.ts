import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('ROSTER_WORKERS', () => {
  it('is one per usable core unless set, at most four; a number when given one; every usable core with auto', () => {
    assert.equal(loadConfig({}, 1).workers, 1);
    assert.equal(loadConfig({}, 2).workers, 2);
    assert.equal(loadConfig({ ROSTER_WORKERS: '' }, 2).workers, 2);
    assert.equal(loadConfig({}, 16).workers, 4);
    assert.equal(loadConfig({ ROSTER_WORKERS: '1' }, 16).workers, 1);
    assert.equal(loadConfig({ ROSTER_WORKERS: '3' }, 2).workers, 3);
    assert.equal(loadConfig({ ROSTER_WORKERS: 'auto' }, 16).workers, 16);
    assert.equal(loadConfig({ ROSTER_WORKERS: ' Auto ' }, 2).workers, 2);
  });

  it('refuses what is not a worker count, naming the variable', () => {
    for (const value of ['0', '-1', '2.5', 'many', '65']) assert.throws(() => loadConfig({ ROSTER_WORKERS: value }), (error: Error) => error instanceof ConfigError && error.message.includes('ROSTER_WORKERS'));
  });

  it('refuses several workers on an in-memory database, which they could not share', () => {
    assert.throws(() => loadConfig({ ROSTER_WORKERS: '2', ROSTER_DB: ':memory:' }), /ROSTER_WORKERS above 1 needs a database the workers can share/);
    assert.equal(loadConfig({ ROSTER_WORKERS: '1', ROSTER_DB: ':memory:' }).workers, 1);
    assert.equal(loadConfig({ ROSTER_DB: ':memory:' }, 8).workers, 1, 'the default is one process on an in-memory database');
  });
});
