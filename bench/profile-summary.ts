// Summarises a V8 .cpuprofile (from `npm run bench -- --profile`): self time by function and
// by source (our files, each npm package, node internals, GC). Usage:
//   node --import tsx bench/profile-summary.ts bench/results/profiles/<file>.cpuprofile [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** Groups a script URL: our source file, an npm package, node internals, or V8 itself. */
function sourceOf(url: string): string {
  if (url === '') return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  if (url.startsWith('node:')) return url;
  const ours = /\/((?:src|bench)\/.*)$/.exec(url);
  return ours?.[1] ?? url;
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function top(map: Map<string, number>, total: number, count: number): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`)
    .join('\n');
}

const [path, countArg] = process.argv.slice(2);
if (!path) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const byFunction = new Map<string, number>();
const bySource = new Map<string, number>();
let total = 0;
let idle = 0;
for (const [id, us] of selfTime) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  total += us;
  if (frame.functionName === '(idle)') idle += us;
  add(byFunction, `${frame.functionName || '(anonymous)'}  ${sourceOf(frame.url)}:${frame.lineNumber + 1}`, us);
  add(bySource, frame.functionName.startsWith('(') && frame.url === '' ? frame.functionName : sourceOf(frame.url), us);
}
// Inclusive time of our own functions: a node's samples count once for every distinct
// function of src/ on its stack (recursion counted once).
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, us] of selfTime) {
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
    const frame = byId.get(current)?.callFrame;
    if (!frame || !/\/src\//.test(frame.url)) continue;
    const key = `${frame.functionName || '(anonymous)'}  ${sourceOf(frame.url)}:${frame.lineNumber + 1}`;
    if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    seen.add(key);
  }
}
const count = Number(countArg ?? 30);
process.stdout.write(`${path}\nsampled ${(total / 1e6).toFixed(1)} s, idle ${((idle / total) * 100).toFixed(1)}%\n\nSelf time by source:\n${top(bySource, total, count)}\n\nSelf time by function:\n${top(byFunction, total, count)}\n\nInclusive time of src/ functions:\n${top(inclusive, total, count)}\n`);
