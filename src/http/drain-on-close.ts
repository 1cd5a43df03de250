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
  // A callback hook, so that every response does not pay for a promise.
  app.addHook('onSend', (_request, reply, _payload, done) => {
    if (draining) reply.header('connection', 'close');
    done();
  });
}
