import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function transpileFile(file: string, target: string): void {
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, output.outputText);
}

/**
 * Transpiles src/ and the baseline server to plain JavaScript under `outDir` (no type-check,
 * so work in progress elsewhere never blocks a run) and returns both entry points. The servers
 * then run on bare `node`, like the installed `roster` command: under tsx the loader thread
 * alone adds about 50 MB of RSS and its own frames to a CPU profile. `outDir` must be inside
 * the repository so bare imports resolve from its node_modules. (The console's static files
 * are looked up three levels above http/admin and are not found there; the bench never asks.)
 */
export function transpileServers(root: string, outDir: string): { rosterCli: string; baseline: string } {
  const srcDir = join(root, 'src');
  rmSync(outDir, { recursive: true, force: true });
  for (const file of sourceFiles(srcDir)) transpileFile(file, join(outDir, 'src', relative(srcDir, file)).replace(/\.ts$/, '.js'));
  const baseline = join(outDir, 'baseline-server.js');
  transpileFile(join(root, 'bench', 'baseline-server.ts'), baseline);
  return { rosterCli: join(outDir, 'src', 'cli.js'), baseline };
}
