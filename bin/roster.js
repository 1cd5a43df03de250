#!/usr/bin/env node
// The `roster` command: runs the compiled CLI (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('roster: the build is missing; run `npm run build` (npm ci does it for you).\n');
  process.exit(1);
}
await import(cli.href);
