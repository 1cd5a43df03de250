import type { FastifyInstance } from 'fastify';
import type { ApiKeySummary } from '../../accounts/api-keys-service.js';
import type { AdminDependencies } from './admin-dependencies.js';
import { actorOf, ID_PARAMS, sessionOf, type AdminRoute, type JsonSchema } from './admin-route.js';
import { maskKey, runConnectionTest, TEST_PATH } from './connection-test.js';

const KEY_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string', example: 'rk_3F9A2C1B' },
    last4: { type: 'string' },
    status: { type: 'string', enum: ['active', 'expiring', 'expired', 'revoked'] },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

const CREATED_KEY_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { key: { ...KEY_SCHEMA }, secret: { type: 'string', description: 'The whole key. Shown once: Roster stores only its hash.' } },
};

const TEST_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    httpStatus: { type: ['integer', 'null'] },
    durationMs: { type: 'integer' },
    request: { type: 'object', properties: { method: { type: 'string' }, url: { type: 'string' }, authorization: { type: 'string' } } },
    totalResults: { type: ['integer', 'null'] },
    itemsPerPage: { type: ['integer', 'null'] },
    detail: { type: 'string' },
  },
};

/** Resolves "created by" member ids to names (a handful of distinct admins per account). */
async function withCreators(deps: AdminDependencies, accountId: string, keys: readonly ApiKeySummary[]) {
  const names = new Map<string, string>();
  for (const id of new Set(keys.flatMap((k) => (k.createdBy ? [k.createdBy] : [])))) {
    const member = await deps.directory.getMember(accountId, id).catch(() => undefined);
    if (member) names.set(id, member.name);
  }
  return keys.map((k) => ({ ...k, createdBy: k.createdBy ? { id: k.createdBy, name: names.get(k.createdBy) ?? 'A former admin' } : null }));
}

/** Account Settings › Integrations › API Access (domain.md §5.3 page 1). */
export function apiKeyRoutes(app: FastifyInstance, deps: AdminDependencies): AdminRoute[] {
  return [
    {
      method: 'GET',
      url: '/api-keys',
      operationId: 'listApiKeys',
      summary: 'The account\'s SCIM API keys (never their secrets), newest first.',
      tag: 'API access',
      response: { status: 200, description: 'The keys.', schema: { type: 'object', properties: { items: { type: 'array', items: KEY_SCHEMA } } } },
      handler: async (request) => {
        const { accountId } = sessionOf(request);
        return { items: await withCreators(deps, accountId, await deps.accounts.listApiKeys(accountId)) };
      },
    },
    {
      method: 'POST',
      url: '/api-keys',
      operationId: 'createApiKey',
      summary: 'Generates a key. The secret is in this response only.',
      tag: 'API access',
      body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 100 } } },
      response: { status: 201, description: 'The new key and its secret (shown once).', schema: CREATED_KEY_SCHEMA },
      errors: [409],
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const body = (request.body ?? {}) as { name?: string };
        const created = await deps.accounts.createApiKey(actor.accountId, { ...(body.name ? { name: body.name } : {}), createdBy: actor.memberId });
        const [key] = await withCreators(deps, actor.accountId, [created.summary]);
        return reply.code(201).send({ key, secret: created.key });
      },
    },
    {
      method: 'POST',
      url: '/api-keys/:id/rotate',
      operationId: 'rotateApiKey',
      summary: 'Issues a replacement key; the old one keeps working for the grace period (0 = stops now).',
      tag: 'API access',
      params: ID_PARAMS,
      body: { type: 'object', required: ['graceSeconds'], additionalProperties: false, properties: { graceSeconds: { type: 'integer', minimum: 0, maximum: 2_592_000 } } },
      response: { status: 201, description: 'The new key and its secret (shown once).', schema: CREATED_KEY_SCHEMA },
      errors: [400, 404],
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const { id } = request.params as { id: string };
        const { graceSeconds } = request.body as { graceSeconds: number };
        const created = await deps.accounts.rotateApiKey(actor.accountId, id, { graceSeconds, createdBy: actor.memberId });
        const [key] = await withCreators(deps, actor.accountId, [created.summary]);
        return reply.code(201).send({ key, secret: created.key });
      },
    },
    {
      method: 'DELETE',
      url: '/api-keys/:id',
      operationId: 'revokeApiKey',
      summary: 'Revokes a key at once: SCIM requests with it get 401 from now on.',
      tag: 'API access',
      params: ID_PARAMS,
      response: { status: 204, description: 'Revoked.' },
      errors: [404],
      handler: async (request, reply) => {
        const { id } = request.params as { id: string };
        await deps.accounts.revokeApiKey(sessionOf(request).accountId, id);
        return reply.code(204).send();
      },
    },
    {
      method: 'POST',
      url: '/connection-tests',
      operationId: 'testConnection',
      summary: `Sends Okta's "Test API Credentials" request (GET ${TEST_PATH}) with the given key and reports the answer; logged as credentials.tested.`,
      tag: 'API access',
      body: { type: 'object', required: ['apiKey'], additionalProperties: false, properties: { apiKey: { type: 'string', minLength: 1, maxLength: 200 } } },
      response: { status: 200, description: 'The outcome (a failed test is still a 200 with ok=false).', schema: TEST_RESULT_SCHEMA },
      handler: async (request) => {
        const session = sessionOf(request);
        const { apiKey } = request.body as { apiKey: string };
        const result = await runConnectionTest(app, deps, session.accountId, apiKey);
        await deps.directory.recordConnectionTest(session.accountId, {
          actor: `admin:${session.email}`,
          keyLabel: maskKey(apiKey.trim()),
          httpStatus: result.httpStatus ?? 0,
          detail: result.detail,
          durationMs: result.durationMs,
          requestPath: TEST_PATH,
        });
        return result;
      },
    },
  ];
}
