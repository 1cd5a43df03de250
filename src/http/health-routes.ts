import type { FastifyInstance } from 'fastify';

/** A dependency failed the readiness check; `message` names it, for the operator. */
export class NotReady extends Error {}

/** `/healthz`: the process answers. `/readyz`: its dependencies answer too. */
export function registerHealthRoutes(app: FastifyInstance, checkReady: () => Promise<void>): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await checkReady();
      return { status: 'ready' };
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check failed');
      const detail = error instanceof NotReady ? error.message : 'The database is not reachable.';
      return reply.code(503).send({ status: 'unavailable', detail });
    }
  });
}
