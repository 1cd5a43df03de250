import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

/**
 * The layering of README "Architecture", enforced: imports point inward
 * (http → provisioning → accounts → db, scim), scim/ is pure, Fastify lives in http/ and SQL
 * drivers in db/. A wrong import fails CI here instead of eroding the layout.
 */
const SRC = 'src';

/** Which of our top-level folders each folder may import (itself always allowed). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  scim: [],
  shared: [],
  db: ['scim', 'shared'],
  accounts: ['db', 'scim', 'shared'],
  provisioning: ['accounts', 'db', 'scim', 'shared'],
  http: ['accounts', 'provisioning', 'scim', 'shared'],
  // The processes of ROSTER_WORKERS: IPC only; app.ts and cli.ts wire it to the features.
  workers: ['shared'],
};

/** Packages only one layer may use. */
const PACKAGE_OWNERS: Record<string, string> = { fastify: 'http', '@fastify/': 'http', kysely: 'db', pg: 'db', 'better-sqlite3': 'db' };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

const layerOf = (file: string): string => relative(SRC, file).split('/')[0] ?? '';

function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const layer = layerOf(file);
    const allowed = MAY_IMPORT[layer];
    if (!allowed) continue;
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) {
        const target = layerOf(relative(process.cwd(), resolve(dirname(file), specifier)));
        if (target !== layer && !allowed.includes(target)) found.push(`${file} imports ${specifier} (${layer} → ${target})`);
        continue;
      }
      if (layer === 'scim' && specifier.startsWith('node:')) found.push(`${file} imports ${specifier} (scim/ does no I/O)`);
      const owner = Object.entries(PACKAGE_OWNERS).find(([name]) => specifier === name || specifier.startsWith(name.endsWith('/') ? name : `${name}/`))?.[1];
      if (owner && owner !== layer) found.push(`${file} imports ${specifier} (only ${owner}/ may)`);
    }
  }
  return found;
}

describe('architecture', () => {
  it('every import in src/ follows the layering of README "Architecture"', () => {
    assert.deepEqual(violations(), []);
  });

  it('the check sees imports (it would catch a violation)', () => {
    const all = sourceFiles(SRC).flatMap(importsOf);
    assert.ok(all.some((s) => s.startsWith('fastify')), 'reads package imports');
    assert.ok(all.some((s) => s.includes('../db/')), 'reads relative imports');
  });
});
