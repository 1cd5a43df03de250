import autocannon, { type RequestParams } from 'autocannon';

/** One request of a scenario, built fresh for every send. */
export interface Step {
  (context: Record<string, unknown>): { method: string; path: string; body?: string };
}

/**
 * A load scenario: its steps are sent in order on each connection, round and round; a step
 * may leave state in the per-connection `context` for the next (add, then remove the same
 * member). `context` is reset when the steps start over.
 */
export interface Scenario {
  readonly name: string;
  readonly label: string;
  readonly steps: readonly Step[];
}

export interface LoadSettings {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  readonly headers: Record<string, string>;
}

export interface LoadStats {
  readonly name: string;
  readonly label: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly requests: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodes: Record<string, number>;
  /** Roster's resident set after the scenario (MB), to see which scenario grows it. */
  readonly rssAfterMb?: number;
  /** Status and body excerpt of the first response that was not 2xx, for diagnosis. */
  readonly firstFailure?: string;
  /** With a paired baseline (PairedBaseline): its mean throughput over the slices run between this scenario's. */
  readonly pairedBaselineRps?: number;
  /** With a paired baseline: the median over the rounds of (this scenario's req/s ÷ the baseline's). */
  readonly baselineRatio?: number;
  /** CPU time the server process used per request in the measured rounds (µs, all its threads). */
  readonly serverCpuMicros?: number;
  /** CPU time the load generator (this process) used per request in the measured rounds (µs). */
  readonly loadCpuMicros?: number;
}

/** The server under load: where to send requests, and its CPU time so far when it can be read. */
export interface LoadTarget {
  readonly origin: string;
  cpuSeconds?(): number | undefined;
}

/**
 * The baseline measured in slices interleaved with a scenario's: this machine's speed moves by
 * half within seconds (bench/README.md), so a ratio is only sound between measurements taken side
 * by side. `measure` runs the baseline for the given seconds and returns its req/s.
 */
export interface PairedBaseline {
  readonly rounds: number;
  readonly secondsPerSlice: number;
  measure(seconds: number): Promise<number>;
}

/** The q-quantile (0..1) of sorted values, nearest-rank. */
export function quantile(sorted: Float64Array | readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Sends each step once, in order, and returns the first non-2xx answer (or undefined). */
async function probe(origin: string, scenario: Scenario, headers: Record<string, string>): Promise<string | undefined> {
  const context: Record<string, unknown> = {};
  for (const step of scenario.steps) {
    const request = step(context);
    const response = await fetch(`${origin}${request.path}`, { method: request.method, headers, body: request.body });
    const text = await response.text();
    if (response.status >= 300) return `${request.method} ${request.path} → ${response.status} ${text.slice(0, 300)}`;
  }
  return undefined;
}

function cannon(origin: string, scenario: Scenario, settings: LoadSettings, seconds: number) {
  return autocannon({
    url: origin,
    connections: settings.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    requests: scenario.steps.map((step) => ({
      setupRequest: (request: RequestParams, context: Record<string, unknown>) => ({ ...request, ...step(context), headers: { ...settings.headers } }),
    })),
  });
}

/**
 * Load that is not measured: each scenario in turn for an equal share of `seconds`. A new
 * server process compiles its hot code for about 9 s of load (V8's optimizing compiler, on a
 * thread of its own; bench/README.md, finding 36); the first scenario measured must not pay for it.
 */
export async function warmUp(target: LoadTarget, scenarios: readonly Scenario[], settings: LoadSettings, seconds: number): Promise<void> {
  for (const scenario of scenarios) await cannon(target.origin, scenario, settings, seconds / scenarios.length);
}

/** The median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Runs a scenario with autocannon: a warm-up (discarded), then a measured run of a fixed
 * duration, in `paired.rounds` slices each preceded by a baseline slice when a paired baseline
 * is given. Latencies are recorded here from every response at full precision (autocannon's
 * own histogram keeps whole milliseconds, too coarse for a 3 ms target).
 */
export async function runScenario(target: LoadTarget, scenario: Scenario, settings: LoadSettings, paired?: PairedBaseline): Promise<LoadStats> {
  const { origin } = target;
  const firstFailure = await probe(origin, scenario, settings.headers);
  if (settings.warmupSeconds > 0) await cannon(origin, scenario, settings, settings.warmupSeconds);
  const latencies: number[] = [];
  let failure = firstFailure;
  let seconds = 0;
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  const statusCodes: Record<string, number> = {};
  const baselineRates: number[] = [];
  const ratios: number[] = [];
  // Per round, so that the baseline's slices in between count for neither side.
  let serverCpu: number | undefined = 0;
  let loadCpu = 0;
  const rounds = paired?.rounds ?? 1;
  for (let round = 0; round < rounds; round += 1) {
    const baselineRps = paired ? await paired.measure(paired.secondsPerSlice) : undefined;
    const before = latencies.length;
    const serverBefore = target.cpuSeconds?.();
    const loadBefore = process.cpuUsage();
    const instance = cannon(origin, scenario, settings, settings.durationSeconds / rounds);
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode >= 300 && failure === undefined) failure = `status ${statusCode} under load`;
    });
    const result = await instance;
    const load = process.cpuUsage(loadBefore);
    loadCpu += (load.user + load.system) / 1e6;
    const serverAfter = target.cpuSeconds?.();
    serverCpu = serverCpu === undefined || serverBefore === undefined || serverAfter === undefined ? undefined : serverCpu + serverAfter - serverBefore;
    seconds += result.duration;
    errors += result.errors;
    timeouts += result.timeouts;
    non2xx += result.non2xx;
    for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
    if (baselineRps !== undefined && baselineRps > 0) {
      baselineRates.push(baselineRps);
      ratios.push((latencies.length - before) / result.duration / baselineRps);
    }
  }
  const sorted = Float64Array.from(latencies).sort();
  const total = latencies.reduce((sum, value) => sum + value, 0);
  return {
    name: scenario.name,
    label: scenario.label,
    requestsPerSecond: seconds > 0 ? latencies.length / seconds : 0,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    meanMs: latencies.length === 0 ? Number.NaN : total / latencies.length,
    requests: latencies.length,
    errors,
    timeouts,
    non2xx,
    statusCodes,
    ...(failure === undefined ? {} : { firstFailure: failure }),
    ...(latencies.length === 0 ? {} : { loadCpuMicros: (loadCpu / latencies.length) * 1e6 }),
    ...(serverCpu === undefined || latencies.length === 0 ? {} : { serverCpuMicros: (serverCpu / latencies.length) * 1e6 }),
    ...(ratios.length > 0 ? { pairedBaselineRps: baselineRates.reduce((a, b) => a + b, 0) / baselineRates.length, baselineRatio: median(ratios) } : {}),
  };
}
