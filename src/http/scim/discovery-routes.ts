import type { FastifyInstance } from 'fastify';
import { notFound } from '../../scim/errors.js';
import { findResourceTypeDocument, resourceTypeDocuments } from '../../scim/discovery/resource-types.js';
import { findSchemaDocument, schemaDocuments } from '../../scim/discovery/schema-documents.js';
import { serviceProviderConfig } from '../../scim/discovery/service-provider-config.js';
import { listResponse } from '../../scim/list-response.js';
import { sendScim } from './scim-reply.js';

export interface DiscoveryOptions {
  readonly baseUrl: string;
  readonly maxResults: number;
  readonly maxPayloadSize: number;
}

/** RFC 7644 §4: ServiceProviderConfig, ResourceTypes and Schemas, generated from the registry. */
export function registerDiscoveryRoutes(app: FastifyInstance, options: DiscoveryOptions): void {
  const { baseUrl } = options;
  const config = serviceProviderConfig(baseUrl, { maxResults: options.maxResults, maxPayloadSize: options.maxPayloadSize, etag: true });
  app.get('/ServiceProviderConfig', async (_request, reply) => sendScim(reply, 200, config));
  app.get('/ResourceTypes', async (_request, reply) => {
    const documents = resourceTypeDocuments(baseUrl);
    return sendScim(reply, 200, listResponse(documents, documents.length, 1));
  });
  app.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (request, reply) => {
    const document = findResourceTypeDocument(baseUrl, request.params.id);
    if (!document) throw notFound(`No resource type "${request.params.id}"; this server has User and Group.`);
    return sendScim(reply, 200, document);
  });
  app.get('/Schemas', async (_request, reply) => {
    const documents = schemaDocuments(baseUrl);
    return sendScim(reply, 200, listResponse(documents, documents.length, 1));
  });
  app.get<{ Params: { id: string } }>('/Schemas/:id', async (request, reply) => {
    const document = findSchemaDocument(baseUrl, request.params.id);
    if (!document) throw notFound(`No schema "${request.params.id}" on this server.`);
    return sendScim(reply, 200, document);
  });
}
