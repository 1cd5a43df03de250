// `npm run bench`: the speed of Roster at 100,000 members (issue 6). Starts a bare Fastify
// baseline and Roster as separate processes on loopback, seeds a temporary database, drives
// each scenario with autocannon and prints a table, the targets and a JSON file under
// bench/results/. See bench/README.md.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transpileServers } from './build-server.js';
import { createScratchPostgres, createScratchSqlite, type ScratchDatabase } from '../scripts/scratch-database.js';
import { runScenario, warmUp, type LoadSettings, type LoadStats, type PairedBaseline, type Scenario } from './load.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { freePort, startServer, type ServerProcess } from './processes.js';
import { baselineMean, formatTable, formatTargets, latestSqliteReport, machineInfo, writeReport, type BenchReport } from './report.js';
import { baselineScenario, readScenarios, writeScenarios } from './scenarios.js';
import { seedDirectory, type SeededDirectory } from './seed.js';
import { userBody } from './seed-rows.js';
import { checkTargets } from './targets.js';
import { importWalk, type WalkStats } from './walk.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'bench', 'results');
const log = (line: string): void => void process.stdout.write(`${line}\n`);

type ServerEntries = ReturnType<typeof transpileServers>;

function settingsFor(options: BenchOptions, headers: Record<string, string>): LoadSettings {
  return { connections: options.connections, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds, headers };
}

const wanted = (options: BenchOptions, name: string): boolean => options.only.length === 0 || options.only.includes(name);

/** The baseline's fixed body: what GET /Users/{id} returns for a seeded user. */
function baselineBody(): string {
  const { active: _active, ...body } = userBody(42);
  return JSON.stringify({ ...body, id: '2819c223-7f76-453a-919d-413861904646', active: true, groups: [], meta: { resourceType: 'User', created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', location: 'http://127.0.0.1/scim/v2/Users/2819c223-7f76-453a-919d-413861904646', version: 'W/"1"' } });
}

async function startBaseline(entries: ServerEntries): Promise<ServerProcess> {
  const port = await freePort();
  return startServer('baseline', [entries.baseline], { PORT: String(port), BASELINE_BODY: baselineBody() }, port, '/healthz', ROOT);
}

const BASELINE_HEADERS = { accept: 'application/scim+json' };

async function measureBaseline(options: BenchOptions, baseline: ServerProcess): Promise<LoadStats> {
  log('baseline: bare Fastify, fixed SCIM user …');
  return runScenario(baseline, baselineScenario(), settingsFor(options, BASELINE_HEADERS));
}

/**
 * The baseline in slices between a scenario's (load.ts PairedBaseline): 5 rounds of 1 s of the
 * baseline and 2 s of the scenario in the full run, 3 of 1 s and 1 s in the quick one.
 */
function pairedBaseline(options: BenchOptions, baseline: ServerProcess): PairedBaseline {
  const settings = { ...settingsFor(options, BASELINE_HEADERS), warmupSeconds: 0 };
  const scenario = baselineScenario();
  return {
    rounds: options.durationSeconds >= 5 ? 5 : 3,
    secondsPerSlice: 1,
    measure: async (seconds) => (await runScenario(baseline, scenario, { ...settings, durationSeconds: seconds })).requestsPerSecond,
  };
}

/** How often the benchmark samples Roster's PSS (ServerProcess.proportionalMb). */
const PSS_SAMPLE_MS = 250;

async function startRoster(target: ScratchDatabase, options: BenchOptions, entries: ServerEntries): Promise<ServerProcess> {
  const port = await freePort();
  const profileDir = join(RESULTS, 'profiles');
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  const args = [...(options.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), entries.rosterCli, 'serve'];
  const env = { ROSTER_DB: target.url, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn',
    // The limiter stays on (its cost is part of every request) with limits no run can reach:
    // the defaults (6,000 per key per minute) would turn the bench into a 429 benchmark.
    ROSTER_RATE_LIMIT_PER_KEY: '100000000',
    ROSTER_RATE_LIMIT_PER_ACCOUNT: '100000000',
    // Empty is unset: Roster's own default, whatever the shell running the benchmark exports.
    ROSTER_WORKERS: options.workers ?? '',
  };
  return startServer('Roster', args, env, port, '/readyz', ROOT);
}

async function measureRoster(roster: ServerProcess, baseline: ServerProcess | undefined, directory: SeededDirectory, options: BenchOptions): Promise<{ scenarios: LoadStats[]; walk: WalkStats | undefined }> {
  const headers = { authorization: `Bearer ${directory.apiKey}`, 'content-type': 'application/scim+json', accept: 'application/scim+json', 'user-agent': 'roster-bench' };
  const settings = settingsFor(options, headers);
  const scenarios: LoadStats[] = [];
  const run = async (list: readonly Scenario[]) => {
    for (const scenario of list.filter((s) => wanted(options, s.name))) {
      if (!roster.alive()) throw new Error(`Roster exited:\n${roster.stderrTail()}`);
      log(`${scenario.name}: ${scenario.label} …`);
      const measured = await runScenario(roster, scenario, settings, baseline && pairedBaseline(options, baseline));
      const rss = roster.memory()?.currentMb;
      const stats = rss === undefined ? measured : { ...measured, rssAfterMb: rss };
      const paired = stats.pairedBaselineRps === undefined ? '' : ` (baseline beside it ${stats.pairedBaselineRps.toFixed(0)} req/s, ratio ${stats.baselineRatio?.toFixed(3) ?? '—'})`;
      log(`  ${stats.requestsPerSecond.toFixed(0)} req/s${paired}, p50 ${stats.p50Ms.toFixed(2)} ms, p99 ${stats.p99Ms.toFixed(2)} ms, non-2xx ${stats.non2xx}, RSS ${rss?.toFixed(0) ?? '?'} MB`);
      if (stats.firstFailure) log(`  ! ${stats.firstFailure}`);
      scenarios.push(stats);
    }
  };
  const reads = readScenarios(directory);
  const warming = reads.filter((s) => wanted(options, s.name));
  if (warming.length > 0) {
    log(`warm-up: ${options.serverWarmupSeconds} s of ${warming.map((s) => s.name).join(', ')} …`);
    await warmUp(roster, warming, settings, options.serverWarmupSeconds);
  }
  await run(reads);
  let walk: WalkStats | undefined;
  if (wanted(options, 'import-walk')) {
    log(`import-walk: all ${directory.memberIds.length} users, count=100 …`);
    walk = await importWalk(roster.origin, headers);
    log(`  ${walk.seconds.toFixed(2)} s`);
  }
  await run(writeScenarios(directory));
  return { scenarios, walk };
}

interface RunResult {
  readonly baseline: LoadStats | undefined;
  readonly baselineAfter: LoadStats | undefined;
  readonly directory: SeededDirectory;
  readonly scenarios: LoadStats[];
  readonly walk: WalkStats | undefined;
  readonly peakRssMb: number | undefined;
  readonly rosterProcesses: number | undefined;
  readonly peakPssMb: number | undefined;
  readonly idleRssMb: number | undefined;
}

/**
 * Baseline, seed, Roster's scenarios (each in rounds after slices of the baseline), baseline
 * again. The baseline server stays up, idle while Roster is measured (and Roster idle while
 * the baseline is); both are stopped on every path.
 */
async function runAll(options: BenchOptions, target: ScratchDatabase): Promise<RunResult> {
  const entries = transpileServers(ROOT, join(ROOT, '.tmp', 'bench-servers'));
  const baselineServer = wanted(options, 'baseline') ? await startBaseline(entries) : undefined;
  try {
    const baseline = baselineServer ? await measureBaseline(options, baselineServer) : undefined;
    log(`seeding ${options.members} members and ${options.teams} teams …`);
    const directory = await seedDirectory({ databaseUrl: target.url, members: options.members, teams: options.teams, bigTeamSize: options.bigTeamSize }, log);
    log(`  ${directory.seconds.toFixed(1)} s, ${directory.membersPerSecond.toFixed(0)} members/s`);
    const roster = await startRoster(target, options, entries);
    let measured: Awaited<ReturnType<typeof measureRoster>>;
    let peakRssMb: number | undefined;
    let rosterProcesses: number | undefined;
    const idleRssMb = roster.memory()?.currentMb;
    log(`Roster started (pid ${roster.pid}), RSS ${idleRssMb?.toFixed(0) ?? '?'} MB`);
    let peakPssMb: number | undefined;
    const sampler = setInterval(() => {
      const pss = roster.proportionalMb();
      if (pss !== undefined) peakPssMb = Math.max(peakPssMb ?? 0, pss);
    }, PSS_SAMPLE_MS);
    try {
      measured = await measureRoster(roster, baselineServer, directory, options);
      const peak = roster.memory();
      peakRssMb = peak?.peakMb;
      rosterProcesses = peak?.processes;
    } catch (error) {
      if (!roster.alive()) log(`Roster's stderr:\n${roster.stderrTail()}`);
      throw error;
    } finally {
      clearInterval(sampler);
      await roster.stop();
    }
    const baselineAfter = baselineServer ? await measureBaseline(options, baselineServer) : undefined;
    return { baseline, baselineAfter, directory, ...measured, peakRssMb, idleRssMb, rosterProcesses, peakPssMb };
  } finally {
    await baselineServer?.stop();
  }
}

function assembleReport(options: BenchOptions, target: ScratchDatabase, run: RunResult, startedAt: string, loadBefore: number): BenchReport {
  const { directory } = run;
  const report: BenchReport = {
    startedAt,
    machine: machineInfo(),
    database: target.dialect,
    size: options.quick ? 'quick' : 'full',
    settings: { connections: options.connections, warmupSeconds: options.warmupSeconds, serverWarmupSeconds: options.serverWarmupSeconds, durationSeconds: options.durationSeconds },
    seed: { members: options.members, teams: options.teams, bigTeam: options.bigTeamSize, memberships: directory.memberships, seconds: directory.seconds, membersPerSecond: directory.membersPerSecond },
    baseline: run.baseline,
    baselineAfter: run.baselineAfter,
    baselineRequestsPerSecond: baselineMean([run.baseline, run.baselineAfter]),
    loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
    scenarios: run.scenarios,
    walk: run.walk,
    peakRssMb: run.peakRssMb,
    idleRssMb: run.idleRssMb,
    workers: { setting: options.workers, processes: run.rosterProcesses },
    peakPssMb: run.peakPssMb,
    targets: [],
  };
  report.targets = checkTargets(report, target.dialect === 'postgres' ? latestSqliteReport(RESULTS, report.size) : undefined);
  return report;
}

function brokenScenarios(report: BenchReport): string[] {
  const all = [report.baseline, report.baselineAfter, ...report.scenarios].flatMap((stats) => (stats ? [stats] : []));
  const broken = all.filter((stats) => stats.non2xx > 0 || stats.errors > 0 || stats.timeouts > 0 || stats.requests === 0 || stats.firstFailure !== undefined).map((stats) => stats.name);
  if (report.walk && (report.walk.failures > 0 || report.walk.users !== report.walk.totalResults)) broken.push('import-walk');
  return broken;
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options === 'help') return log(USAGE);
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg()[0] ?? 0;
  const target = options.postgresUrl ? await createScratchPostgres(options.postgresUrl, 'roster_bench') : createScratchSqlite('roster-bench');
  log(`Roster benchmark: ${options.members} members on ${target.dialect} (${target.label}), ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per scenario`);
  try {
    const report = assembleReport(options, target, await runAll(options, target), startedAt, loadBefore);
    const path = options.only.length === 0 ? writeReport(RESULTS, report) : undefined;
    log(`\n${formatTable(report)}\n\nTargets (issue 6${target.dialect === 'postgres' ? '; the absolute ones are set for SQLite' : ''}):\n${formatTargets(report.targets)}`);
    log(path ? `\nResults: ${path}` : '\n(--only: results not written)');
    // Slowness never fails a run (timing belongs here, not in CI); a broken scenario does.
    const broken = brokenScenarios(report);
    if (broken.length > 0) {
      process.stderr.write(`bench: these scenarios had errors or non-2xx answers, so their figures are not valid: ${broken.join(', ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    if (options.keepDatabase) log(`Database kept: ${target.label}`);
    else await target.drop();
  }
}

main().catch((error: unknown) => {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
  process.exit(1);
});
