import type { LoadStats } from './load.js';
import { baselineRatio, type BenchReport, type TargetResult } from './report.js';

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** The targets of issue 6, checked against one run (SQLite targets on SQLite; PostgreSQL vs SQLite). */
export function checkTargets(report: BenchReport, sqlite: BenchReport | undefined): TargetResult[] {
  const find = (name: string): LoadStats | undefined => report.scenarios.find((s) => s.name === name);
  const results: TargetResult[] = [];
  const share = (name: string, minimum: number) => {
    const stats = find(name);
    if (!stats) return;
    const clean = stats.non2xx === 0 && stats.errors === 0;
    const value = baselineRatio(stats, report);
    results.push({
      target: `${stats.label} ≥ ${pct(minimum)} of baseline`,
      measured: value === undefined ? 'no baseline' : `${pct(value)} (${stats.requestsPerSecond.toFixed(0)} req/s)${clean ? '' : ', with failures'}`,
      pass: value === undefined ? undefined : value >= minimum && clean,
    });
  };
  share('get-user', 0.35);
  share('filter-username', 0.3);
  share('filter-email', 0.3);
  const page = find('page-100');
  if (page) results.push({ target: 'page of 100 at a random startIndex: p50 ≤ 15 ms', measured: `${page.p50Ms.toFixed(2)} ms`, pass: page.p50Ms <= 15 && page.non2xx === 0 });
  if (report.walk) {
    // 20 s is the target for 100,000 users; smaller runs scale it linearly.
    const limit = (20 * report.seed.members) / 100_000;
    const w = report.walk;
    results.push({ target: `import walk of ${w.totalResults} users ≤ ${limit.toFixed(1)} s`, measured: `${w.seconds.toFixed(2)} s`, pass: w.seconds <= limit && w.failures === 0 && w.users === w.totalResults });
  }
  share('post-user', 0.05);
  share('patch-user', 0.05);
  const big = find('member-patch-big');
  const small = find('member-patch-small');
  if (big) results.push({ target: `${big.label}: p50 ≤ 3 ms`, measured: `${big.p50Ms.toFixed(2)} ms`, pass: big.p50Ms <= 3 && big.non2xx === 0 });
  if (big && small) {
    const slower = big.p50Ms / small.p50Ms;
    // The two run a minute apart: their shares of the paired baseline show whether the machine moved in between.
    const shares = big.baselineRatio && small.baselineRatio ? `; share of the baseline ${(small.baselineRatio / big.baselineRatio).toFixed(2)}×` : '';
    results.push({ target: 'membership PATCH, big team p50 within 1.3× of 10-member team', measured: `${slower.toFixed(2)}× (${big.p50Ms.toFixed(2)} vs ${small.p50Ms.toFixed(2)} ms; req/s ${(small.requestsPerSecond / big.requestsPerSecond).toFixed(2)}×${shares})`, pass: slower <= 1.3 });
  }
  share('group-get-big', 0.3);
  share('group-get-small', 0.3);
  results.push(memoryTarget(report));
  if (report.database === 'postgres') results.push(...versusSqlite(report, sqlite));
  return results;
}

/**
 * On PostgreSQL every throughput figure must be at least half of SQLite's (same size). The two
 * runs happen minutes apart, on a machine whose speed drifts, so when both have paired baselines
 * the comparison is of their ratios to the baseline; the raw req/s are printed beside it.
 */
function versusSqlite(report: BenchReport, sqlite: BenchReport | undefined): TargetResult[] {
  if (!sqlite) return [{ target: 'PostgreSQL throughput ≥ 50% of SQLite', measured: `no SQLite ${report.size} result in bench/results/ to compare`, pass: undefined }];
  return report.scenarios.flatMap((stats) => {
    const other = sqlite.scenarios.find((s) => s.name === stats.name);
    if (!other || other.requestsPerSecond === 0) return [];
    const normalised = stats.baselineRatio !== undefined && other.baselineRatio !== undefined && other.baselineRatio > 0;
    const value = normalised ? (stats.baselineRatio ?? 0) / (other.baselineRatio ?? 1) : stats.requestsPerSecond / other.requestsPerSecond;
    const how = normalised ? `of SQLite's share of the baseline; ${stats.requestsPerSecond.toFixed(0)} vs ${other.requestsPerSecond.toFixed(0)} req/s` : `${stats.requestsPerSecond.toFixed(0)} vs ${other.requestsPerSecond.toFixed(0)} req/s`;
    return [{ target: `PostgreSQL ${stats.label} ≥ 50% of SQLite`, measured: `${pct(value)} (${how})`, pass: value >= 0.5 }];
  });
}

/**
 * Peak RSS ≤ 250 MB. One process: its VmHWM, the kernel's exact peak. Several (ROSTER_WORKERS):
 * the sum of their VmHWM counts every page they share (Node.js's code, about 40 MB) once per
 * process, and adds peaks reached at different moments, so the memory they hold together is
 * judged by the largest sample of their summed PSS, with the sum of peaks printed beside it.
 */
function memoryTarget(report: BenchReport): TargetResult {
  const target = `peak RSS ≤ 250 MB (${report.seed.members} members)`;
  const processes = report.workers.processes ?? 1;
  if (processes <= 1 || report.peakPssMb === undefined) {
    return { target, measured: report.peakRssMb === undefined ? 'not measured' : `${report.peakRssMb.toFixed(1)} MB`, pass: report.peakRssMb === undefined ? undefined : report.peakRssMb <= 250 };
  }
  const sumOfPeaks = report.peakRssMb === undefined ? '' : `; the sum of their VmHWM ${report.peakRssMb.toFixed(1)} MB`;
  return { target, measured: `${report.peakPssMb.toFixed(1)} MB PSS of ${processes} processes, sampled every 250 ms${sumOfPeaks}`, pass: report.peakPssMb <= 250 };
}
