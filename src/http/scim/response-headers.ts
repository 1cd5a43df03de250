import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * Security headers on every SCIM response, errors included: JSON is never sniffed as HTML,
 * and responses carrying people's data are never stored by a proxy or client cache. Fastify
 * sends no `X-Powered-By`. (A CSP is pointless on JSON; the console sets its own.) A callback
 * hook, not an async one: it runs on every request, and a promise per hook is measurable there.
 */
export function scimResponseHeaders(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('cache-control', 'no-store');
  done();
}
