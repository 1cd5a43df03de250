import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, isNotModified } from '../../provisioning/etag.js';
import type { ProvisioningModule } from '../../provisioning/provisioning-module.js';
import { parseListQuery } from '../../scim/list-query.js';
import { listResponse } from '../../scim/list-response.js';
import { projectResource, wantsAttribute, type AttributeSelection } from '../../scim/projection.js';
import { groupResourceType } from '../../scim/schemas/registry.js';
import { scimContext } from './bearer-auth.js';
import { header, selectionOf, type ListLimits } from './request-parts.js';
import { sendScim } from './scim-reply.js';

type IdRequest = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, unknown> }>;

/**
 * A Group PATCH answers 204 No Content (RFC 7644 §3.5.2): Entra expects it and warns against
 * returning the member list, Okta accepts it (entra-onelogin-jumpcloud.md §1, okta.md §7.4).
 * A client that names `attributes` or `excludedAttributes` gets 200 with the projected team.
 */
function patchAnswersWithBody(selection: AttributeSelection): boolean {
  return selection.attributes !== undefined || selection.excludedAttributes !== undefined;
}

/** /Groups (RFC 7644 §3): thin handlers — parse, call provisioning, reply. */
export function registerGroupsRoutes(app: FastifyInstance, provisioning: ProvisioningModule, limits: ListLimits): void {
  const teams = provisioning.teams;

  async function replyWithGroup(request: IdRequest, reply: FastifyReply, id: string, status: number): Promise<FastifyReply> {
    const selection = selectionOf(request.query);
    const { group, version } = await teams.get(scimContext(request), id, wantsAttribute(groupResourceType, selection, 'members'));
    const meta = group['meta'] as { location: string; version: string };
    reply.header('etag', meta.version);
    if (status === 201) reply.header('location', meta.location);
    if (status === 200 && request.method === 'GET' && isNotModified(header(request, 'if-none-match'), version)) return reply.code(304).send();
    return sendScim(reply, status, projectResource(groupResourceType, group, selection));
  }

  async function list(request: FastifyRequest, reply: FastifyReply, source: Record<string, unknown>): Promise<FastifyReply> {
    const query = parseListQuery(source, limits);
    const selection = { attributes: query.attributes, excludedAttributes: query.excludedAttributes };
    const { groups, totalResults } = await teams.list(scimContext(request), query, wantsAttribute(groupResourceType, selection, 'members'));
    const resources = groups.map((group) => projectResource(groupResourceType, group, selection));
    return sendScim(reply, 200, listResponse(resources, totalResults, query.startIndex));
  }

  app.get<{ Querystring: Record<string, unknown> }>('/Groups', (request, reply) => list(request, reply, request.query));
  app.post<{ Body: unknown }>('/Groups/.search', (request, reply) => list(request, reply, (request.body ?? {}) as Record<string, unknown>));
  app.get('/Groups/:id', (request: IdRequest, reply) => replyWithGroup(request, reply, request.params.id, 200));
  app.post<{ Body: unknown; Querystring: Record<string, unknown> }>('/Groups', async (request, reply) => {
    const id = await teams.create(scimContext(request), request.body);
    return replyWithGroup(request as unknown as IdRequest, reply, id, 201);
  });
  app.put('/Groups/:id', async (request: IdRequest, reply) => {
    await teams.replace(scimContext(request), request.params.id, request.body, header(request, 'if-match'));
    return replyWithGroup(request, reply, request.params.id, 200);
  });
  app.patch('/Groups/:id', async (request: IdRequest, reply) => {
    const withBody = patchAnswersWithBody(selectionOf(request.query));
    const version = await teams.patch(scimContext(request), request.params.id, request.body, header(request, 'if-match'), withBody ? 200 : 204);
    if (withBody) return replyWithGroup(request, reply, request.params.id, 200);
    // No version when the team was deleted right after this change committed.
    if (version !== undefined) reply.header('etag', etagOf(version));
    return reply.code(204).send();
  });
  app.delete('/Groups/:id', async (request: IdRequest, reply) => {
    await teams.delete(scimContext(request), request.params.id, header(request, 'if-match'));
    return reply.code(204).send();
  });
}
