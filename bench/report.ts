import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { LoadStats } from './load.js';
import type { WalkStats } from './walk.js';

/** Everything one run measured; also the shape of the JSON file. */
export interface BenchReport {
  readonly startedAt: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly cpuModel: string; readonly memoryGb: number };
  readonly database: 'sqlite' | 'postgres';
  readonly size: 'full' | 'quick';
  readonly settings: { readonly connections: number; readonly warmupSeconds: number; readonly serverWarmupSeconds: number; readonly durationSeconds: number };
  readonly seed: { readonly members: number; readonly teams: number; readonly bigTeam: number; readonly memberships: number; readonly seconds: number; readonly membersPerSecond: number };
  /** The baseline, measured before Roster's scenarios and again after them. */
  readonly baseline: LoadStats | undefined;
  readonly baselineAfter: LoadStats | undefined;
  /** The mean of both baseline runs: the denominator of a ratio when no paired baseline was taken. */
  readonly baselineRequestsPerSecond: number | undefined;
  /** 1-minute load average before and after the run: other work on the machine skews every figure. */
  readonly loadAverage: { readonly before: number; readonly after: number };
  readonly scenarios: readonly LoadStats[];
  readonly walk: WalkStats | undefined;
  readonly peakRssMb: number | undefined;
  /** The largest sample of PSS summed over Roster's processes (every 250 ms during the scenarios and the walk). */
  readonly peakPssMb: number | undefined;
  /** ROSTER_WORKERS as given (undefined: unset, Roster's default), and how many processes Roster ran (the primary and its workers, or one). */
  readonly workers: { readonly setting: string | undefined; readonly processes: number | undefined };
  /** Right after start on the seeded database, before any request. */
  readonly idleRssMb: number | undefined;
  targets: TargetResult[];
}

export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | undefined;
}

export function machineInfo(): BenchReport['machine'] {
  const list = cpus();
  return { node: process.version, cpus: list.length, cpuModel: list[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30) };
}

const fixed = (value: number | undefined, digits: number): string => (value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));

/** The mean throughput of the baseline runs that happened. */
export function baselineMean(runs: readonly (LoadStats | undefined)[]): number | undefined {
  const values = runs.flatMap((run) => (run ? [run.requestsPerSecond] : []));
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * A scenario's throughput as a share of the baseline's: the median ratio over the rounds of its
 * paired baseline when there is one (load.ts PairedBaseline), else against the mean of the long
 * baseline runs before and after.
 */
export function baselineRatio(stats: LoadStats, report: Pick<BenchReport, 'baselineRequestsPerSecond'>): number | undefined {
  if (stats.baselineRatio !== undefined) return stats.baselineRatio;
  const baseline = report.baselineRequestsPerSecond;
  return baseline && baseline > 0 ? stats.requestsPerSecond / baseline : undefined;
}

/** The printed table of one run. */
export function formatTable(report: BenchReport): string {
  const header = ['scenario', 'req/s', 'base req/s', '× base', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'load CPU µs/req', 'requests', 'errors', 'non-2xx'];
  const rows = [report.baseline, report.baselineAfter, ...report.scenarios].flatMap((stats, index) =>
    stats
      ? [[index === 1 ? `${stats.label} (again, after)` : stats.label, fixed(stats.requestsPerSecond, 0), index < 2 ? '' : fixed(stats.pairedBaselineRps ?? report.baselineRequestsPerSecond, 0), index < 2 ? '' : fixed(baselineRatio(stats, report), 3), fixed(stats.p50Ms, 2), fixed(stats.p99Ms, 2), fixed(stats.serverCpuMicros, 0), fixed(stats.loadCpuMicros, 0), String(stats.requests), String(stats.errors + stats.timeouts), String(stats.non2xx)]]
      : [],
  );
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const s = report.seed;
  out.push('');
  out.push(`seed: ${s.members} members, ${s.teams} teams (big ${s.bigTeam}), ${s.memberships} memberships in ${s.seconds.toFixed(1)} s — ${s.membersPerSecond.toFixed(0)} members/s`);
  if (report.walk) {
    const w = report.walk;
    out.push(`import walk: ${w.users} of ${w.totalResults} users in ${w.pages} pages of 100: ${w.seconds.toFixed(2)} s (page p50 ${fixed(w.pageP50Ms, 2)} ms, p99 ${fixed(w.pageP99Ms, 2)} ms, ${w.failures} failures)`);
  }
  out.push(`load average (1 min) before/after: ${report.loadAverage.before.toFixed(2)} / ${report.loadAverage.after.toFixed(2)} on ${report.machine.cpus} CPUs (${report.machine.cpuModel})`);
  const processes = report.workers.processes ?? 1;
  const setting = report.workers.setting === undefined ? 'ROSTER_WORKERS unset' : `ROSTER_WORKERS=${report.workers.setting}`;
  const summed = processes > 1 ? `, the sum over its ${processes} processes (${setting})` : '';
  out.push(`Roster RSS: peak (VmHWM) ${fixed(report.peakRssMb, 1)} MB, at start ${fixed(report.idleRssMb, 1)} MB${summed}; PSS peak (sampled) ${fixed(report.peakPssMb, 1)} MB`);
  for (const stats of report.scenarios) if (stats.firstFailure) out.push(`! ${stats.name}: ${stats.firstFailure}`);
  return out.join('\n');
}

export function formatTargets(targets: readonly TargetResult[]): string {
  return targets.map((t) => `${t.pass === undefined ? 'n/a ' : t.pass ? 'PASS' : 'FAIL'}  ${t.target.padEnd(58)} ${t.measured}`).join('\n');
}

/** Writes the report as JSON under bench/results/ and returns the path. */
export function writeReport(dir: string, report: BenchReport): string {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const path = join(dir, `${stamp}-${report.database}-${report.size}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(path, json);
  writeFileSync(join(dir, `latest-${report.database}-${report.size}.json`), json);
  return path;
}

/** The latest SQLite report of the same size, for the PostgreSQL "at least half" target. */
export function latestSqliteReport(dir: string, size: 'full' | 'quick'): BenchReport | undefined {
  const path = join(dir, `latest-sqlite-${size}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BenchReport) : undefined;
}
