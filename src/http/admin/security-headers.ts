import type { FastifyInstance } from 'fastify';

/**
 * Browser hardening for the console and its API: no framing, no MIME sniffing, no referrer
 * leaks, and a CSP that allows only the console's own scripts, styles and requests.
 */
const HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** Adds the headers to every response of `app`'s context. */
export function addSecurityHeaders(app: FastifyInstance, options: { hsts: boolean }): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(HEADERS)) reply.header(name, value);
    if (options.hsts) reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
}
