import { ERROR_SCHEMA, type AdminRoute, type JsonSchema } from './admin-route.js';

const ERROR_TEXT: Readonly<Record<number, string>> = {
  400: 'The request is invalid (the message says which field and why).',
  401: 'No valid session: sign in first.',
  403: 'Not allowed: a write without its X-CSRF-Token, or a change the account\'s rules forbid.',
  404: 'No such resource in this account.',
  409: 'Conflicts with the current state (duplicate email, seat limit reached, at most 2 active keys…).',
  415: 'The body must be application/json.',
  429: 'Too many failed sign-in attempts: wait and try again.',
};

function parameters(route: AdminRoute): JsonSchema[] {
  const of = (schema: JsonSchema | undefined, where: 'path' | 'query') => {
    const properties = (schema?.['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema?.['required'] ?? []) as string[]);
    return Object.entries(properties).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
      schema: property,
    }));
  };
  return [...of(route.params, 'path'), ...of(route.querystring, 'query')];
}

function operation(route: AdminRoute): JsonSchema {
  const { response } = route;
  const success = {
    description: response.description,
    ...(response.schema ? { content: { 'application/json': { schema: response.schema } } } : {}),
    ...(response.contentType ? { content: { [response.contentType]: { schema: { type: 'string' } } } } : {}),
  };
  const errors = new Set([...(route.errors ?? []), ...(route.public ? [] : [401]), ...(route.method !== 'GET' && !route.public ? [403] : [])]);
  const responses: Record<string, unknown> = { [String(response.status)]: success };
  for (const status of [...errors].sort()) {
    responses[String(status)] = { description: ERROR_TEXT[status] ?? 'Error.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  const security = route.public ? [] : route.method === 'GET' ? [{ session: [] }] : [{ session: [], csrf: [] }];
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security,
    parameters: parameters(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 description of the console API, generated from the routes themselves. */
export function buildOpenApiDocument(routes: readonly AdminRoute[], publicUrl: string, version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Roster console API',
      version,
      description:
        'The JSON API behind the Roster admin console: API keys, plan and seats, members, teams and the provisioning activity log. ' +
        'Sign in with POST /session; the session lives in an HttpOnly cookie, and every POST, PATCH and DELETE must echo the session\'s csrfToken in the X-CSRF-Token header. ' +
        'Identity providers do not use this API: they call SCIM 2.0 under /scim/v2 with an API key.',
    },
    servers: [{ url: `${publicUrl}/api/v1` }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'roster_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}
