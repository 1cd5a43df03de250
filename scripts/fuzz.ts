/**
 * `npm run fuzz`: random and mutated SCIM requests, built from what Okta, Entra ID, OneLogin
 * and JumpCloud really send, against a fresh Roster on 127.0.0.1. Bounded in count and time;
 * exits 1 on any 5xx, malformed error body, failed health check or database inconsistency.
 *
 *   npm run fuzz                                    12,000 requests (at most 300 s) on SQLite
 *   npm run fuzz -- --db postgres://postgres@127.0.0.1:5432/postgres
 *   npm run fuzz -- --short                          1,500 requests (at most 60 s), for npm test
 *   npm run fuzz -- --requests 50000 --seconds 600 --seed 7 --concurrency 16 --json
 */
import { parseArgs } from 'node:util';
import { createScratchPostgres, createScratchSqlite } from './scratch-database.js';
import { fuzzPassed, runFuzz, type FuzzSummary } from './fuzz/run-fuzz.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    requests: { type: 'string' },
    seconds: { type: 'string' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    short: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

function bounded(raw: string | undefined, fallback: number, max: number, name: string): number {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  return value;
}

function summaryLine(summary: FuzzSummary, dialect: string, seed: number): string {
  const statuses = Object.entries(summary.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  const { consistency } = summary;
  const database = consistency.problems.length === 0 ? `consistent (${consistency.members} members, ${consistency.teams} teams, ${consistency.memberships} memberships)` : `${consistency.problems.length} INCONSISTENCIES`;
  return [
    `fuzz ${fuzzPassed(summary) ? 'passed' : 'FAILED'}: ${summary.requests} requests (${summary.mutated} mutated) in ${summary.seconds.toFixed(1)} s on ${dialect}, seed ${seed}`,
    `statuses ${statuses}`,
    `5xx ${summary.serverErrors}`,
    `/healthz ${summary.health.ok}/${summary.health.checks}`,
    `database ${database}, integrity ${summary.integrity}`,
    `event loop max ${summary.eventLoopMaxMs.toFixed(0)} ms`,
  ].join('; ');
}

const seed = bounded(values.seed, Math.floor(Math.random() * 1_000_000) + 1, 2 ** 31 - 1, 'seed');
const options = {
  requests: bounded(values.requests, values.short ? 1_500 : 12_000, 1_000_000, 'requests'),
  seconds: bounded(values.seconds, values.short ? 60 : 300, 3_600, 'seconds'),
  concurrency: bounded(values.concurrency, 8, 64, 'concurrency'),
  seed,
};
const database = values.db === 'sqlite' ? createScratchSqlite('roster-fuzz') : await createScratchPostgres(values.db, 'roster_fuzz');
let summary: FuzzSummary;
try {
  summary = await runFuzz({ ...options, databaseUrl: database.url });
} finally {
  await database.drop();
}
for (const failure of summary.failures) process.stderr.write(`  ${failure.problem}: ${failure.label} ${failure.method} ${failure.path} → ${failure.status}\n    ${failure.body}\n`);
for (const problem of summary.consistency.problems.slice(0, 20)) process.stderr.write(`  database: ${problem}\n`);
process.stdout.write(`${summaryLine(summary, database.dialect, seed)}\n`);
if (values.json) process.stdout.write(`${JSON.stringify({ ...summary, dialect: database.dialect, seed, passed: fuzzPassed(summary) })}\n`);
process.exit(fuzzPassed(summary) ? 0 : 1);
