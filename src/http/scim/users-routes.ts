import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProvisioningModule } from '../../provisioning/provisioning-module.js';
import { parseListQuery } from '../../scim/list-query.js';
import { listResponse } from '../../scim/list-response.js';
import { projectResource, wantsAttribute } from '../../scim/projection.js';
import { userResourceType } from '../../scim/schemas/registry.js';
import { scimContext } from './bearer-auth.js';
import { isNotModified } from '../../provisioning/etag.js';
import { header, selectionOf, type ListLimits } from './request-parts.js';
import { sendScim } from './scim-reply.js';

type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, unknown> }>;

/** /Users (RFC 7644 §3): thin handlers — parse, call provisioning, reply. */
export function registerUsersRoutes(app: FastifyInstance, provisioning: ProvisioningModule, limits: ListLimits): void {
  const users = provisioning.users;

  async function replyWithUser(request: IdRequest, reply: FastifyReply, id: string, status: number): Promise<FastifyReply> {
    const selection = selectionOf(request.query);
    const { user, version } = await users.get(scimContext(request), id, wantsAttribute(userResourceType, selection, 'groups'));
    const meta = user['meta'] as { location: string; version: string };
    reply.header('etag', meta.version);
    if (status === 201) reply.header('location', meta.location);
    if (status === 200 && request.method === 'GET' && isNotModified(header(request, 'if-none-match'), version)) return reply.code(304).send();
    return sendScim(reply, status, projectResource(userResourceType, user, selection));
  }

  async function list(request: FastifyRequest, reply: FastifyReply, source: Record<string, unknown>): Promise<FastifyReply> {
    const query = parseListQuery(source, limits);
    const selection = { attributes: query.attributes, excludedAttributes: query.excludedAttributes };
    const { users: found, totalResults } = await users.list(scimContext(request), query, wantsAttribute(userResourceType, selection, 'groups'));
    const resources = found.map((user) => projectResource(userResourceType, user, selection));
    return sendScim(reply, 200, listResponse(resources, totalResults, query.startIndex));
  }

  app.get<{ Querystring: Record<string, unknown> }>('/Users', (request, reply) => list(request, reply, request.query));
  app.post<{ Body: unknown }>('/Users/.search', (request, reply) => list(request, reply, (request.body ?? {}) as Record<string, unknown>));
  app.get('/Users/:id', (request: IdRequest, reply) => replyWithUser(request, reply, request.params.id, 200));
  app.post<{ Body: unknown; Querystring: Record<string, unknown> }>('/Users', async (request, reply) => {
    const id = await users.create(scimContext(request), request.body);
    return replyWithUser(request as unknown as IdRequest, reply, id, 201);
  });
  app.put('/Users/:id', async (request: IdRequest, reply) => {
    await users.replace(scimContext(request), request.params.id, request.body, header(request, 'if-match'));
    return replyWithUser(request, reply, request.params.id, 200);
  });
  app.patch('/Users/:id', async (request: IdRequest, reply) => {
    await users.patch(scimContext(request), request.params.id, request.body, header(request, 'if-match'));
    return replyWithUser(request, reply, request.params.id, 200);
  });
  app.delete('/Users/:id', async (request: IdRequest, reply) => {
    await users.delete(scimContext(request), request.params.id, header(request, 'if-match'));
    return reply.code(204).send();
  });
}
