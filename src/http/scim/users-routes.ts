import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProvisioningModule } from '../../provisioning/provisioning-module.js';
import type { ScimUserView } from '../../provisioning/user-mapping.js';
import { parseListQuery } from '../../scim/list-query.js';
import { listResponse, listResponseJson } from '../../scim/list-response.js';
import { isDefaultSelection, projectResource, wantsAttribute } from '../../scim/projection.js';
import { userResourceType } from '../../scim/schemas/registry.js';
import { scimContext } from './bearer-auth.js';
import { etagOf, isNotModified } from '../../provisioning/etag.js';
import { header, selectionOf, type ListLimits } from './request-parts.js';
import { sendScim, sendScimJson } from './scim-reply.js';

type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, unknown> }>;

/** /Users (RFC 7644 §3): thin handlers — parse, call provisioning, reply. */
export function registerUsersRoutes(app: FastifyInstance, provisioning: ProvisioningModule, limits: ListLimits): void {
  const users = provisioning.users;

  // A request with neither `attributes` nor `excludedAttributes` (every IdP's reads) gets the
  // user's JSON text as user-mapping.ts splices it; any other is projected from the object.
  function send(request: FastifyRequest, reply: FastifyReply, written: ScimUserView, status: number): FastifyReply {
    reply.header('etag', etagOf(written.version));
    if (status === 201) reply.header('location', written.location);
    if (request.method === 'GET' && isNotModified(header(request, 'if-none-match'), written.version)) return reply.code(304).send();
    const selection = selectionOf(request.query as Record<string, unknown>);
    if (isDefaultSelection(selection)) return sendScimJson(reply, status, written.defaultJson());
    return sendScim(reply, status, projectResource(userResourceType, written.resource(), selection));
  }

  const wantsGroups = (request: FastifyRequest) => wantsAttribute(userResourceType, selectionOf(request.query as Record<string, unknown>), 'groups');

  async function list(request: FastifyRequest, reply: FastifyReply, source: Record<string, unknown>): Promise<FastifyReply> {
    const query = parseListQuery(source, limits);
    const selection = { attributes: query.attributes, excludedAttributes: query.excludedAttributes };
    const { users: found, totalResults } = await users.list(scimContext(request), query, wantsAttribute(userResourceType, selection, 'groups'));
    if (isDefaultSelection(selection)) return sendScimJson(reply, 200, listResponseJson(found.map((user) => user.defaultJson()), totalResults, query.startIndex));
    const resources = found.map((user) => projectResource(userResourceType, user.resource(), selection));
    return sendScim(reply, 200, listResponse(resources, totalResults, query.startIndex));
  }

  app.get<{ Querystring: Record<string, unknown> }>('/Users', (request, reply) => list(request, reply, request.query));
  app.post<{ Body: unknown }>('/Users/.search', (request, reply) => list(request, reply, (request.body ?? {}) as Record<string, unknown>));
  app.get('/Users/:id', async (request: IdRequest, reply) => send(request, reply, await users.get(scimContext(request), request.params.id, wantsGroups(request)), 200));
  app.post('/Users', async (request, reply) => send(request, reply, await users.create(scimContext(request), request.body), 201));
  app.put('/Users/:id', async (request: IdRequest, reply) => {
    const written = await users.replace(scimContext(request), request.params.id, request.body, header(request, 'if-match'), wantsGroups(request));
    return send(request, reply, written, 200);
  });
  app.patch('/Users/:id', async (request: IdRequest, reply) => {
    const written = await users.patch(scimContext(request), request.params.id, request.body, header(request, 'if-match'), wantsGroups(request));
    return send(request, reply, written, 200);
  });
  app.delete('/Users/:id', async (request: IdRequest, reply) => {
    await users.delete(scimContext(request), request.params.id, header(request, 'if-match'));
    return reply.code(204).send();
  });
}
