import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Security headers on every SCIM response, errors included: JSON is never sniffed as HTML,
 * and responses carrying people's data are never stored by a proxy or client cache. Fastify
 * sends no `X-Powered-By`. (A CSP is pointless on JSON; the console sets its own.)
 */
export async function scimResponseHeaders(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('cache-control', 'no-store');
}
