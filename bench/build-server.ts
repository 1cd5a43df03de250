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

/**
 * Transpiles src/ to plain JavaScript (no type-check, so work in progress elsewhere never
 * blocks a run) and returns the CLI's path. The server then runs on bare `node`, like the
 * installed `roster` command: under tsx its loader thread alone adds about 50 MB of RSS and
 * its own frames to a CPU profile. The output sits one level below the repository, as dist/
 * does, so bare imports resolve from the project's node_modules.
 */
export function transpileServer(root: string, outDir: string): string {
  const srcDir = join(root, 'src');
  rmSync(outDir, { recursive: true, force: true });
  for (const file of sourceFiles(srcDir)) {
    const output = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const target = join(outDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
  return join(outDir, 'cli.js');
}
