import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A server process the benchmark started, on 127.0.0.1. */
export interface ServerProcess {
  readonly name: string;
  readonly origin: string;
  readonly pid: number;
  /**
   * Peak and current resident set size in MB, from /proc/<pid>/status, summed over the process
   * and its descendants (the workers of ROSTER_WORKERS). A sum of peaks over several processes
   * is an upper bound: each counts the pages they share (Node.js's code) and reached its peak
   * at its own moment.
   */
  memory(): { peakMb: number; currentMb: number; processes: number } | undefined;
  /**
   * The proportional set size (PSS) in MB summed over the same processes: each shared page
   * counts once in the sum, divided among the processes that map it. Linux keeps no peak of
   * it, so the benchmark samples it.
   */
  proportionalMb(): number | undefined;
  /** CPU time the process and its descendants have used so far, all their threads, user and kernel (s). */
  cpuSeconds(): number | undefined;
  /** The last lines the process wrote to stderr (for a crash report). */
  stderrTail(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

/** A free TCP port on loopback (the OS picks; a tiny race with other processes is acceptable here). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function kbLine(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `pid` and every live descendant, from /proc/<pid>/task/<tid>/children. */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    try {
      for (const task of readdirSync(`/proc/${tree[i]}/task`)) {
        const children = readFileSync(`/proc/${tree[i]}/task/${task}/children`, 'utf8').trim();
        if (children) tree.push(...children.split(' ').map(Number));
      }
    } catch {
      // exited meanwhile
    }
  }
  return tree;
}

function sumOver(pids: readonly number[], read: (pid: number) => number | undefined): number | undefined {
  let sum = 0;
  for (const pid of pids) {
    const value = read(pid);
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum;
}

function statusKb(pid: number, field: string): number | undefined {
  try {
    return kbLine(readFileSync(`/proc/${pid}/status`, 'utf8'), field);
  } catch {
    return undefined;
  }
}

/** Linux reports CPU times in /proc in USER_HZ ticks, 100 per second on every architecture Node.js runs on. */
const TICKS_PER_SECOND = 100;

/** utime + stime of /proc/<pid>/stat (fields 14 and 15; the command name before them may contain spaces). */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const user = Number(fields[11]);
    const system = Number(fields[12]);
    return Number.isFinite(user) && Number.isFinite(system) ? (user + system) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `node <args>` in `cwd` and resolves once `readyPath` answers 200 on `port`.
 * stdout is discarded; stderr is kept (last 4 KB) to explain a crash.
 */
export async function startServer(name: string, args: readonly string[], env: Record<string, string>, port: number, readyPath: string, cwd: string): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const origin = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? 0;
  const server: ServerProcess = {
    name,
    origin,
    pid,
    memory() {
      const tree = processTree(pid);
      const peak = sumOver(tree, (p) => statusKb(p, 'VmHWM'));
      const current = sumOver(tree, (p) => statusKb(p, 'VmRSS'));
      return peak === undefined || current === undefined ? undefined : { peakMb: peak / 1024, currentMb: current / 1024, processes: tree.length };
    },
    proportionalMb() {
      const kb = sumOver(processTree(pid), (p) => {
        try {
          return kbLine(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'), 'Pss');
        } catch {
          return undefined;
        }
      });
      return kb === undefined ? undefined : kb / 1024;
    },
    cpuSeconds: () => sumOver(processTree(pid), cpuSecondsOf),
    stderrTail: () => stderr.trim(),
    alive: () => running,
    async stop() {
      if (!running) return;
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  await waitUntilReady(server, `${origin}${readyPath}`);
  return server;
}

async function waitUntilReady(server: ServerProcess, url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!server.alive()) throw new Error(`${server.name} exited during startup:\n${server.stderrTail()}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await server.stop();
  throw new Error(`${server.name} did not answer ${url} within 60 s:\n${server.stderrTail()}`);
}
