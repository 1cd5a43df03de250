import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `console/dist`, three levels above this file both in src/http/admin and dist/http/admin. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/**
 * The console's client-side routes: each serves index.html and the SPA renders the page.
 * Listed explicitly (not a catch-all) so that /scim/**, /api/**, /healthz and /readyz keep
 * their own 404 handling.
 */
export const CONSOLE_PAGES = ['/', '/sign-in', '/members', '/members/*', '/teams', '/teams/*', '/activity', '/activity/*', '/settings', '/settings/*'];

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Roster console</title></head>
<body><h1>The Roster console has not been built</h1><p>Run <code>npm run build</code> (or <code>npm ci</code>) and restart the server.</p></body></html>`;

/** Serves the built console: hashed assets cached for a year, index.html never cached. */
export async function registerConsoleStatic(app: FastifyInstance, root = CONSOLE_DIST): Promise<void> {
  const built = existsSync(`${root}/index.html`);
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      cacheControl: false,
      index: false,
      setHeaders: (res, path) => {
        res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  for (const url of CONSOLE_PAGES) {
    app.get(url, async (_request, reply) => {
      if (!built) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
    });
  }
}
