// The baseline: a bare Fastify server answering one fixed SCIM User (the body of a seeded
// user, passed in BASELINE_BODY) to GET /scim/v2/Users/:id. No auth, no database, no logging:
// the machine's ceiling for "Node.js + Fastify answering a SCIM lookup".
import Fastify from 'fastify';

const body = JSON.parse(process.env['BASELINE_BODY'] ?? '{}') as Record<string, unknown>;
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/scim/v2/Users/:id', async (_request, reply) => reply.header('content-type', 'application/scim+json; charset=utf-8').send(JSON.stringify(body)));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ port: Number(process.env['PORT']), host: '127.0.0.1' });
