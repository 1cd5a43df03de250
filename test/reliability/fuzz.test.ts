import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DIALECTS, PG_ADMIN_URL } from '../helpers/databases.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm run fuzz -- --short` as part of `npm test`: 1,500 random and mutated IdP requests per
 * database, with a fixed seed so a failure is reproducible (`npm run fuzz -- --seed 4242`).
 */
describe('reliability: the fuzz script (short mode)', () => {
  for (const dialect of DIALECTS) {
    it(`sends 1,500 requests with no 5xx, a healthy server and a consistent database [${dialect}]`, (t) => {
      const args = ['--import', 'tsx', 'scripts/fuzz.ts', '--short', '--seed', '4242', '--json', '--db', dialect === 'sqlite' ? 'sqlite' : PG_ADMIN_URL];
      const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
      const lines = run.stdout.trim().split('\n');
      const summary = JSON.parse(lines.at(-1) ?? '{}') as { passed: boolean; requests: number; serverErrors: number; health: { checks: number; ok: number }; consistency: { problems: string[] } };
      t.diagnostic(lines.at(-2) ?? '');
      assert.equal(run.status, 0, `${run.stderr}\n${lines.at(-2) ?? ''}`);
      assert.equal(summary.passed, true);
      assert.equal(summary.requests, 1500);
      assert.equal(summary.serverErrors, 0);
      assert.equal(summary.health.ok, summary.health.checks);
      assert.deepEqual(summary.consistency.problems, []);
    });
  }
});
