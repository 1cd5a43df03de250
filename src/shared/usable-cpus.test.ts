import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usableCpuCount } from './usable-cpus.js';

/** A file system of the given files only. */
function files(contents: Record<string, string>) {
  return (path: string) => contents[path];
}

describe('usableCpuCount', () => {
  it('is the affinity count when no cgroup limits the CPU', () => {
    assert.equal(usableCpuCount(files({}), 8), 8);
    assert.equal(usableCpuCount(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'max 100000\n' }), 8), 8);
  });

  it("follows a container's cgroup v2 quota, rounded down and at least one", () => {
    assert.equal(usableCpuCount(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '200000 100000\n' }), 64), 2);
    assert.equal(usableCpuCount(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '250000 100000\n' }), 64), 2);
    assert.equal(usableCpuCount(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '50000 100000\n' }), 64), 1);
  });

  it('never counts more cores than the affinity mask allows', () => {
    assert.equal(usableCpuCount(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '800000 100000\n' }), 2), 2);
  });

  it('takes the tightest limit among the cgroup and its ancestors (cgroup v2 without a namespace)', () => {
    const fs = files({
      '/proc/self/cgroup': '0::/system.slice/roster.service\n',
      '/sys/fs/cgroup/system.slice/roster.service/cpu.max': 'max 100000',
      '/sys/fs/cgroup/system.slice/cpu.max': '300000 100000',
      '/sys/fs/cgroup/cpu.max': '600000 100000',
    });
    assert.equal(usableCpuCount(fs, 16), 3);
  });

  it("reads cgroup v1's quota and period, where -1 means no limit", () => {
    const v1 = (quota: string) => files({ '/proc/self/cgroup': '12:cpu,cpuacct:/docker/abc\n', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': quota, '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' });
    assert.equal(usableCpuCount(v1('150000\n'), 16), 1);
    assert.equal(usableCpuCount(v1('400000\n'), 16), 4);
    assert.equal(usableCpuCount(v1('-1\n'), 16), 16);
  });

  it('reads cgroup v1 on a hybrid host, whose unified tree holds no cpu controller', () => {
    const hybrid = files({ '/proc/self/cgroup': '12:cpu,cpuacct:/docker/abc\n0::/docker/abc\n', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '200000', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' });
    assert.equal(usableCpuCount(hybrid, 16), 2);
  });
});
