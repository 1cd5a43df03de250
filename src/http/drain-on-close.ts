import type { FastifyInstance } from 'fastify';

/**
 * Once the server is closing (SIGTERM), every response says `Connection: close`, so a client's
 * keep-alive connection ends with its last in-flight request. Without it the drain waits
 * until each client drops its idle connection (Fastify's keepAliveTimeout is 72 s), longer
 * than a container's grace period, and the process is killed before closing the database.
 */
export function closeConnectionsWhenDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close');
  });
}
