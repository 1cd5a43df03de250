import { performance } from 'node:perf_hooks';
import { quantile } from './load.js';

export interface WalkStats {
  readonly seconds: number;
  readonly pages: number;
  readonly users: number;
  readonly totalResults: number;
  readonly pageP50Ms: number;
  readonly pageP99Ms: number;
  readonly failures: number;
}

interface ListBody {
  readonly totalResults?: number;
  readonly Resources?: readonly { id?: string }[];
}

/**
 * Okta's full import: GET /Users?startIndex=1&count=100, then 101, … one page at a time on
 * one connection, until totalResults is covered (okta.md: imports page with count=100).
 */
export async function importWalk(origin: string, headers: Record<string, string>, pageSize = 100): Promise<WalkStats> {
  const started = performance.now();
  const latencies: number[] = [];
  const seen = new Set<string>();
  let totalResults = Number.POSITIVE_INFINITY;
  let failures = 0;
  for (let startIndex = 1; startIndex <= totalResults; startIndex += pageSize) {
    const t0 = performance.now();
    const response = await fetch(`${origin}/scim/v2/Users?startIndex=${startIndex}&count=${pageSize}`, { headers });
    const body = (await response.json()) as ListBody;
    latencies.push(performance.now() - t0);
    if (!response.ok || body.totalResults === undefined) {
      failures += 1;
      if (failures > 3) break;
      continue;
    }
    totalResults = body.totalResults;
    for (const user of body.Resources ?? []) if (user.id) seen.add(user.id);
    if ((body.Resources ?? []).length === 0) break;
  }
  const sorted = Float64Array.from(latencies).sort();
  return {
    seconds: (performance.now() - started) / 1000,
    pages: latencies.length,
    users: seen.size,
    totalResults: Number.isFinite(totalResults) ? totalResults : 0,
    pageP50Ms: quantile(sorted, 0.5),
    pageP99Ms: quantile(sorted, 0.99),
    failures,
  };
}
