import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Reads a small text file, or undefined when it is not there (not Linux, no cgroup of that kind). */
export type ReadText = (path: string) => string | undefined;

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The CPU cores this process may use: its affinity mask (os.availableParallelism) and, on Linux,
 * the CPU quota of its cgroup. Node.js 20's libuv (1.46) ignores the quota, so a container given
 * 2 CPUs on a 64-core host would count 64 (libuv/libuv#4146; later libuv reads the quota as Rust's
 * `available_parallelism` does: the quota divided by the period, rounded down, at least 1).
 */
export function usableCpuCount(readText: ReadText = readIfPresent, cores: number = availableParallelism()): number {
  const quota = cgroupCpuQuota(readText);
  return quota === undefined ? cores : Math.max(1, Math.min(cores, Math.floor(quota)));
}

/** CPUs the cgroup quota allows (e.g. 1.5), or undefined without a quota. */
function cgroupCpuQuota(readText: ReadText): number | undefined {
  return cgroupV2Quota(readText) ?? cgroupV1Quota(readText);
}

function cgroupV2Quota(readText: ReadText): number | undefined {
  const path = readText('/proc/self/cgroup')
    ?.split('\n')
    .find((line) => line.startsWith('0::'))
    ?.slice(3)
    .trim();
  if (path === undefined) return undefined;
  // A limit on any ancestor of the process's cgroup binds it too; the tightest one counts.
  // Inside a container's cgroup namespace the path is "/" and its own cpu.max is at the root.
  return smallest(ancestorsOf(path).map((dir) => cpuMaxQuota(readText(`/sys/fs/cgroup${dir}/cpu.max`))));
}

/**
 * cgroup v1 (older Docker hosts, and hybrid hosts whose unified tree has no cpu controller): the
 * container's own cpu controller, where Docker mounts it; a quota of -1 is no limit.
 */
function cgroupV1Quota(readText: ReadText): number | undefined {
  const quota = Number(readText('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = Number(readText('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return quota > 0 && period > 0 ? quota / period : undefined;
}

/** "/a/b" → ["/a/b", "/a", ""]: the cgroup and its ancestors, as paths under /sys/fs/cgroup. */
function ancestorsOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, index) => `/${parts.slice(0, parts.length - index).join('/')}`).concat('');
}

/** cgroup v2's `cpu.max` is "<quota> <period>" in microseconds, or "max <period>" for no limit. */
function cpuMaxQuota(text: string | undefined): number | undefined {
  const [quota, period] = (text ?? '').trim().split(/\s+/).map(Number);
  return quota !== undefined && period !== undefined && quota > 0 && period > 0 ? quota / period : undefined;
}

function smallest(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((value): value is number => value !== undefined);
  return defined.length > 0 ? Math.min(...defined) : undefined;
}
