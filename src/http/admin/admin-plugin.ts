import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { apiErrorHandler, sendApiError } from './admin-errors.js';
import type { AdminDependencies } from './admin-dependencies.js';
import type { AdminRoute } from './admin-route.js';
import { activityRoutes } from './activity-routes.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { registerConsoleStatic } from './console-static.js';
import { directoryRoutes } from './directory-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { addSecurityHeaders } from './security-headers.js';
import { requireSession } from './session-auth.js';
import { sessionRoutes } from './session-routes.js';

export type { AdminDependencies, AdminModules } from './admin-dependencies.js';

const API_VERSION = '1.0.0';

/** Every operation of the console API, in the order the OpenAPI document lists them. */
function apiRoutes(app: FastifyInstance, deps: AdminDependencies): AdminRoute[] {
  return [...sessionRoutes(deps), ...directoryRoutes(deps), ...apiKeyRoutes(app, deps), ...activityRoutes(deps)];
}

/** The /api/v1 context: session cookie, CSRF on writes, JSON errors, OpenAPI document. */
async function consoleApi(api: FastifyInstance, deps: AdminDependencies): Promise<void> {
  await api.register(fastifyCookie);
  // Only JSON bodies: a cross-site form cannot send one without a CORS preflight, which
  // closes the one write without a CSRF token (sign-in) to login-CSRF.
  api.removeContentTypeParser(['text/plain']);
  api.setErrorHandler(apiErrorHandler);
  api.setNotFoundHandler((request, reply) => sendApiError(reply, 404, 'not_found', `No console API operation ${request.method} ${request.url.split('?')[0]}. See /api/v1/openapi.json.`));
  api.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  addSecurityHeaders(api, { hsts: deps.publicUrl.startsWith('https:') });

  const routes = apiRoutes(api, deps);
  const gate = requireSession(deps.sessions);
  for (const route of routes) {
    api.route({
      method: route.method,
      url: route.url,
      schema: { ...(route.params ? { params: route.params } : {}), ...(route.querystring ? { querystring: route.querystring } : {}), ...(route.body ? { body: route.body } : {}) },
      ...(route.public ? {} : { onRequest: gate }),
      handler: route.handler,
    });
  }
  const document = buildOpenApiDocument(routes, deps.publicUrl, API_VERSION);
  api.get('/openapi.json', async () => document);
}

/** The admin console: its JSON API under /api/v1 and the built single-page app at /. */
export async function registerAdminConsole(app: FastifyInstance, deps: AdminDependencies): Promise<void> {
  await app.register(async (api) => consoleApi(api, deps), { prefix: '/api/v1' });
  await app.register(async (site) => {
    addSecurityHeaders(site, { hsts: deps.publicUrl.startsWith('https:') });
    await registerConsoleStatic(site);
  });
}
